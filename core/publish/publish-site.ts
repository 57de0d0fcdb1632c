import type { ObjectStore } from '../ports.js';
import { type OutputFile, planSiteChanges } from './plan-site-changes.js';

/** Where the slugs published by the previous run are kept, to tell which posts are new. */
export const PUBLISHED_MANIFEST_KEY = '_gazette/published.json';

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
}

/**
 * Writes a built site to the store: only objects whose bytes changed, then deletes stale ones,
 * then records which posts are published. Writes go before deletes so readers never see a page
 * whose links point at nothing.
 */
export async function publishSite(
  store: ObjectStore,
  files: readonly OutputFile[],
  publishedSlugs: readonly string[],
  options: { concurrency?: number } = {},
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

  const previous = await readManifest(store);
  const current = [...publishedSlugs].sort();
  const newlyPublished = previous ? current.filter((slug) => !previous.has(slug)) : [];
  const manifest = JSON.stringify({ slugs: current });
  if (!previous || previous.size !== current.length || newlyPublished.length > 0) {
    await store.put(PUBLISHED_MANIFEST_KEY, manifest, { contentType: 'application/json' });
  }
  return {
    written: changes.write.map((f) => f.path),
    unchanged: changes.unchanged.length,
    deleted: changes.remove,
    newlyPublished,
    firstRun: !previous,
  };
}

/** Feeds and pages revalidate quickly (readers poll with ETag); the stylesheet may be cached longer. */
export function cacheControlFor(path: string): string {
  if (path.startsWith('assets/')) return 'public, max-age=86400';
  return 'public, max-age=60, must-revalidate';
}

async function readManifest(store: ObjectStore): Promise<Set<string> | undefined> {
  const object = await store.get(PUBLISHED_MANIFEST_KEY);
  if (!object) return undefined;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(object.body)) as { slugs?: unknown };
    return new Set(
      Array.isArray(parsed.slugs) ? parsed.slugs.filter((s): s is string => typeof s === 'string') : [],
    );
  } catch {
    // An unreadable manifest must not make every post look new (that would mail the back catalogue).
    return undefined;
  }
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
