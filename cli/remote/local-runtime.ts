import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LocalStackNotRunningError } from './remote-errors.js';

/** The file the local stack writes in its state folder while it runs (see cli/dev/start-local-stack.ts). */
export const LOCAL_RUNTIME_FILE = 'local.json';

/** What a running local stack tells the CLI. */
export interface LocalRuntime {
  /** `http://127.0.0.1:PORT/`. */
  url: string;
  editorToken: string;
  pid: number;
}

/** True when a process with this id exists (EPERM: it exists, owned by someone else). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads `<stateDir>/local.json`. A missing or unreadable file, or a process that is gone (the
 * stack was killed and could not remove its file), means the stack is not running.
 */
export async function readLocalRuntime(
  stateDir: string,
  isAlive: (pid: number) => boolean = processExists,
): Promise<LocalRuntime> {
  const file = join(stateDir, LOCAL_RUNTIME_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new LocalStackNotRunningError(`no ${file}`, { cause: error });
    }
    throw new LocalStackNotRunningError(`${file} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LocalStackNotRunningError(`${file} is not valid JSON`, { cause: error });
  }
  const v = value as Partial<LocalRuntime> | null;
  if (
    !v ||
    typeof v.url !== 'string' ||
    !/^http:\/\/127\.0\.0\.1:\d+\/$/.test(v.url) ||
    typeof v.editorToken !== 'string' ||
    v.editorToken === '' ||
    typeof v.pid !== 'number' ||
    !Number.isInteger(v.pid) ||
    v.pid < 1
  ) {
    throw new LocalStackNotRunningError(`${file} does not hold { url, editorToken, pid }`);
  }
  if (!isAlive(v.pid)) throw new LocalStackNotRunningError(`its process ${v.pid} is gone`);
  return { url: v.url, editorToken: v.editorToken, pid: v.pid };
}
