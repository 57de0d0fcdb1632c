import type { ObjectStore } from '../ports.js';
import { type OutputFile, planSiteChanges } from './plan-site-changes.js';
import {
  PUBLISHED_MANIFEST_KEY,
  type PublicationRecord,
  readPublicationRecord,
} from './publication-record.js';

export { PUBLISHED_MANIFEST_KEY };

/** A post as publishing records it. A bare slug is accepted where the date is not at hand. */
export type PublishedPost = string | { slug: string; date: Date };

export interface PublishReport {
  written: string[];
  unchanged: number;
  deleted: string[];
  /**
   * Slugs published now that the previous run had not published. Empty on the very first run
   * (there is nothing to compare with, and a first publish must not mail the whole back catalogue).
   */
  newlyPublished: string[];
  firstRun: boolean;
  /** When each published post first appeared (see {@link readPublicationRecord}). */
  record: PublicationRecord;
}

/**
 * Writes a built site to the store: only objects whose bytes changed, then deletes stale ones,
 * then records which posts are published and since when. Writes go before deletes so readers
 * never see a page whose links point at nothing.
 *
 * The record keeps, per slug, the instant the post first appeared: `now` for a post new since the
 * last run, its own date on the first run (the back catalogue did not appear "now"). Digests place
 * posts by that instant, so a post dated this morning but published after this morning's digest
 * went out is in the next digest instead of in none.
 */
export async function publishSite(
  store: ObjectStore,
  files: readonly OutputFile[],
  published: readonly PublishedPost[],
  options: { concurrency?: number; now?: Date } = {},
): Promise<PublishReport> {
  const listed = await store.list();
  const existing = new Map(listed.map((o) => [o.key, o.etag]));
  const changes = planSiteChanges(files, existing);

  await inBatches(changes.write, options.concurrency ?? 16, (file) =>
    store.put(file.path, file.body, {
      contentType: file.contentType,
      cacheControl: cacheControlFor(file.path),
    }),
  );
  if (changes.remove.length > 0) await store.delete(changes.remove);

  const previous = await readPublicationRecord(store);
  const posts = published.map((p) => (typeof p === 'string' ? { slug: p, date: undefined } : p));
  const newlyPublished = previous
    ? posts
        .map((p) => p.slug)
        .filter((slug) => !previous.has(slug))
        .sort()
    : [];
  const record: PublicationRecord = new Map();
  for (const post of [...posts].sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))) {
    const known = previous?.get(post.slug);
    const appeared =
      known !== undefined ? known : previous ? (options.now ?? post.date) : (post.date ?? options.now);
    record.set(post.slug, appeared ?? null);
  }
  if (!previous || !sameRecord(previous, record)) {
    const manifest = {
      posts: Object.fromEntries([...record].map(([slug, at]) => [slug, at ? at.toISOString() : null])),
    };
    await store.put(PUBLISHED_MANIFEST_KEY, JSON.stringify(manifest), { contentType: 'application/json' });
  }
  return {
    written: changes.write.map((f) => f.path),
    unchanged: changes.unchanged.length,
    deleted: changes.remove,
    newlyPublished,
    firstRun: !previous,
    record,
  };
}

/** Feeds and pages revalidate quickly (readers poll with ETag); the stylesheet may be cached longer. */
export function cacheControlFor(path: string): string {
  if (path.startsWith('assets/')) return 'public, max-age=86400';
  return 'public, max-age=60, must-revalidate';
}

function sameRecord(a: PublicationRecord, b: PublicationRecord): boolean {
  if (a.size !== b.size) return false;
  for (const [slug, at] of b) {
    if (!a.has(slug) || (a.get(slug)?.getTime() ?? null) !== (at?.getTime() ?? null)) return false;
  }
  return true;
}

async function inBatches<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T);
  });
  await Promise.all(runners);
}
