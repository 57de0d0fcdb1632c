/**
 * Incremental publishing: after one post of the 1,000 changes, a rebuild into the same folder
 * should rewrite only the files that show that post (its page, its tag pages and tag feeds, the
 * index and the feeds) and nothing else. Rewrites are found on disk (a new inode or modification
 * time), not taken from the build's own report, and any file outside the target is flagged.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { tagSlug } from '../../core/site/tag-slug.js';
import { type BenchReport, progress, runBenchmark } from '../support/bench-report.js';
import { count, ms } from '../support/format.js';
import { markdownTable } from '../support/markdown-table.js';
import { makeTempDir, REPO_ROOT, removeDir } from '../support/paths.js';
import { buildLikeCli } from './build-like-cli.js';
import {
  AFTER_ALL_POSTS,
  editBody,
  type SyntheticPost,
  syntheticContent,
  writeContent,
} from './synthetic-content.js';

const POSTS = 1000;
const FEED_ITEMS = 20;

interface FileState {
  ino: bigint;
  mtimeNs: bigint;
  md5: string;
}

/** Every file under `dir` with what tells a rewrite apart: inode, modification time, content hash. */
async function snapshot(dir: string): Promise<Map<string, FileState>> {
  const out = new Map<string, FileState>();
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) await walk(path);
      else {
        const info = await stat(path, { bigint: true });
        const md5 = createHash('md5')
          .update(await readFile(path))
          .digest('hex');
        out.set(relative(dir, path).split(sep).join('/'), { ino: info.ino, mtimeNs: info.mtimeNs, md5 });
      }
    }
  };
  await walk(dir);
  return out;
}

interface DiskChanges {
  /** Written again (new inode or modification time), or created. */
  rewritten: string[];
  /** Rewritten with exactly the bytes it had: work a rebuild should have skipped. */
  sameBytes: string[];
  removed: string[];
}

function diff(before: Map<string, FileState>, after: Map<string, FileState>): DiskChanges {
  const rewritten: string[] = [];
  const sameBytes: string[] = [];
  for (const [path, now] of after) {
    const was = before.get(path);
    if (!was) rewritten.push(path);
    else if (was.ino !== now.ino || was.mtimeNs !== now.mtimeNs) {
      rewritten.push(path);
      if (was.md5 === now.md5) sameBytes.push(path);
    }
  }
  const removed = [...before.keys()].filter((path) => !after.has(path));
  return { rewritten: rewritten.sort(), sameBytes: sameBytes.sort(), removed: removed.sort() };
}

/** The files allowed to change when `post` changes: its page, its tags' pages and feeds, the index, the feeds. */
function target(post: SyntheticPost | undefined): Set<string> {
  if (!post) return new Set();
  return new Set([
    `posts/${post.slug}/index.html`,
    ...post.tags.flatMap((tag) => [`tags/${tagSlug(tag)}/index.html`, `tags/${tagSlug(tag)}/feed.xml`]),
    'index.html',
    'feed.xml',
    'atom.xml',
    'feed.json',
  ]);
}

/** Why a file of the target legitimately stayed as it was. */
function whyUnchanged(path: string, post: SyntheticPost, posts: readonly SyntheticPost[]): string {
  const newerThan = (list: readonly SyntheticPost[]) => list.filter((p) => p.date > post.date).length;
  if (path === 'feed.xml' || path === 'atom.xml' || path === 'feed.json') {
    const rank = newerThan(posts) + 1;
    return rank > FEED_ITEMS
      ? `the post is number ${rank} by date; the feeds carry the ${FEED_ITEMS} newest`
      : 'expected to change: the post is within the feed window';
  }
  const tagFeed = /^tags\/([^/]+)\/feed\.xml$/.exec(path);
  if (tagFeed) {
    const tagged = posts.filter((p) => p.tags.some((t) => tagSlug(t) === tagFeed[1]));
    const rank = newerThan(tagged) + 1;
    return rank > FEED_ITEMS
      ? `the post is number ${rank} of its tag; the tag feed carries the ${FEED_ITEMS} newest`
      : 'expected to change: the post is within the tag feed window';
  }
  if (path === 'index.html' || path.startsWith('tags/')) {
    return 'lists show the title, date, summary and tags, none of which changed';
  }
  return 'expected to change';
}

interface Scenario {
  name: string;
  /** Index of the post edited (0 = newest), or none. */
  edit?: number | undefined;
}

const SCENARIOS: Scenario[] = [
  { name: 'nothing changed' },
  { name: 'newest post: a paragraph added to its body', edit: 0 },
  { name: 'the 500th newest post: a paragraph added to its body', edit: 499 },
];

