import { createHash } from 'node:crypto';

/** The variant key of the full set of an edition's posts. */
export const FULL_VARIANT_KEY = 'all';

/** The posts one audience gets: a variant key and the slugs, in the edition's order. */
export interface PostSet {
  key: string;
  slugs: string[];
}

/**
 * Stable key of a set of posts: `all` for the full set, else the first 12 characters of the
 * base64url SHA-256 of the sorted slugs, so every fan-out (and every retry) names a set alike.
 */
export function variantKeyOf(slugs: readonly string[], allSlugs: readonly string[]): string {
  if (slugs.length === allSlugs.length) return FULL_VARIANT_KEY;
  const digest = createHash('sha256')
    .update([...slugs].sort().join('\n'))
    .digest('base64url');
  return digest.slice(0, 12);
}

/**
 * Matches subscribers' topics against an edition's posts. A subscriber with no topics gets every
 * post; one with topics gets the posts whose tags share one with them (case-insensitive), or
 * nothing (`undefined`) when no post matches. Results are cached per list of topics, because
 * fan-out asks once per subscriber and most subscribers share a handful of choices.
 */
export function topicMatcher(
  posts: ReadonlyArray<{ slug: string; tags: readonly string[] }>,
): (topics: readonly string[]) => PostSet | undefined {
  const allSlugs = posts.map((p) => p.slug);
  const full: PostSet = { key: FULL_VARIANT_KEY, slugs: allSlugs };
  const tagged = posts.map((p) => ({ slug: p.slug, tags: p.tags.map((t) => t.toLowerCase()) }));
  const cache = new Map<string, PostSet | undefined>();
  return (topics) => {
    if (topics.length === 0) return full;
    const signature = topics.length === 1 ? (topics[0] as string) : topics.join('\u0000');
    if (cache.has(signature)) return cache.get(signature);
    const wanted = new Set(topics.map((t) => t.toLowerCase()));
    const slugs = tagged.filter((p) => p.tags.some((t) => wanted.has(t))).map((p) => p.slug);
    const set = slugs.length === 0 ? undefined : { key: variantKeyOf(slugs, allSlugs), slugs };
    const shared = set?.key === FULL_VARIANT_KEY ? full : set;
    cache.set(signature, shared);
    return shared;
  };
}
