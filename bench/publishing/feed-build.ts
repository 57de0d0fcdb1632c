/**
 * Feed build: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of the publication (`renderFeeds`), for 20,
 * 100 and 1,000 posts, each feed carrying every post given.
 */
import { renderFeeds } from '../../core/site/render-feeds.js';
import { type BenchReport, progress, runBenchmark } from '../support/bench-report.js';
import { bytes, count, ms, us } from '../support/format.js';
import { markdownTable } from '../support/markdown-table.js';
import { measure } from '../support/measure.js';
import { summarize } from '../support/stats.js';
import { renderSyntheticPosts } from './synthetic-content.js';

const SIZES = [20, 100, 1000] as const;
const WARMUP = 3;
const RUNS: Record<(typeof SIZES)[number], number> = { 20: 30, 100: 20, 1000: 10 };

export async function feedBuildBenchmark(): Promise<BenchReport> {
  const largest = Math.max(...SIZES);
  progress(`rendering ${count(largest)} synthetic posts (not timed)`);
  const { publication, posts } = renderSyntheticPosts(largest, { feedItems: 20 });
  const rows: string[][] = [];
  for (const n of SIZES) {
    // Every post given goes into the feeds: feed.items is set to the number of posts.
    const withItems = { ...publication, feed: { items: n, content: 'full' as const } };
    const slice = posts.slice(0, n);
    progress(`feeds of ${n} posts: ${WARMUP} warm-up and ${RUNS[n]} measured builds`);
    const samples = await measure(() => renderFeeds(withItems, slice), { warmup: WARMUP, runs: RUNS[n] });
    const feeds = renderFeeds(withItems, slice);
    const itemsInRss = feeds.rss.split('<item>').length - 1;
    if (itemsInRss !== n) throw new Error(`feed.xml of ${n} posts has ${itemsInRss} items`);
    const s = summarize(samples);
    rows.push([
      count(n),
      ms(s.median),
      `${ms(s.p10)} – ${ms(s.p90)}`,
      us(s.median / n),
      bytes(Buffer.byteLength(feeds.rss)),
      bytes(Buffer.byteLength(feeds.atom)),
      bytes(Buffer.byteLength(feeds.json)),
    ]);
  }
  return {
    title: 'Feed build',
    command: 'npx tsx bench/publishing/feed-build.ts',
    setup: [
      '`renderFeeds` builds `feed.xml` (RSS 2.0, with the `feed` package), `atom.xml` (Atom 1.0, `feed`) and `feed.json` (JSON Feed 1.1) in one call, from posts already rendered (Markdown and sanitizing are not in these figures; the full build below has them).',
      'For this benchmark `publication.feed.items` is set to the number of posts, so every feed carries all 20, 100 or 1,000 posts; `feed.content` is `full` (each item carries the whole sanitized post HTML), the heavier setting.',
      `Median (and 10th–90th percentiles) of ${RUNS[20]}, ${RUNS[100]} and ${RUNS[1000]} builds after ${WARMUP} warm-up builds, in one process. “Per post” is the median divided by the number of posts.`,
    ],
    tables: [
      markdownTable(
        ['posts', 'median (3 feeds)', 'p10 – p90', 'per post', 'feed.xml', 'atom.xml', 'feed.json'],
        rows,
        ['right', 'right', 'right', 'right', 'right', 'right', 'right'],
      ),
    ],
    verdicts: [],
    notes: [],
  };
}

await runBenchmark(import.meta.url, feedBuildBenchmark);