export async function rewritesBenchmark(): Promise<BenchReport> {
  const dir = await makeTempDir('rewrites');
  try {
    const contentDir = join(dir, 'content');
    const outDir = join(dir, 'site');
    const templatesDir = join(REPO_ROOT, 'templates');
    const { files, posts } = syntheticContent(POSTS, { feedItems: FEED_ITEMS });
    await writeContent(contentDir, files);
    progress(`first build of ${count(POSTS)} posts`);
    const firstBuild = await buildLikeCli({ contentDir, templatesDir, outDir, now: AFTER_ALL_POSTS });
    const totalFiles = (await snapshot(outDir)).size;

    const rows: string[][] = [];
    const details: string[] = [];
    let unexpectedTotal = 0;
    for (const scenario of SCENARIOS) {
      progress(`rebuild: ${scenario.name}`);
      const post = scenario.edit === undefined ? undefined : posts[scenario.edit];
      if (post) {
        const path = join(contentDir, post.path);
        await writeFile(
          path,
          editBody(
            await readFile(path, 'utf8'),
            'An added paragraph: the correspondent filed an update after the first version went out.',
          ),
        );
      }
      const before = await snapshot(outDir);
      const run = await buildLikeCli({ contentDir, templatesDir, outDir, now: AFTER_ALL_POSTS });
      const changes = diff(before, await snapshot(outDir));
      const allowed = target(post);
      const unexpected = changes.rewritten.filter((p) => !allowed.has(p));
      unexpectedTotal += unexpected.length + changes.sameBytes.length + changes.removed.length;
      const reported = [...run.report.written].sort();
      const reportMatches =
        reported.length === changes.rewritten.length && reported.every((p, i) => p === changes.rewritten[i]);

      rows.push([
        scenario.name,
        `${changes.rewritten.length} of ${count(totalFiles)}`,
        String(changes.rewritten.length - unexpected.length),
        unexpected.length === 0 ? '0' : `**${unexpected.length}**`,
        String(changes.sameBytes.length),
        ms(run.phases.total),
      ]);

      const lines = [
        `**${scenario.name}**${post ? ` (\`${post.path}\`, tags ${post.tags.join(', ')})` : ''}:`,
      ];
      if (changes.rewritten.length === 0) lines.push('  - nothing rewritten');
      for (const path of changes.rewritten) {
        lines.push(`  - ${allowed.has(path) ? 'rewritten' : '**UNEXPECTED**'}: \`${path}\``);
      }
      if (post) {
        for (const path of [...allowed].filter((p) => !changes.rewritten.includes(p)).sort()) {
          lines.push(`  - unchanged, within target: \`${path}\` (${whyUnchanged(path, post, posts)})`);
        }
      }
      for (const path of changes.sameBytes) lines.push(`  - **rewritten with identical bytes**: \`${path}\``);
      for (const path of changes.removed) lines.push(`  - **removed**: \`${path}\``);
      if (!reportMatches) {
        lines.push(
          `  - **the build reported ${reported.length} written files (${reported.slice(0, 5).join(', ')}…) but the disk shows ${changes.rewritten.length}**`,
        );
      }
      details.push(lines.join('\n'));
    }

    return {
      title: 'Files rewritten after one post changes',
      command: 'npx tsx bench/publishing/rewrites.ts',
      setup: [
        `The synthetic ${count(POSTS)}-post publication (\`feed.items: ${FEED_ITEMS}\`, every post with a front matter summary) built once into a folder (${count(totalFiles)} files, first build ${ms(firstBuild.phases.total)}), then rebuilt into the same folder as \`gazette build\` does (build everything in memory, write only files whose bytes changed), once per change below, one after the other.`,
        'Rewrites are read from the disk: a file whose inode or modification time changed, compared with the snapshot taken before the rebuild, and checked against what the build reported.',
        'Target: only the post’s page, its tag pages and tag feeds, the index and the feeds (`feed.xml`, `atom.xml`, `feed.json`). Files of the target may stay untouched when nothing they show changed (each is explained below).',
      ],
      tables: [
        markdownTable(
          [
            'change',
            'files rewritten',
            'within target',
            'outside target',
            'same bytes rewritten',
            'rebuild time',
          ],
          rows,
          ['left', 'right', 'right', 'right', 'right', 'right'],
        ),
      ],
      verdicts: [
        {
          target:
            'no file outside the post’s page, its tag pages and feeds, the index and the feeds is rewritten',
          measured:
            unexpectedTotal === 0
              ? 'none in any of the three rebuilds'
              : `${unexpectedTotal} unexpected rewrites or removals (listed below)`,
          pass: unexpectedTotal === 0,
        },
      ],
      notes: [
        ...details,
        'A rebuild still renders all 1,000 posts in memory: only the writes are incremental, so its time is close to a full build’s minus most of the writing.',
      ],
    };
  } finally {
    await removeDir(dir);
  }
}

await runBenchmark(import.meta.url, rewritesBenchmark);
