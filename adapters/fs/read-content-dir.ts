import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ContentFile } from '../../core/content/content-file.js';

/** Thrown when the content folder itself cannot be read. */
export class ContentDirError extends Error {
  override readonly name = 'ContentDirError';
}

/**
 * Reads every file under the content folder as UTF-8 text, with POSIX paths relative to it.
 * Hidden files and folders (`.git`, `.DS_Store`) are left out.
 */
export async function readContentDir(dir: string): Promise<ContentFile[]> {
  let entries: string[];
  try {
    entries = await walk(dir);
  } catch (cause) {
    throw new ContentDirError(`cannot read content folder ${dir}: ${(cause as Error).message}`, { cause });
  }
  const files = await Promise.all(
    entries.map(async (path) => ({
      path: relative(dir, path).split(sep).join('/'),
      text: await readFile(path, 'utf8'),
    })),
  );
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}
