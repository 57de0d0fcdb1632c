import type { Publication, RenderedPost } from '../model.js';
import { resolveArticleUrl } from '../render/sanitize-html.js';
import { resolvePostImage } from './post-image.js';
import { basePath, formatLocalDate } from './site-templates.js';
import { tagSlug } from './tag-slug.js';

/** A tag as the pages show it. */
export interface TagView {
  name: string;
  slug: string;
  /** Link within the archive (`/tags/<slug>/`). */
  href: string;
  /** Absolute URL of the tag page. */
  url: string;
}

/** What the page templates get for a post. Text fields are plain text; only `html` is markup. */
export interface PostView {
  slug: string;
  title: string;
  /** Link within the archive (`/posts/<slug>/`). */
  href: string;
  /** Absolute canonical URL. */
  url: string;
  summary: string;
  /** Trusted, sanitized HTML of the body. */
  html: string;
  dateIso: string;
  /** The date in the publication's language and time zone. */
  dateText: string;
  updatedIso?: string | undefined;
  updatedText?: string | undefined;
  author: string;
  tags: TagView[];
  image?: { src: string; alt: string } | undefined;
  credit?: { name: string; url?: string | undefined } | undefined;
}

/** A tag's page address, within the archive and absolute. */
export function tagView(publication: Publication, name: string): TagView {
  const slug = tagSlug(name);
  const path = `tags/${encodeURIComponent(slug)}/`;
  return { name, slug, href: `${basePath(publication)}${path}`, url: `${publication.url}${path}` };
}

/** Prepares a rendered post for the page templates. */
export function postView(publication: Publication, post: RenderedPost): PostView {
  const date = (d: Date) => formatLocalDate(d, publication.language, publication.timeZone);
  const updated = post.updated && post.updated.getTime() !== post.date.getTime() ? post.updated : undefined;
  const image = resolvePostImage(post, publication);
  const creditUrl = post.credit?.url
    ? resolveArticleUrl(post.credit.url, { baseUrl: publication.url })
    : undefined;
  return {
    slug: post.slug,
    title: post.title,
    href: `${basePath(publication)}posts/${encodeURIComponent(post.slug)}/`,
    url: post.url,
    summary: post.summaryText,
    // On the page itself, links to its own headings stay in-page (the absolute form is for feeds and mail).
    html: pageHtml(post),
    dateIso: post.date.toISOString(),
    dateText: date(post.date),
    updatedIso: updated?.toISOString(),
    updatedText: updated ? date(updated) : undefined,
    author: post.author ?? publication.author.name,
    tags: uniqueTags(post.tags).map((tag) => tagView(publication, tag)),
    image: image ? { src: image.src, alt: image.alt } : undefined,
    credit: post.credit ? { name: post.credit.name, url: creditUrl } : undefined,
  };
}

/**
 * The post's HTML as its own page shows it: links to its own headings stay in-page (the absolute
 * form is for feeds and mail), and code blocks and tables, which scroll sideways on a phone, can
 * take the keyboard focus so they can be scrolled without a mouse.
 */
function pageHtml(post: RenderedPost): string {
  return post.html
    .split(`href="${escapeAttribute(post.url)}#`)
    .join('href="#')
    .replace(/<(pre|table)>/g, '<$1 tabindex="0">');
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
}

/** Tags in the post's order, each page once (tags sharing a slug collapse to the first). */
function uniqueTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of tags) {
    const slug = tagSlug(tag);
    if (tag.trim() === '' || seen.has(slug)) continue;
    seen.add(slug);
    out.push(tag);
  }
  return out;
}
