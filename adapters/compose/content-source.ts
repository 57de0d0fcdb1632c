/**
 * Where a function finds the publication's content: the content bucket the deploy uploads
 * content/ to, or the content/ folder bundled next to the handler.
 */
import { createHash } from 'node:crypto';
import type { ContentFile } from '../../core/content/content-file.js';
import { classifyContentPath } from '../../core/content/load-content.js';
import type { ObjectStore } from '../../core/ports.js';
import { readContentDir } from '../fs/read-content-dir.js';

/** The content files at one moment, and a revision that differs whenever any file does. */
export interface ContentSnapshot {
  files: ContentFile[];
  revision: string;
}

export interface ContentSource {
  /** Every file the content loader reads (publication.yaml, posts/…). */
  read(): Promise<ContentSnapshot>;
}

/** The content/ folder bundled with the function: read once, it cannot change while the process lives. */
export function bundledContent(dir: string): ContentSource {
  let snapshot: Promise<ContentSnapshot> | undefined;
  return {
    read() {
      snapshot ??= readContentDir(dir).then((files) => ({ files, revision: revisionOf(files) }));
      snapshot.catch(() => {
        snapshot = undefined;
      });
      return snapshot;
    },
  };
}

/**
 * The content bucket. Each read lists the bucket and fetches only the objects whose entity tag
 * changed since the previous read (a warm function re-reads a few KB, not every post); objects
 * the loader ignores (images, READMEs, hidden files) are never fetched.
 */
export function bucketContent(objects: ObjectStore): ContentSource {
  const known = new Map<string, { etag: string; file: ContentFile }>();
  const decoder = new TextDecoder('utf-8');
  return {
    async read() {
      const listed = (await objects.list()).filter(
        (o) => !o.key.split('/').some((part) => part.startsWith('.')) && isContentFile(o.key),
      );
      const present = new Set(listed.map((o) => o.key));
      for (const key of known.keys()) if (!present.has(key)) known.delete(key);
      await Promise.all(
        listed
          .filter((o) => known.get(o.key)?.etag !== o.etag)
          .map(async (o) => {
            const object = await objects.get(o.key);
            if (!object) {
              known.delete(o.key);
              return;
            }
            known.set(o.key, { etag: object.etag, file: { path: o.key, text: decoder.decode(object.body) } });
          }),
      );
      const files = [...known.values()]
        .map((k) => k.file)
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const tags = [...known.entries()].map(([key, k]) => `${key}\u0000${k.etag}`).sort();
      return { files, revision: createHash('sha256').update(tags.join('\n')).digest('hex') };
    },
  };
}

function isContentFile(key: string): boolean {
  return classifyContentPath(key).kind !== 'ignored';
}

function revisionOf(files: readonly ContentFile[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(f.path).update('\u0000').update(f.text).update('\u0000');
  return hash.digest('hex');
}
