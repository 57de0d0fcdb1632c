import { createHash } from 'node:crypto';

/** One file of the built site. */
export interface OutputFile {
  path: string;
  body: string | Uint8Array;
  contentType: string;
}

/** What publishing must do to make the store match the build. */
export interface SiteChanges {
  write: OutputFile[];
  unchanged: string[];
  remove: string[];
}

/**
 * Prefixes the site build does not own: rendered editions and Gazette's own bookkeeping.
 * Objects under them are never deleted as stale.
 */
export const UNMANAGED_PREFIXES = ['editions/', '_gazette/'] as const;

/** The entity tag S3 gives a single-part upload: the quoted MD5 of the bytes. */
export function etagOf(body: string | Uint8Array): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/**
 * Compares the build with what the store holds (key → entity tag) and lists only the writes
 * whose bytes changed, and the stale objects to delete. Hashing is pure, so this stays in the core;
 * only files the store already holds are hashed.
 */
export function planSiteChanges(
  files: readonly OutputFile[],
  existing: ReadonlyMap<string, string>,
): SiteChanges {
  const write: OutputFile[] = [];
  const unchanged: string[] = [];
  const produced = new Set<string>();
  for (const file of files) {
    produced.add(file.path);
    // Only a file the store already holds needs hashing: into an empty store, everything is written.
    const etag = existing.get(file.path);
    if (etag !== undefined && etag === etagOf(file.body)) unchanged.push(file.path);
    else write.push(file);
  }
  const remove = [...existing.keys()]
    .filter((key) => !produced.has(key) && !UNMANAGED_PREFIXES.some((p) => key.startsWith(p)))
    .sort();
  return { write, unchanged, remove };
}
