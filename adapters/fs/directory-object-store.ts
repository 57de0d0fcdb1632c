import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { ObjectStore, StoredObject } from '../../core/ports.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.eml': 'message/rfc822',
};

/** Content type for a key, from its extension (a folder keeps no metadata). Feeds get their own types. */
export function contentTypeOf(key: string): string {
  if (key === 'feed.xml' || key.endsWith('/feed.xml')) return 'application/rss+xml; charset=utf-8';
  if (key === 'atom.xml' || key.endsWith('/atom.xml')) return 'application/atom+xml; charset=utf-8';
  if (key === 'feed.json' || key.endsWith('/feed.json')) return 'application/feed+json; charset=utf-8';
  return TYPES[extname(key).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * An ObjectStore on a local folder, so `gazette build` writes a site the same way publishing
 * writes the bucket. Writes are atomic (temporary file + rename); keys cannot escape the folder.
 */
export class DirectoryObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(resolve(this.root) + sep))
      throw new Error(`object key escapes the output folder: ${key}`);
    return path;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const path = this.pathOf(key);
    try {
      const [body, info] = await Promise.all([readFile(path), stat(path)]);
      return {
        body: new Uint8Array(body),
        contentType: contentTypeOf(key),
        etag: `"${createHash('md5').update(body).digest('hex')}"`,
        lastModified: info.mtime,
      };
    } catch (error) {
      if (
        (error as NodeJS.ErrnoException).code === 'ENOENT' ||
        (error as NodeJS.ErrnoException).code === 'EISDIR'
      )
        return undefined;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, body);
    await rename(temporary, path);
  }

  async list(prefix = ''): Promise<Array<{ key: string; etag: string }>> {
    const out: Array<{ key: string; etag: string }> = [];
    for (const path of await walk(this.root)) {
      const key = relative(this.root, path).split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      out.push({
        key,
        etag: `"${createHash('md5')
          .update(await readFile(path))
          .digest('hex')}"`,
      });
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      const path = this.pathOf(key);
      await unlink(path).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      await removeEmptyParents(dirname(path), resolve(this.root));
    }
  }
}

async function walk(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile() && !entry.name.endsWith('.tmp')) out.push(path);
  }
  return out;
}

async function removeEmptyParents(dir: string, root: string): Promise<void> {
  let current = dir;
  while (current.startsWith(root + sep)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    current = dirname(current);
  }
}
