import type { RenderedPost } from '../model.js';

/** Newest first; posts of the same instant by slug, so the order never depends on the input's. */
export function newestFirst<T extends Pick<RenderedPost, 'date' | 'slug'>>(posts: readonly T[]): T[] {
  return [...posts].sort(
    (a, b) => b.date.getTime() - a.date.getTime() || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0),
  );
}
