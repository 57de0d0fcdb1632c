import type { Post } from '../model.js';
import type { ObjectStore } from '../ports.js';

/** Slug → the instant the post first appeared in the archive (null when unknown). */
export type PublicationRecord = Map<string, Date | null>;

/** Where publishing keeps the record, in the site store. */
export const PUBLISHED_MANIFEST_KEY = '_gazette/published.json';

/**
 * Reads the record publishing keeps in the site store. Undefined when there is none yet — and
 * when it cannot be read: a damaged record must never make every post look new (that would mail
 * the back catalogue), so it counts as a first run.
 */
export async function readPublicationRecord(store: ObjectStore): Promise<PublicationRecord | undefined> {
  const object = await store.get(PUBLISHED_MANIFEST_KEY);
  if (!object) return undefined;
  let parsed: { posts?: unknown; slugs?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder().decode(object.body)) as { posts?: unknown; slugs?: unknown };
  } catch {
    return undefined;
  }
  const record: PublicationRecord = new Map();
  if (parsed.posts && typeof parsed.posts === 'object') {
    for (const [slug, at] of Object.entries(parsed.posts as Record<string, unknown>)) {
      const date = typeof at === 'string' ? new Date(at) : undefined;
      record.set(slug, date && !Number.isNaN(date.getTime()) ? date : null);
    }
    return record;
  }
  // The first form of the record: a list of slugs without times.
  if (Array.isArray(parsed.slugs)) {
    for (const slug of parsed.slugs) if (typeof slug === 'string') record.set(slug, null);
    return record;
  }
  return undefined;
}

/**
 * The posts with `publishedAt` set from the record: when each first appeared, never before its
 * own date. Posts the record does not know keep `publishedAt` unset (their date stands in).
 */
export function withPublicationTimes<T extends Post>(
  posts: readonly T[],
  record: PublicationRecord | undefined,
): T[] {
  if (!record) return [...posts];
  return posts.map((post) => {
    const at = record.get(post.slug);
    if (!at) return post;
    return { ...post, publishedAt: at.getTime() > post.date.getTime() ? at : post.date };
  });
}
