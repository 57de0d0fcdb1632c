import type { Post } from '../model.js';

/** True when a post belongs in the archive, the feeds and mail at `now`: not a draft, dated no later. */
export function isDue(post: Post, now: Date): boolean {
  return !post.draft && post.date.getTime() <= now.getTime();
}

/**
 * The posts published at `now`: drafts and future-dated posts left out, newest first, posts of
 * the same instant ordered by slug so that every build lists them the same way.
 */
export function selectPublished(posts: readonly Post[], now: Date): Post[] {
  return posts
    .filter((post) => isDue(post, now))
    .sort((a, b) => b.date.getTime() - a.date.getTime() || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}
