import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { msSince } from './measure.js';

/** A whole command to time: the program and its arguments, no shell. */
export interface TimedCommand {
  name: string;
  argv: readonly string[];
  /** Run before every timed run (and warm-up), not timed: e.g. removing the output folder. */
  prepare?: readonly string[] | undefined;
}

export interface CommandTiming {
  name: string;
  /** Wall-clock milliseconds of each measured run. */
  times: number[];
  /** Mean CPU time (user + system) of the measured runs, milliseconds; unknown without hyperfine. */
  cpuMeanMs?: number | undefined;
  /** `hyperfine 1.15.0`, or `child_process.spawnSync` when hyperfine is not installed. */
  tool: string;
}

function hyperfineVersion(): string | undefined {
  const result = spawnSync('hyperfine', ['--version'], { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/** Quotes an argument for hyperfine's own word splitting (it runs commands without a shell here). */
function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'"'"'`)}'`;
}

/**
 * Times whole commands with hyperfine (warm-up runs, then `runs` timed runs, no shell, each
 * command's `prepare` before every run), all in the working folder `cwd`. Falls
 * back to timing spawnSync itself, saying so, when hyperfine is missing.
 */
export function timeCommands(
  commands: readonly TimedCommand[],
  options: { warmup: number; runs: number; cwd: string },
): CommandTiming[] {
  // hyperfine pairs --prepare options with commands in order: all of them have one, or none.
  if (commands.some((c) => !c.prepare) && commands.some((c) => c.prepare)) {
    throw new Error('timeCommands: give every command a prepare step, or none');
  }
  const version = hyperfineVersion();
  if (!version) return commands.map((c) => timeWithSpawn(c, options));
  const dir = mkdtempSync(join(tmpdir(), 'gazette-hyperfine-'));
  try {
    const exportFile = join(dir, 'results.json');
    const args = [
      '--shell=none',
      '--style',
      'basic',
      '--warmup',
      String(options.warmup),
      '--runs',
      String(options.runs),
      '--export-json',
      exportFile,
    ];
    for (const command of commands) {
      if (command.prepare) args.push('--prepare', command.prepare.map(quote).join(' '));
      args.push('--command-name', command.name, command.argv.map(quote).join(' '));
    }
    const run = spawnSync('hyperfine', args, { cwd: options.cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) throw new Error(`hyperfine exited with ${run.status}`);
    const parsed = JSON.parse(readFileSync(exportFile, 'utf8')) as {
      results: Array<{ command: string; times: number[]; user: number; system: number }>;
    };
    return parsed.results.map((r) => ({
      name: r.command,
      times: r.times.map((s) => s * 1000),
      cpuMeanMs: (r.user + r.system) * 1000,
      tool: version,
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function timeWithSpawn(
  command: TimedCommand,
  options: { warmup: number; runs: number; cwd: string },
): CommandTiming {
  const times: number[] = [];
  const { cwd } = options;
  for (let run = 0; run < options.warmup + options.runs; run++) {
    if (command.prepare) {
      const [program, ...args] = command.prepare;
      spawnSync(program as string, args, { cwd, stdio: 'ignore' });
    }
    const [program, ...args] = command.argv;
    const start = process.hrtime.bigint();
    const result = spawnSync(program as string, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    const elapsed = msSince(start);
    if (result.status !== 0) throw new Error(`${command.name} exited with ${result.status}`);
    if (run >= options.warmup) times.push(elapsed);
  }
  return { name: command.name, times, tool: 'child_process.spawnSync (hyperfine not installed)' };
}
