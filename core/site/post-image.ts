import type { Post, Publication } from '../model.js';
import { resolveArticleUrl } from '../render/sanitize-html.js';

/** A post's lead image, ready to write out. */
export interface ResolvedImage {
  /** Absolute http(s) URL. */
  src: string;
  alt: string;
  /** Media type guessed from the file extension, when it is a known image type. */
  type?: string | undefined;
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
};

/**
 * The post's front matter image with its URL made absolute against the publication URL, or
 * undefined when there is none or its URL is not http(s) (a `javascript:` or `data:` image never
 * reaches a page or a feed).
 */
export function resolvePostImage(
  post: Pick<Post, 'image'>,
  publication: Publication,
): ResolvedImage | undefined {
  if (!post.image) return undefined;
  const src = resolveArticleUrl(post.image.src, { baseUrl: publication.url });
  if (!src || !/^https?:/.test(src)) return undefined;
  const extension = new URL(src).pathname.split('.').pop()?.toLowerCase() ?? '';
  return { src, alt: post.image.alt, type: IMAGE_TYPES[extension] };
}
