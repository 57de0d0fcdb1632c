import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { msSince } from './measure.js';

/** A whole command to time: the program and its arguments, no shell. */
export interface TimedCommand {
  name: string;
  argv: readonly string[];
  /** Run before every run (warm-up ones too), not timed: e.g. removing the output folder. */
  prepare?: readonly string[] | undefined;
}

export interface CommandTiming {
  name: string;
  /** Wall-clock milliseconds of each measured run. */
  times: number[];
  /** CPU time (user + system) of each measured run, milliseconds; empty without hyperfine. */
  cpu: number[];
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

/** One run of one command: wall and CPU milliseconds. */
function runOnce(
  command: TimedCommand,
  cwd: string,
  version: string | undefined,
): { wall: number; cpu?: number } {
  if (!version) {
    if (command.prepare) {
      const [program, ...args] = command.prepare;
      spawnSync(program as string, args, { cwd, stdio: 'ignore' });
    }
    const [program, ...args] = command.argv;
    const start = process.hrtime.bigint();
    const result = spawnSync(program as string, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
    const wall = msSince(start);
    if (result.status !== 0) throw new Error(`${command.name} exited with ${result.status}`);
    return { wall };
  }
  const dir = mkdtempSync(join(tmpdir(), 'gazette-hyperfine-'));
  try {
    const exportFile = join(dir, 'result.json');
    const args = ['--shell=none', '--style', 'none', '--runs', '1', '--export-json', exportFile];
    if (command.prepare) args.push('--prepare', command.prepare.map(quote).join(' '));
    args.push('--command-name', command.name, command.argv.map(quote).join(' '));
    const run = spawnSync('hyperfine', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    if (run.status !== 0) throw new Error(`hyperfine exited with ${run.status} timing ${command.name}`);
    const parsed = JSON.parse(readFileSync(exportFile, 'utf8')) as {
      results: Array<{ times: number[]; user: number; system: number }>;
    };
    const result = parsed.results[0];
    if (result?.times.length !== 1) throw new Error(`hyperfine gave no time for ${command.name}`);
    return { wall: (result.times[0] as number) * 1000, cpu: (result.user + result.system) * 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Times whole commands with hyperfine (no shell, each command's `prepare` before every run), in
 * the working folder `cwd`. Runs are interleaved, one run of each command per round and the
 * order reversed every other round (A B, B A, …), so that a shared machine whose load drifts
 * during the benchmark weighs on every command alike. `warmup` rounds come first and are thrown
 * away. Falls back to timing spawnSync itself, saying so, when hyperfine is missing.
 */
export function timeCommands(
  commands: readonly TimedCommand[],
  options: { warmup: number; runs: number; cwd: string; progress?: (message: string) => void },
): CommandTiming[] {
  const version = hyperfineVersion();
  const timings = commands.map((c) => ({
    name: c.name,
    times: [] as number[],
    cpu: [] as number[],
    tool: version ?? 'child_process.spawnSync (hyperfine not installed)',
  }));
  for (let round = 0; round < options.warmup + options.runs; round++) {
    const measured = round >= options.warmup;
    options.progress?.(
      measured ? `round ${round - options.warmup + 1} of ${options.runs}` : `warm-up round ${round + 1}`,
    );
    const order = commands.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const result = runOnce(commands[i] as TimedCommand, options.cwd, version);
      if (!measured) continue;
      const timing = timings[i] as CommandTiming;
      timing.times.push(result.wall);
      if (result.cpu !== undefined) timing.cpu.push(result.cpu);
    }
  }
  return timings;
}
