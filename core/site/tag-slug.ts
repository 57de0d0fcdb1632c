/**
 * The path segment of a tag's page and feed: lower-case letters and digits of any script joined by
 * `-` (`Open Source` → `open-source`, `Über` → `über`). Tags that differ only in case or punctuation
 * share a page. A tag with no letter or digit at all gets `tag`.
 */
export function tagSlug(tag: string): string {
  const slug = tag
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'tag' : slug;
}
