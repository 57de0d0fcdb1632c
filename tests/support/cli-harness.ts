import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../cli/command.js';
import { main } from '../../cli/main.js';

export const repoRoot = join(import.meta.dirname, '..', '..');

/** A throwaway working folder with a copy of the repository's content/ and templates/. */
export async function scratchProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gazette-cli-'));
  await cp(join(repoRoot, 'content'), join(dir, 'content'), { recursive: true });
  await cp(join(repoRoot, 'templates'), join(dir, 'templates'), { recursive: true });
  return dir;
}

/** Runs `gazette …` in-process with captured output and a fixed clock. */
export async function runCli(
  args: string[],
  options: { cwd: string; now?: Date },
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    cwd: options.cwd,
    now: () => options.now ?? new Date('2026-11-27T10:00:00Z'),
    env: {},
    interrupted: new Promise(() => {}),
  };
  const code = await main(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
