/**
 * Full build of a synthetic 1,000-post publication, as `gazette build` does it, against
 * Eleventy 3 + @11ty/eleventy-plugin-rss building the same posts into comparable pages and an
 * RSS feed, on the same machine in the same run.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { readContentDir } from '../../adapters/fs/read-content-dir.js';
import { readTemplates } from '../../adapters/fs/read-templates.js';
import { loadContent } from '../../core/content/load-content.js';
import { selectPublished } from '../../core/content/select-published.js';
import { renderPost } from '../../core/render/render-post.js';
import { buildSite } from '../../core/site/build-site.js';
import { type BenchReport, progress, runBenchmark } from '../support/bench-report.js';
import { runNode, runNodeJson, tsxImport } from '../support/child-process.js';
import { type CpuShare, cpuByOwner } from '../support/cpu-profile.js';
import { bytes, count, ms, percent, ratio } from '../support/format.js';
import { timeCommands } from '../support/hyperfine.js';
import { markdownTable } from '../support/markdown-table.js';
import { measure } from '../support/measure.js';
import { makeTempDir, REPO_ROOT, removeDir } from '../support/paths.js';
import { median } from '../support/stats.js';
import { type BuildRun, buildLikeCli } from './build-like-cli.js';
import { frontMatterSchemaCost } from './front-matter-schema.js';
import type { BuildOnce } from './gazette-build-once.js';
import { prepareEleventyProject } from './prepare-eleventy.js';
import { AFTER_ALL_POSTS, SYNTHETIC_TAGS, syntheticContent, writeContent } from './synthetic-content.js';

const POSTS = 1000;
const FEED_ITEMS = 20;
const IN_PROCESS_WARM_RUNS = 3;
const FRESH_PROCESS_RUNS = 3;
const WHOLE_COMMAND = { warmup: 1, runs: 7 };

interface OutputSummary {
  files: number;
  bytes: number;
  postPages: number;
  tagPages: number;
  feeds: string[];
}

async function summarizeOutput(dir: string): Promise<OutputSummary> {
  const paths: string[] = [];
  let total = 0;
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        paths.push(relative(dir, path).split(sep).join('/'));
        total += (await stat(path)).size;
      }
    }
  };
  await walk(dir);
  return {
    files: paths.length,
    bytes: total,
    postPages: paths.filter((p) => /^posts\/[^/]+\/index\.html$/.test(p)).length,
    tagPages: paths.filter((p) => /^tags\/[^/]+\/index\.html$/.test(p)).length,
    feeds: paths.filter((p) => /(^|\/)(feed\.xml|atom\.xml|feed\.json)$/.test(p)).sort(),
  };
}

function checkOutput(name: string, summary: OutputSummary, tags: number): void {
  if (summary.postPages !== POSTS || summary.tagPages !== tags || !summary.feeds.includes('feed.xml')) {
    throw new Error(
      `${name} built ${summary.postPages} post pages, ${summary.tagPages} tag pages and feeds ${summary.feeds.slice(0, 5).join(', ')}; expected ${POSTS}, ${tags} and feed.xml`,
    );
  }
}

async function readProfile(dir: string): Promise<CpuShare[]> {
  const [file] = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile written to ${dir}`);
  return cpuByOwner(await readFile(join(dir, file), 'utf8'), REPO_ROOT);
}

/** The owners that took the most CPU on either side, with each side's self time. */
function profileTable(gazette: readonly CpuShare[], eleventy: readonly CpuShare[]): string {
  const top = (shares: readonly CpuShare[]) => shares.slice(0, 10).map((s) => s.owner);
  const owners = [...new Set([...top(gazette), ...top(eleventy)])];
  const cell = (shares: readonly CpuShare[], owner: string) => {
    const share = shares.find((s) => s.owner === owner);
    return share ? `${ms(share.ms)} (${percent(share.share)})` : '—';
  };
  const total = (shares: readonly CpuShare[]) => ms(shares.reduce((sum, s) => sum + s.ms, 0));
  const rows = owners.map((owner) => [owner, cell(gazette, owner), cell(eleventy, owner)]);
  return markdownTable(
    ['CPU self time by owner, one profiled fresh process each', 'Gazette', 'Eleventy'],
    [...rows, ['all sampled', total(gazette), total(eleventy)]],
    ['left', 'right', 'right'],
  );
}

