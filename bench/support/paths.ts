import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder (benchmarks read its templates and run its CLI). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh folder under the system's temporary folder; remove it with {@link removeDir}. */
export function makeTempDir(label: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `gazette-bench-${label}-`));
}

export function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}
