/**
 * Runs every publishing benchmark, each in its own fresh process, prints their reports, and
 * rewrites the Publishing section of docs/performance.md (between its marker comments) with the
 * figures, the machine and the date. Other sections of that file are left as they are.
 *
 * Usage: npx tsx bench/run-publishing.ts [--only ID[,ID…]] [--no-docs]
 * IDs: digest-render, personalization, feed-build, full-build, rewrites.
 * With --only, the report is printed but the document is not touched (it would lose the rest).
 */
import { isEntryPoint } from './support/bench-report.js';
import { type BenchSection, runSectionCli } from './support/run-section.js';

export const PUBLISHING: BenchSection = {
  name: 'publishing',
  heading: 'Publishing',
  command: 'npx tsx bench/run-publishing.ts',
  benchmarks: [
    { id: 'digest-render', file: 'bench/publishing/digest-render.ts' },
    { id: 'personalization', file: 'bench/publishing/personalization.ts' },
    { id: 'feed-build', file: 'bench/publishing/feed-build.ts' },
    { id: 'full-build', file: 'bench/publishing/full-build.ts' },
    { id: 'rewrites', file: 'bench/publishing/rewrites.ts' },
  ],
  loadNote:
    'figures taken under load are slower than on an idle one, but each ratio compares two measurements of the same run.',
};

if (isEntryPoint(import.meta.url)) await runSectionCli(PUBLISHING, process.argv.slice(2));
