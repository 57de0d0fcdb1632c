import type { Post, Publication, RenderedPost } from '../model.js';
import { renderMarkdown } from './render-markdown.js';
import { collapseWhitespace, firstParagraphText, truncateOnWord } from './summarize.js';

/** Absolute URL of a post's archive page: `<publication url>posts/<slug>/`. */
export function postUrl(publication: Publication, slug: string): string {
  return `${publication.url}posts/${encodeURIComponent(slug)}/`;
}

/**
 * Renders a post's Markdown to sanitized HTML with absolute URLs (the same HTML serves the page,
 * the feeds and the mail), and works out its plain-text summary: the front matter `summary`, or
 * else the first paragraph, cut on a word to at most 280 characters.
 */
export function renderPost(post: Post, publication: Publication): RenderedPost {
  const url = postUrl(publication, post.slug);
  const html = renderMarkdown(post.body, { baseUrl: publication.url, documentUrl: url });
  const summary = collapseWhitespace(post.summary ?? '');
  const summaryText = truncateOnWord(summary !== '' ? summary : firstParagraphText(html));
  return { ...post, html, summaryText, url };
}
