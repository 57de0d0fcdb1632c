/**
 * Runs the delivery benchmarks, each in its own fresh process, prints their reports, and
 * rewrites the Delivery section of docs/performance.md (between its marker comments) with the
 * figures, the machine and the date. Other sections of that file are left as they are.
 *
 * Usage: npx tsx bench/run-delivery.ts [--only ID[,ID…]] [--no-docs]
 * IDs: worker-cpu, fan-out, pipeline. With --only the document is not touched.
 * The pipeline benchmark takes about a quarter of an hour (two runs at 14/s over 1,500 sends).
 */
import { isEntryPoint } from './support/bench-report.js';
import { type BenchSection, runSectionCli } from './support/run-section.js';

export const DELIVERY: BenchSection = {
  name: 'delivery',
  heading: 'Delivery',
  command: 'npx tsx bench/run-delivery.ts',
  benchmarks: [
    { id: 'worker-cpu', file: 'bench/delivery/worker-cpu.ts' },
    { id: 'fan-out', file: 'bench/delivery/fan-out.ts' },
    { id: 'pipeline', file: 'bench/delivery/pipeline.ts' },
  ],
  // --expose-gc lets the pipeline benchmark read the live heap after a full collection.
  nodeFlags: ['--expose-gc'],
  loadNote:
    'a process competing for its two cores gets only part of one, which caps every CPU-bound figure below (the pipeline table shows the share each run got).',
};

if (isEntryPoint(import.meta.url)) await runSectionCli(DELIVERY, process.argv.slice(2));
