import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import { sanitizeHtml, type UrlContext } from './sanitize-html.js';

/** Ids the archive's own pages use: a heading must never take one of them. */
const RESERVED_IDS = new Set([
  'content',
  'subscribe',
  'subscribe-title',
  'posts-title',
  'email',
  'cadence',
  'website',
]);

/**
 * A heading's id: lower-case letters and digits of any script joined by `-`, so a French or
 * Japanese heading keeps a readable anchor. Never empty, never one of the page's own ids.
 */
export function slugifyHeading(text: string): string {
  const slug = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  if (slug === '') return 'section';
  return RESERVED_IDS.has(slug) ? `${slug}-section` : slug;
}

const headerLink = anchor.permalink.headerLink({ safariReaderFix: true });

const markdown = new MarkdownIt({
  // Raw HTML is allowed in posts; everything is sanitized afterwards.
  html: true,
  linkify: true,
  // Keep the author's quotes and dashes exactly as written.
  typographer: false,
}).use(anchor, {
  level: [1, 2, 3, 4, 5, 6],
  slugify: slugifyHeading,
  tabIndex: false,
  // Several posts rendered by one instance must not share the "already used" ids.
  uniqueSlugStartIndex: 2,
  permalink: (slug, options, state, index) => {
    // A heading that already holds a link cannot be wrapped in another one (nested <a> is invalid).
    const inline = state.tokens[index + 1];
    if (inline?.children?.some((token) => token.type === 'link_open')) return;
    headerLink(slug, options, state, index);
  },
});

/**
 * Markdown to sanitized HTML. Headings get ids and become links to themselves; raw HTML is
 * allowed in the source and then cleaned like everything else (see {@link sanitizeHtml}); with a
 * context, relative URLs are made absolute.
 */
export function renderMarkdown(source: string, context?: UrlContext): string {
  // A fresh env per call: markdown-it-anchor records the ids it handed out there.
  return sanitizeHtml(markdown.render(source, {}), context);
}
