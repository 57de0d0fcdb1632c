import MarkdownIt from 'markdown-it';
import anchor from 'markdown-it-anchor';
import { sanitizeHtml, sanitizeOnce, type UrlContext } from './sanitize-html.js';

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

/**
 * Moves a post's headings so the highest becomes `<h2>`: the page, the feed reader and the mail
 * show the post title as the heading above them. Their relative levels stay as written.
 */
function shiftHeadings(md: InstanceType<typeof MarkdownIt>): void {
  md.core.ruler.after('block', 'gazette_shift_headings', (state) => {
    const headings = state.tokens.filter((t) => t.type === 'heading_open' || t.type === 'heading_close');
    const levels = headings.map((t) => Number(t.tag.slice(1)));
    if (levels.length === 0) return;
    const offset = 2 - Math.min(...levels);
    for (const token of headings) token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + offset)}`;
  });
}

const markdown = new MarkdownIt({
  // Raw HTML is allowed in posts; everything is sanitized afterwards.
  html: true,
  linkify: true,
  // Keep the author's quotes and dashes exactly as written.
  typographer: false,
})
  .use(shiftHeadings)
  .use(anchor, {
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

type Tokens = ReturnType<InstanceType<typeof MarkdownIt>['parse']>;

/** True when the source holds raw HTML, which markdown-it passes through as written. */
function hasRawHtml(tokens: Tokens): boolean {
  return tokens.some(
    (token) =>
      token.type === 'html_block' || (token.children?.some((child) => child.type === 'html_inline') ?? false),
  );
}

/**
 * Markdown to sanitized HTML. Headings start at `<h2>` (the post title is the `<h1>`), get ids
 * and become links to themselves; raw HTML is
 * allowed in the source and then cleaned like everything else (see {@link sanitizeHtml}); with a
 * context, relative URLs are made absolute.
 *
 * Markdown without raw HTML renders to markup markdown-it nests properly itself: one sanitizing
 * pass is already a fixed point there (property-tested), so the pass that would only confirm it is
 * left out. Raw HTML may be broken, and goes through {@link sanitizeHtml} until it settles.
 */
export function renderMarkdown(source: string, context?: UrlContext): string {
  // A fresh env per call: markdown-it-anchor records the ids it handed out there.
  const env = {};
  const tokens = markdown.parse(source, env);
  const html = markdown.renderer.render(tokens, markdown.options, env);
  return hasRawHtml(tokens) ? sanitizeHtml(html, context) : sanitizeOnce(html, context);
}