export async function fullBuildBenchmark(): Promise<BenchReport> {
  const dir = await makeTempDir('full-build');
  try {
    const contentDir = join(dir, 'content');
    const eleventyDir = join(dir, 'eleventy');
    const templatesDir = join(REPO_ROOT, 'templates');
    progress(`writing ${count(POSTS)} synthetic posts and the Eleventy project`);
    const { files, posts } = syntheticContent(POSTS, { feedItems: FEED_ITEMS });
    await writeContent(contentDir, files);
    await prepareEleventyProject(eleventyDir, files);
    const tags = new Set(posts.flatMap((p) => p.tags)).size;
    const words = median(posts.map((p) => p.words));
    const markdownBytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);

    // Whole commands first: their warm-up run also fills the disk cache for what follows.
    const gazetteOut = join(dir, 'out-gazette');
    const eleventyOut = join(dir, 'out-eleventy');
    progress(
      `whole commands with hyperfine, interleaved: ${WHOLE_COMMAND.warmup} warm-up and ${WHOLE_COMMAND.runs} measured rounds`,
    );
    const [gazetteCli, eleventyCli, startup] = timeCommands(
      [
        {
          name: 'gazette build',
          argv: [
            process.execPath,
            'bin/gazette.js',
            'build',
            '--content',
            contentDir,
            '--templates',
            templatesDir,
            '--out',
            gazetteOut,
            '--quiet',
          ],
          prepare: ['rm', '-rf', gazetteOut],
        },
        {
          name: 'eleventy',
          argv: [process.execPath, 'bench/publishing/eleventy-build.ts', eleventyDir, eleventyOut],
          prepare: ['rm', '-rf', eleventyOut],
        },
        { name: 'gazette --version', argv: [process.execPath, 'bin/gazette.js', '--version'] },
      ],
      { ...WHOLE_COMMAND, cwd: REPO_ROOT, progress },
    );
    if (!gazetteCli || !eleventyCli || !startup) throw new Error('hyperfine returned no timing');
    const gazetteSummary = await summarizeOutput(gazetteOut);
    const eleventySummary = await summarizeOutput(eleventyOut);
    checkOutput('gazette build', gazetteSummary, tags);
    checkOutput('Eleventy', eleventySummary, tags);

    progress(`build only, in ${FRESH_PROCESS_RUNS} fresh processes each`);
    const ours: BuildOnce[] = [];
    const theirs: Array<{ importMs: number; buildMs: number; maxRssMb: number; cpuMs: number }> = [];
    const buildOurs = async () =>
      ours.push(
        await runNodeJson<BuildOnce>(
          [...tsxImport(), 'bench/publishing/gazette-build-once.ts', contentDir, templatesDir, gazetteOut],
          { cwd: REPO_ROOT },
        ),
      );
    const buildTheirs = async () =>
      theirs.push(
        await runNodeJson(['bench/publishing/eleventy-build.ts', eleventyDir, eleventyOut], {
          cwd: REPO_ROOT,
        }),
      );
    for (let i = 0; i < FRESH_PROCESS_RUNS; i++) {
      await removeDir(gazetteOut);
      await removeDir(eleventyOut);
      // Alternating order, as for the whole commands.
      for (const build of i % 2 === 0 ? [buildOurs, buildTheirs] : [buildTheirs, buildOurs]) await build();
    }

    progress('one profiled build on each side (CPU profile, not timed)');
    const profiles = { gazette: join(dir, 'profile-gazette'), eleventy: join(dir, 'profile-eleventy') };
    await removeDir(gazetteOut);
    await removeDir(eleventyOut);
    await runNode(
      [
        ...tsxImport(),
        '--cpu-prof',
        '--cpu-prof-dir',
        profiles.gazette,
        'bench/publishing/gazette-build-once.ts',
        contentDir,
        templatesDir,
        gazetteOut,
      ],
      { cwd: REPO_ROOT },
    );
    await runNode(
      [
        '--cpu-prof',
        '--cpu-prof-dir',
        profiles.eleventy,
        'bench/publishing/eleventy-build.ts',
        eleventyDir,
        eleventyOut,
      ],
      { cwd: REPO_ROOT },
    );
    const gazetteCpu = await readProfile(profiles.gazette);
    const eleventyCpu = await readProfile(profiles.eleventy);

    progress(`in this process: first build, then ${IN_PROCESS_WARM_RUNS} more into fresh folders`);
    const runs: BuildRun['phases'][] = [];
    for (let i = 0; i <= IN_PROCESS_WARM_RUNS; i++) {
      const outDir = join(dir, `out-in-process-${i}`);
      // Only the phases are kept: holding every build's pages would slow the next one's GC.
      runs.push((await buildLikeCli({ contentDir, templatesDir, outDir, now: AFTER_ALL_POSTS })).phases);
      await removeDir(outDir);
    }
    const [first, ...warm] = runs;
    if (!first || warm.length === 0) throw new Error('no in-process build');

    progress('where the time goes: each step of the build on its own, warm');
    const contentFiles = await readContentDir(contentDir);
    const siteTemplates = (await readTemplates(templatesDir)).site;
    const load = await measure(() => loadContent(contentFiles), { warmup: 1, runs: 3 });
    const content = loadContent(contentFiles);
    const due = selectPublished(content.posts, AFTER_ALL_POSTS);
    const render = await measure(() => due.map((p) => renderPost(p, content.publication)), {
      warmup: 1,
      runs: 3,
    });
    const rendered = due.map((p) => renderPost(p, content.publication));
    const site = await measure(
      () => buildSite({ publication: content.publication, posts: rendered, templates: siteTemplates }),
      { warmup: 1, runs: 3 },
    );
    const schemaCost = await frontMatterSchemaCost(contentFiles, content.publication.timeZone);

    // Time ratios, Gazette over Eleventy: below 1 means Gazette is faster.
    const cliRatio = median(gazetteCli.times) / median(eleventyCli.times);
    const buildRatio = median(ours.map((r) => r.buildMs)) / median(theirs.map((r) => r.buildMs));
    const cpuRatio = median(ours.map((r) => r.cpuMs)) / median(theirs.map((r) => r.cpuMs));
    const warmTotal = median(warm.map((r) => r.total));
    const phase = (name: 'read' | 'build' | 'publish') => ms(median(warm.map((r) => r[name])));
    const cpuOf = (t: typeof gazetteCli) => (t.cpu.length === 0 ? '—' : ms(median(t.cpu)));
    return {
      title: 'Full build: 1,000 posts, Gazette against Eleventy 3',
      command: 'npx tsx bench/publishing/full-build.ts',
      setup: [
        `Content: a generated folder of ${count(POSTS)} posts (median ${count(words)} words, ${bytes(markdownBytes)} of Markdown in all) with front matter (title, date, summary, ${tags} tags spread unevenly, lead images, authors, credits), headings, links, a list and an image each; \`publication.yaml\` with \`feed.items: ${FEED_ITEMS}\` (the default) and \`feed.content: full\`. Both sides read the very same post files from disk and write to a fresh folder on every run.`,
        `Gazette (\`gazette build\`, cli/commands/build.ts): validates every file (YAML + zod), renders Markdown with markdown-it + markdown-it-anchor, **sanitizes** every post with sanitize-html, renders pages with Liquid (liquidjs) and writes ${count(gazetteSummary.files)} files (${bytes(gazetteSummary.bytes)}): ${count(POSTS)} post pages, the index (every post with its summary and tags), ${tags} tag pages, **${gazetteSummary.feeds.length} feeds** (RSS, Atom and JSON Feed of the publication and an RSS feed per tag, full content), a 404 page and the stylesheet; it compares each file’s hash with what the output folder already holds to write only changed bytes (into a fresh folder every file is written, with nothing to hash).`,
        `Eleventy 3.1 (bench/publishing/eleventy-build.ts, programmatic API, templates in bench/publishing/eleventy/): the same markdown-it setup (raw HTML, linkify, markdown-it-anchor heading links), Liquid layouts with the same markup (post page with Open Graph tags, an index of every post with summary and tags, a page per tag via pagination), **no sanitizing**, and **one feed**: RSS of the ${FEED_ITEMS} newest posts from @11ty/eleventy-plugin-rss 3 (\`feedPlugin\`, full content); ${count(eleventySummary.files)} files (${bytes(eleventySummary.bytes)}). Eleventy’s default of running Markdown through Liquid first is turned off for posts (\`templateEngineOverride: md\`), work Gazette does not do. Eleventy runs on plain Node (types stripped), Gazette’s CLI through tsx, as \`npx gazette\` runs.`,
        `Whole command: wall time of a fresh process from start to exit and its CPU time (user + system), measured with ${gazetteCli.tool}; ${WHOLE_COMMAND.warmup} warm-up and ${WHOLE_COMMAND.runs} measured rounds, each round one run of each command, in alternating order (the machine is shared and its load drifts), the output folder removed before each run. Build only: the same build timed inside a fresh process after its imports, and that process’s CPU time (median of ${FRESH_PROCESS_RUNS}, alternating too); peak memory is the process’s maximum resident set size.`,
      ],
      tables: [
        markdownTable(
          [
            'build',
            'whole command, median',
            'min – max',
            'its CPU, median',
            'build only (fresh process)',
            'its CPU (whole process)',
            'imports',
            'peak RSS',
            'files',
          ],
          [
            [
              'Gazette `gazette build`',
              ms(median(gazetteCli.times)),
              `${ms(Math.min(...gazetteCli.times))} – ${ms(Math.max(...gazetteCli.times))}`,
              cpuOf(gazetteCli),
              ms(median(ours.map((r) => r.buildMs))),
              ms(median(ours.map((r) => r.cpuMs))),
              ms(median(ours.map((r) => r.importMs))),
              `${Math.round(median(ours.map((r) => r.maxRssMb)))} MB`,
              count(gazetteSummary.files),
            ],
            [
              'Eleventy 3 + RSS plugin',
              ms(median(eleventyCli.times)),
              `${ms(Math.min(...eleventyCli.times))} – ${ms(Math.max(...eleventyCli.times))}`,
              cpuOf(eleventyCli),
              ms(median(theirs.map((r) => r.buildMs))),
              ms(median(theirs.map((r) => r.cpuMs))),
              ms(median(theirs.map((r) => r.importMs))),
              `${Math.round(median(theirs.map((r) => r.maxRssMb)))} MB`,
              count(eleventySummary.files),
            ],
            [
              'Gazette ÷ Eleventy (time; below 1: Gazette faster)',
              ratio(cliRatio),
              '',
              gazetteCli.cpu.length > 0 && eleventyCli.cpu.length > 0
                ? ratio(median(gazetteCli.cpu) / median(eleventyCli.cpu))
                : '—',
              ratio(buildRatio),
              ratio(cpuRatio),
              '',
              '',
              '',
            ],
          ],
          ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
        ),
        markdownTable(
          ['Gazette in one process', 'total', 'read folders', 'build in memory', 'write changed files'],
          [
            ['first build', ms(first.total), ms(first.read), ms(first.build), ms(first.publish)],
            [
              `warm, median of ${warm.length}`,
              ms(warmTotal),
              phase('read'),
              phase('build'),
              phase('publish'),
            ],
          ],
          ['left', 'right', 'right', 'right', 'right'],
        ),
        markdownTable(
          [
            'inside “build in memory” (warm, median of 3)',
            'parse + validate (loadContent)',
            'Markdown + sanitize (renderPost × 1,000)',
            'pages + feeds (buildSite)',
          ],
          [['', ms(median(load)), ms(median(render)), ms(median(site))]],
          ['left', 'right', 'right', 'right'],
        ),
        profileTable(gazetteCpu, eleventyCpu),
      ],
      verdicts: [
        {
          target:
            'a full build faster than Eleventy 3 + @11ty/eleventy-plugin-rss (whole command, same posts, same run)',
          measured: `Gazette ${ms(median(gazetteCli.times))}, Eleventy ${ms(median(eleventyCli.times))} (median wall time; CPU ${cpuOf(gazetteCli)} against ${cpuOf(eleventyCli)}): Gazette takes ${ratio(cliRatio)} Eleventy’s time`,
          pass: cliRatio < 1,
        },
      ],
      notes: [
        `The build alone, timed inside a fresh process after its imports, takes ${ratio(buildRatio)} Eleventy’s time (its process’s CPU ${ratio(cpuRatio)})${buildRatio < cliRatio * 0.8 ? ': most of what separates the whole commands lies around the build, not in it' : ''}.`,
        `The CLI’s own start-up, \`gazette --version\` (Node, tsx and the command table; a command’s modules load only when it runs), takes ${ms(median(startup.times))} wall${startup.cpu.length > 0 ? ` and ${ms(median(startup.cpu))} CPU` : ''}; \`gazette build\` then imports its own modules (the “imports” column above).`,
        `Diagnostic, front matter validation: the ${count(schemaCost.posts)} front matters checked with zod as \`readPost\` (core/content/parse-post.ts) does it, one schema per time zone built once (\`frontMatterSchema(timeZone)\`), take ${ms(schemaCost.validateMs)} (YAML parsing not included).`,
        `Gazette does more than the Eleventy side here (sanitizing, validation, Atom, JSON Feed, ${tags} tag feeds, content hashes); the comparison leaves that work in and Eleventy’s out.`,
        `Synthetic tags in use: ${tags} of the ${SYNTHETIC_TAGS.length} in the generator.`,
      ],
    };
  } finally {
    await removeDir(dir);
  }
}

await runBenchmark(import.meta.url, fullBuildBenchmark);
