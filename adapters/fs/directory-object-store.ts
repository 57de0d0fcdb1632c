import { createHash, randomBytes } from 'node:crypto';
import {
  type Dirent,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmdirSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
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
 *
 * The file system is called synchronously, on purpose: a build writes a thousand small files
 * at once from a command with nothing else to serve, and a round trip through libuv's thread pool
 * per call (mkdir, open, write, close, rename) cost more than the calls themselves, leaving the
 * process idle a quarter of the time. Each folder is created once per store.
 */
export class DirectoryObjectStore implements ObjectStore {
  private readonly root: string;
  /** Folders known to exist: created here, or written into already. */
  private readonly folders = new Set<string>();
  private readonly temporaryTag = randomBytes(4).toString('hex');
  private written = 0;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private pathOf(key: string): string {
    const path = resolve(this.root, key);
    if (!path.startsWith(this.root + sep)) throw new Error(`object key escapes the output folder: ${key}`);
    return path;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const path = this.pathOf(key);
    try {
      const body = readFileSync(path);
      return {
        body: new Uint8Array(body),
        contentType: contentTypeOf(key),
        etag: etagOf(body),
        lastModified: statSync(path).mtime,
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
    const folder = dirname(path);
    if (!this.folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      this.folders.add(folder);
    }
    const temporary = `${path}.${this.temporaryTag}${(this.written++).toString(36)}.tmp`;
    try {
      writeFileSync(temporary, body);
    } catch (error) {
      // The folder went away since (removed by another process): make it again, once.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(folder, { recursive: true });
      writeFileSync(temporary, body);
    }
    renameSync(temporary, path);
  }

  async list(prefix = ''): Promise<Array<{ key: string; etag: string }>> {
    const out: Array<{ key: string; etag: string }> = [];
    for (const path of walk(this.root)) {
      const key = relative(this.root, path).split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      out.push({ key, etag: etagOf(readFileSync(path)) });
      this.folders.add(dirname(path));
    }
    return out.sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      const path = this.pathOf(key);
      try {
        unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      this.removeEmptyParents(dirname(path));
    }
  }

  private removeEmptyParents(dir: string): void {
    let current = dir;
    while (current.startsWith(this.root + sep)) {
      try {
        rmdirSync(current);
      } catch {
        return;
      }
      this.folders.delete(current);
      current = dirname(current);
    }
  }
}

/** The entity tag S3 gives a single-part upload: the quoted MD5 of the bytes. */
function etagOf(body: Uint8Array): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

function walk(dir: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (entry.isFile() && !entry.name.endsWith('.tmp')) out.push(path);
  }
  return out;
}
