/**
 * Runs every benchmark section in turn, each runner in its own process: publishing, delivery
 * (about a quarter of an hour), then the function bundles. Each runner rewrites its own section
 * of docs/performance.md; a failed section is reported and the next one still runs.
 *
 * Usage: npx tsx bench/run-all.ts [--only SECTION[,SECTION…]] [--no-docs] [--dry-run]
 * Sections: publishing, delivery, bundles. --dry-run prints the commands and runs nothing.
 */
import { spawn } from 'node:child_process';
import { isEntryPoint } from './support/bench-report.js';
import { tsxImport } from './support/child-process.js';
import { REPO_ROOT } from './support/paths.js';

export const SECTIONS = [
  { id: 'publishing', script: 'bench/run-publishing.ts' },
  { id: 'delivery', script: 'bench/run-delivery.ts' },
  { id: 'bundles', script: 'bench/bundles.ts' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

export interface RunAllOptions {
  sections: SectionId[];
  docs: boolean;
  dryRun: boolean;
}

const USAGE = 'usage: npx tsx bench/run-all.ts [--only SECTION[,SECTION…]] [--no-docs] [--dry-run]';

function isSectionId(id: string): id is SectionId {
  return SECTIONS.some((s) => s.id === id);
}

/** The options in `args`, or the reason they are wrong. */
export function parseRunAllArgs(args: readonly string[]): RunAllOptions | { error: string } {
  const onlyAt = args.indexOf('--only');
  const listed = onlyAt === -1 ? undefined : (args[onlyAt + 1] ?? '').split(',').filter(Boolean);
  const known = new Set(['--only', '--no-docs', '--dry-run', ...(onlyAt === -1 ? [] : [args[onlyAt + 1]])]);
  const stray = args.filter((a) => !known.has(a));
  if (stray.length > 0) return { error: `unknown argument ${stray.join(' ')}\n${USAGE}` };
  if (listed !== undefined && listed.length === 0) return { error: `--only needs a section\n${USAGE}` };
  const unknown = (listed ?? []).filter((id) => !isSectionId(id));
  if (unknown.length > 0) {
    return {
      error: `unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.id).join(', ')}`,
    };
  }
  return {
    sections: SECTIONS.map((s) => s.id).filter((id) => listed === undefined || listed.includes(id)),
    docs: !args.includes('--no-docs'),
    dryRun: args.includes('--dry-run'),
  };
}

/** The Node arguments that run one section's runner. */
export function sectionArgs(id: SectionId, docs: boolean): string[] {
  const section = SECTIONS.find((s) => s.id === id);
  if (!section) throw new RangeError(`unknown section ${id}`);
  return [...tsxImport(), section.script, ...(docs ? [] : ['--no-docs'])];
}

function runChild(args: readonly string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

/** Runs the sections in turn; resolves to the ids of those that failed. */
export async function runAll(options: RunAllOptions): Promise<SectionId[]> {
  const failed: SectionId[] = [];
  for (const id of options.sections) {
    const args = sectionArgs(id, options.docs);
    const shown = ['npx tsx', ...args.slice(tsxImport().length)].join(' ');
    if (options.dryRun) {
      console.log(`${id}: ${shown}`);
      continue;
    }
    console.log(`\n=== ${id}: ${shown}\n`);
    const started = performance.now();
    const code = await runChild(args);
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`\n=== ${id}: ${code === 0 ? 'done' : `failed (exit code ${code})`} in ${seconds} s`);
    if (code !== 0) failed.push(id);
  }
  return failed;
}

if (isEntryPoint(import.meta.url)) {
  const options = parseRunAllArgs(process.argv.slice(2));
  if ('error' in options) {
    console.error(options.error);
    process.exitCode = 2;
  } else {
    const failed = await runAll(options);
    if (!options.dryRun) {
      console.log(failed.length === 0 ? '\nEvery section ran.' : `\nFailed: ${failed.join(', ')}.`);
    }
    if (failed.length > 0) process.exitCode = 1;
  }
}
