/**
 * Digest render: one edition rendered once (Liquid, then MJML with strict validation), for 10
 * and 30 posts. Warm figures come from this process after warm-up calls; first-call figures from
 * fresh processes, so module loading and MJML's first compile show.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readTemplates } from '../../adapters/fs/read-templates.js';
import { renderEdition } from '../../core/email/render-edition.js';
import { type BenchReport, progress, runBenchmark } from '../support/bench-report.js';
import { runNodeJson, tsxImport } from '../support/child-process.js';
import { bytes, count, ms } from '../support/format.js';
import { markdownTable } from '../support/markdown-table.js';
import { measureWithCpu } from '../support/measure.js';
import { makeTempDir, REPO_ROOT, removeDir } from '../support/paths.js';
import { median, summarize } from '../support/stats.js';
import type { DigestFirstCall } from './digest-first-call.js';
import { weeklyDigestInput } from './digest-input.js';
import { postsToJson } from './posts-json.js';
import { renderSyntheticPosts } from './synthetic-content.js';

const SIZES = [10, 30] as const;
const WARMUP = 5;
const RUNS = 30;
const FRESH_PROCESSES = 5;
/** Gmail clips a message whose HTML is larger than this. */
const GMAIL_CLIP_BYTES = 102_000;

export async function digestRenderBenchmark(): Promise<BenchReport> {
  const { publication, posts } = renderSyntheticPosts(Math.max(...SIZES), { feedItems: 20 });
  const templates = (await readTemplates(join(REPO_ROOT, 'templates'))).email;
  const input = (n: number) => weeklyDigestInput(publication, templates, posts.slice(0, n));

  const warm = new Map<number, { wall: number[]; cpu: number[] }>();
  const sizes = new Map<number, { html: number; text: number }>();
  for (const n of SIZES) {
    progress(`digest of ${n} posts: ${WARMUP} warm-up and ${RUNS} measured renders`);
    warm.set(n, await measureWithCpu(() => renderEdition(input(n)), { warmup: WARMUP, runs: RUNS }));
    const rendered = await renderEdition(input(n));
    sizes.set(n, { html: Buffer.byteLength(rendered.html), text: Buffer.byteLength(rendered.text) });
  }

  const dir = await makeTempDir('digest');
  const first = new Map<number, DigestFirstCall[]>();
  try {
    const postsFile = join(dir, 'posts.json');
    await writeFile(postsFile, postsToJson({ publication, posts }));
    const child = (n: number) =>
      runNodeJson<DigestFirstCall>(
        [
          ...tsxImport(),
          join(REPO_ROOT, 'bench/publishing/digest-first-call.ts'),
          postsFile,
          join(REPO_ROOT, 'templates/email'),
          String(n),
        ],
        { cwd: REPO_ROOT },
      );
    // One run thrown away: it fills the disk cache and tsx's transform cache, which a deployed
    // function would not pay for either.
    await child(SIZES[0]);
    for (const n of SIZES) {
      progress(`digest of ${n} posts: first call in ${FRESH_PROCESSES} fresh processes`);
      const runs: DigestFirstCall[] = [];
      for (let i = 0; i < FRESH_PROCESSES; i++) runs.push(await child(n));
      first.set(n, runs);
    }
  } finally {
    await removeDir(dir);
  }

  const rows = SIZES.map((n) => {
    const w = summarize(warm.get(n)?.wall ?? []);
    const cpu = median(warm.get(n)?.cpu ?? []);
    const f = first.get(n) ?? [];
    const size = sizes.get(n) ?? { html: 0, text: 0 };
    return [
      String(n),
      `${ms(median(f.map((r) => r.firstMs)))} (${ms(median(f.map((r) => r.firstCpuMs)))})`,
      `${ms(median(f.map((r) => r.importMs)))} (${ms(median(f.map((r) => r.importCpuMs)))})`,
      ms(median(f.map((r) => r.secondMs))),
      ms(cpu),
      ms(w.median),
      `${ms(w.p10)} – ${ms(w.p90)}`,
      bytes(size.html),
      bytes(size.text),
    ];
  });
  const tenPostHtml = sizes.get(10)?.html ?? Number.POSITIVE_INFINITY;
  return {
    title: 'Digest render',
    command: 'npx tsx bench/publishing/digest-render.ts',
    setup: [
      'One digest edition rendered once with `renderEdition` (templates/email/digest.mjml and digest.txt.liquid: Liquid, then MJML 5 with strict validation, plus the plain-text part), for the 10 and 30 newest synthetic posts (600–1,500 words each, with summaries, every other one with a lead image).',
      `Warm: ${WARMUP} warm-up renders, then the median of ${RUNS} renders in one process: CPU time (user + system) and wall time, with the wall time’s 10th–90th percentiles. A render of tens of milliseconds is often paused for other processes on a shared machine: the CPU time is the steadier figure.`,
      `First call: median over ${FRESH_PROCESSES} fresh Node processes (one more run first, thrown away, to fill the disk cache and tsx’s transform cache). “Import” is loading core/email/render-edition.ts and its dependencies (MJML, Liquid, html-to-text) through tsx; “first call” is the first \`renderEdition\` after that import; “second call” follows it in the same process. CPU time in brackets.`,
    ],
    tables: [
      markdownTable(
        [
          'posts',
          'first call, wall (CPU)',
          'import, wall (CPU)',
          'second call',
          'warm CPU median',
          'warm wall median',
          'wall p10 – p90',
          'HTML',
          'text',
        ],
        rows,
        ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
    ],
    verdicts: [
      {
        target: `HTML of a 10-post digest under ${count(GMAIL_CLIP_BYTES)} bytes (Gmail clips larger mail)`,
        measured: `${count(tenPostHtml)} bytes`,
        pass: tenPostHtml < GMAIL_CLIP_BYTES,
      },
    ],
    notes: [
      'An edition is rendered once per edition, not per recipient: these figures are paid once per digest, whatever the audience (see the next benchmark for the per-recipient cost).',
      ...SIZES.filter((n) => (sizes.get(n)?.html ?? 0) >= GMAIL_CLIP_BYTES).map(
        (n) =>
          `The ${n}-post digest’s HTML is ${count(sizes.get(n)?.html ?? 0)} bytes: Gmail would clip it (“[Message clipped]”), hiding the footer and its unsubscribe link; a digest that long needs fewer posts or shorter cards.`,
      ),
    ],
  };
}

await runBenchmark(import.meta.url, digestRenderBenchmark);
