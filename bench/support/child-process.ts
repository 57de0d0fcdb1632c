import { spawn } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The `--import` argument that lets a child Node run TypeScript sources through tsx. */
export function tsxImport(): string[] {
  return ['--import', import.meta.resolve('tsx')];
}

/**
 * Runs this Node (`process.execPath`, the same version as the parent) with `args` and collects
 * its output. Rejects when the child fails, with its stderr, so a broken benchmark never reports
 * a figure.
 */
export function runNode(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = {
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (code === 0) resolve(result);
      else
        reject(
          new Error(
            `node ${args.join(' ')} exited with ${code}:\n${result.stderr.trim() || result.stdout.trim()}`,
          ),
        );
    });
  });
}

/** Runs a child that prints one JSON object as its last stdout line, and returns that object. */
export async function runNodeJson<T>(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<T> {
  const { stdout } = await runNode(args, options);
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as T;
  } catch (cause) {
    throw new Error(`node ${args.join(' ')} printed no JSON result; it printed:\n${stdout}`, { cause });
  }
}

/** Prints one JSON result line for the parent (see {@link runNodeJson}). */
export function reportToParent(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
