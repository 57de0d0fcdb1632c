/**
 * Child process of the full-build benchmark: in a fresh Node, imports the build and runs it once
 * (as `gazette build` does), printing how long the import and the build took.
 *
 * Usage: node --import tsx gazette-build-once.ts CONTENT_DIR TEMPLATES_DIR OUTPUT_DIR
 */
import { reportToParent } from '../support/child-process.js';
import { msSince } from '../support/measure.js';

export interface BuildOnce {
  importMs: number;
  buildMs: number;
  maxRssMb: number;
  /** CPU time (user + system) of the whole process, milliseconds. */
  cpuMs: number;
  written: number;
}

const [contentDir, templatesDir, outDir] = process.argv.slice(2);
if (!contentDir || !templatesDir || !outDir) {
  process.stderr.write('usage: gazette-build-once.ts CONTENT_DIR TEMPLATES_DIR OUTPUT_DIR\n');
  process.exit(2);
}
let start = process.hrtime.bigint();
const { buildLikeCli } = await import('./build-like-cli.js');
const importMs = msSince(start);
start = process.hrtime.bigint();
const run = await buildLikeCli({ contentDir, templatesDir, outDir, now: new Date() });
const buildMs = msSince(start);
const cpu = process.cpuUsage();
const result: BuildOnce = {
  importMs,
  buildMs,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  cpuMs: (cpu.user + cpu.system) / 1000,
  written: run.report.written.length,
};
reportToParent(result);
