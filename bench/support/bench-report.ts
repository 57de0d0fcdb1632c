import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, machineLine } from './machine.js';

/** A target checked in the run that measured it. */
export interface Verdict {
  target: string;
  measured: string;
  pass: boolean;
}

/** What one benchmark found: printed on the terminal and recorded in docs/performance.md. */
export interface BenchReport {
  title: string;
  /** The command that reproduces this benchmark alone. */
  command: string;
  /** What is measured and how (one Markdown bullet each). */
  setup: string[];
  /** Markdown tables. */
  tables: string[];
  verdicts: Verdict[];
  /** Findings worth a reader's attention (one Markdown bullet each). */
  notes: string[];
}

/** The report as Markdown, under a level-3 heading. */
export function renderReport(report: BenchReport): string {
  const parts = [`### ${report.title}`, '', `\`${report.command}\``, ''];
  if (report.setup.length > 0) parts.push(...report.setup.map((line) => `- ${line}`), '');
  for (const table of report.tables) parts.push(table, '');
  if (report.verdicts.length > 0) {
    parts.push(
      ...report.verdicts.map(
        (v) => `- **${v.pass ? 'PASS' : 'MISS'}**: target ${v.target}; measured ${v.measured}.`,
      ),
      '',
    );
  }
  if (report.notes.length > 0) parts.push(...report.notes.map((line) => `- ${line}`), '');
  return parts.join('\n').trimEnd();
}

/** True when the module at `moduleUrl` is the script Node was started with. */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && resolve(entry) === fileURLToPath(moduleUrl);
}

/** Progress on stderr, so stdout stays the report. */
export function progress(message: string): void {
  process.stderr.write(`  … ${message}\n`);
}

/**
 * The entry point of a benchmark script: runs it, prints the machine and the report, and with
 * `--json FILE` also writes the report as JSON for bench/run-publishing.ts.
 */
export async function runBenchmark(moduleUrl: string, run: () => Promise<BenchReport>): Promise<void> {
  if (!isEntryPoint(moduleUrl)) return;
  const args = process.argv.slice(2);
  const jsonAt = args.indexOf('--json');
  const jsonFile = jsonAt === -1 ? undefined : args[jsonAt + 1];
  if (jsonAt !== -1 && !jsonFile) {
    process.stderr.write('usage: --json FILE\n');
    process.exitCode = 2;
    return;
  }
  console.log(`Machine: ${machineLine(describeMachine())}\n`);
  const report = await run();
  console.log(`${renderReport(report)}\n`);
  if (jsonFile) writeFileSync(jsonFile, JSON.stringify(report));
}
