import { isDue } from '../content/select-published.js';
import type { Post } from '../model.js';

/**
 * The topics a subscriber may follow at `now`: the tags of published posts (drafts and future
 * posts left out, so a scheduled post's tag does not leak early), unique, sorted.
 */
export function publishedTopics(posts: readonly Post[], now: Date): string[] {
  const tags = new Set<string>();
  for (const post of posts) if (isDue(post, now)) for (const tag of post.tags) tags.add(tag);
  return [...tags].sort((a, b) => a.localeCompare(b, 'en'));
}
