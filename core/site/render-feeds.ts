import { Feed, type Item } from 'feed';
import type { Publication, RenderedPost } from '../model.js';
import { resolveArticleUrl } from '../render/sanitize-html.js';
import { resolvePostImage } from './post-image.js';
import { newestFirst } from './sort-posts.js';
import { tagSlug } from './tag-slug.js';
import { escapeHtml, feedLine, forCdata, forXmlAttribute, forXmlText, stripXmlInvalid } from './xml-text.js';

/** The three publication feeds, as text. */
export interface RenderedFeeds {
  /** RSS 2.0, `feed.xml`. */
  rss: string;
  /** Atom 1.0, `atom.xml`. */
  atom: string;
  /** JSON Feed 1.1, `feed.json`. */
  json: string;
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/), the parts Gazette writes. */
export interface JsonFeed {
  version: 'https://jsonfeed.org/version/1.1';
  title: string;
  home_page_url: string;
  feed_url: string;
  description?: string;
  language: string;
  authors: JsonFeedAuthor[];
  items: JsonFeedItem[];
}

export interface JsonFeedAuthor {
  name: string;
  url?: string;
}

export interface JsonFeedItem {
  id: string;
  url: string;
  title: string;
  content_html?: string;
  content_text?: string;
  summary: string;
  image?: string;
  date_published: string;
  date_modified: string;
  authors: JsonFeedAuthor[];
  tags: string[];
}

/** Everything a feed entry needs, worked out once for the three formats. */
interface Entry {
  post: RenderedPost;
  title: string;
  summary: string;
  /** Full HTML, image and credit included; undefined when the publication sends summaries only. */
  contentHtml: string | undefined;
  updated: Date;
  author: string;
  image: ReturnType<typeof resolvePostImage>;
  tags: string[];
}

const GENERATOR = 'Gazette';

/** The feed's URL set. */
function feedUrls(publication: Publication) {
  return {
    rss: `${publication.url}feed.xml`,
    atom: `${publication.url}atom.xml`,
    json: `${publication.url}feed.json`,
  };
}

function toEntry(post: RenderedPost, publication: Publication): Entry {
  const image = resolvePostImage(post, publication);
  let contentHtml: string | undefined;
  if (publication.feed.content === 'full') {
    const parts: string[] = [];
    if (image)
      parts.push(`<figure><img src="${escapeHtml(image.src)}" alt="${escapeHtml(image.alt)}"></figure>`);
    parts.push(post.html);
    if (post.credit) {
      const name = escapeHtml(post.credit.name);
      const url = post.credit.url
        ? resolveArticleUrl(post.credit.url, { baseUrl: publication.url })
        : undefined;
      const credit = url ? `<a href="${escapeHtml(url)}">${name}</a>` : name;
      parts.push(`<p>Source: ${credit}</p>`);
    }
    contentHtml = stripXmlInvalid(parts.join('\n'));
  }
  return {
    post,
    title: feedLine(post.title),
    summary: feedLine(post.summaryText),
    contentHtml,
    updated: post.updated ?? post.date,
    author: feedLine(post.author ?? publication.author.name),
    image,
    tags: post.tags.map(feedLine).filter((tag) => tag !== ''),
  };
}

/** Newest first: the posts the feed carries (at most `publication.feed.items`). */
function newest(posts: readonly RenderedPost[], publication: Publication): RenderedPost[] {
  return newestFirst(posts).slice(0, Math.max(0, publication.feed.items));
}

/**
 * The instant a feed last changed: the newest `updated` (or date) among its entries. A feed with
 * no entry reports the Unix epoch: the output never depends on when it was built.
 */
function lastUpdated(entries: readonly Entry[]): Date {
  let newestTime = 0;
  for (const entry of entries) newestTime = Math.max(newestTime, entry.updated.getTime());
  return new Date(newestTime);
}

interface FeedHead {
  title: string;
  description: string;
  /** The HTML page the feed stands for. */
  link: string;
  rssUrl: string;
  atomUrl?: string | undefined;
  jsonUrl?: string | undefined;
}

function buildFeed(
  publication: Publication,
  head: FeedHead,
  entries: readonly Entry[],
  flavour: 'rss' | 'atom',
) {
  const author = publication.author;
  const feed = new Feed({
    id: forXmlText(head.link),
    title: forXmlText(feedLine(head.title)),
    description: forXmlText(feedLine(head.description)),
    link: head.link,
    language: forXmlText(feedLine(publication.language)),
    updated: lastUpdated(entries),
    generator: GENERATOR,
    feedLinks: {
      rss: head.rssUrl,
      ...(head.atomUrl ? { atom: head.atomUrl } : {}),
      ...(head.jsonUrl ? { json: head.jsonUrl } : {}),
    },
    author: {
      name: forXmlText(feedLine(author.name)),
      ...(author.email ? { email: forXmlText(feedLine(author.email)) } : {}),
      ...(author.url ? { link: author.url } : {}),
    },
  });
  for (const entry of entries) feed.addItem(toItem(entry, publication, flavour));
  return feed;
}

function toItem(entry: Entry, publication: Publication, flavour: 'rss' | 'atom'): Item {
  const { post, image } = entry;
  // Atom titles and summaries are typed "html": the plain text goes in escaped. RSS descriptions
  // are HTML by custom, so the summary is escaped there too. RSS titles are plain text, but many
  // readers render them as HTML: `<` is written as `&lt;` so that a title can never be markup.
  const title = flavour === 'atom' ? escapeHtml(entry.title) : forCdata(entry.title.replace(/</g, '&lt;'));
  // RSS's <author> is an address: the publication's own, when the post is the publication author's.
  const authorEmail =
    flavour === 'rss' && entry.author === feedLine(publication.author.name)
      ? publication.author.email
      : undefined;
  const item: Item = {
    title,
    link: post.url,
    date: entry.updated,
    published: post.date,
    description: escapeHtml(entry.summary),
    author: [
      {
        name: forXmlText(entry.author),
        ...(authorEmail ? { email: forXmlText(feedLine(authorEmail)) } : {}),
      },
    ],
    category: entry.tags.map((tag) =>
      flavour === 'rss' ? { name: forXmlText(tag) } : { term: forXmlAttributeUnescaped(tag) },
    ),
  };
  if (entry.contentHtml !== undefined) item.content = forCdata(entry.contentHtml);
  if (image?.type) {
    // RSS takes the given type; the Atom writer derives `image/<extension>` itself, which is
    // right only when the extension is the subtype.
    const derived = `image/${new URL(image.src).pathname.split('.').pop()?.toLowerCase()}`;
    if (flavour === 'rss') item.image = { url: image.src, type: image.type, length: 0 };
    else if (derived === image.type) item.image = image.src;
  }
  return item;
}

/** `feed` escapes `&` in Atom category attributes itself; only `<` has to go. */
function forXmlAttributeUnescaped(text: string): string {
  return forXmlAttribute(text).replace(/&amp;/g, '&');
}

function toJsonFeed(publication: Publication, head: FeedHead, entries: readonly Entry[]): JsonFeed {
  const authors: JsonFeedAuthor[] = [
    {
      name: feedLine(publication.author.name),
      ...(publication.author.url ? { url: publication.author.url } : {}),
    },
  ];
  const description = feedLine(head.description);
  return {
    version: 'https://jsonfeed.org/version/1.1',
    title: feedLine(head.title),
    home_page_url: head.link,
    feed_url: head.jsonUrl ?? `${head.link}feed.json`,
    ...(description !== '' ? { description } : {}),
    language: publication.language,
    authors,
    items: entries.map((entry) => ({
      id: entry.post.url,
      url: entry.post.url,
      title: entry.title,
      ...(entry.contentHtml !== undefined
        ? { content_html: entry.contentHtml }
        : { content_text: entry.summary }),
      summary: entry.summary,
      ...(entry.image ? { image: entry.image.src } : {}),
      date_published: entry.post.date.toISOString(),
      date_modified: entry.updated.toISOString(),
      authors: [{ name: entry.author }],
      tags: entry.tags,
    })),
  };
}

/**
 * The publication's RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds: the newest
 * `publication.feed.items` posts, full HTML or summaries as `publication.feed.content` says.
 * Every date comes from the posts, so the same posts give the same bytes. Output is always
 * well-formed XML / valid JSON, whatever the text (see xml-text.ts for what is stripped).
 *
 * The JSON Feed is written here rather than by `feed`, whose JSON output is version 1.0.
 */
export function renderFeeds(publication: Publication, posts: readonly RenderedPost[]): RenderedFeeds {
  const entries = newest(posts, publication).map((post) => toEntry(post, publication));
  const urls = feedUrls(publication);
  const head: FeedHead = {
    title: publication.title,
    description: publication.description,
    link: publication.url,
    rssUrl: urls.rss,
    atomUrl: urls.atom,
    jsonUrl: urls.json,
  };
  return {
    rss: withNewline(buildFeed(publication, head, entries, 'rss').rss2()),
    atom: withNewline(buildFeed(publication, head, entries, 'atom').atom1()),
    json: `${JSON.stringify(toJsonFeed(publication, head, entries), null, 2)}\n`,
  };
}

/** Absolute URL of a tag's archive page. */
export function tagPageUrl(publication: Publication, tag: string): string {
  return `${publication.url}tags/${encodeURIComponent(tagSlug(tag))}/`;
}

/** Absolute URL of a tag's RSS feed. */
export function tagFeedUrl(publication: Publication, tag: string): string {
  return `${tagPageUrl(publication, tag)}feed.xml`;
}

/**
 * The RSS 2.0 feed of one tag (`tags/<tag>/feed.xml`): the newest `publication.feed.items`
 * posts carrying the tag (compared by {@link tagSlug}), with the same entries as `feed.xml`.
 */
export function renderTagFeed(publication: Publication, tag: string, posts: readonly RenderedPost[]): string {
  const slug = tagSlug(tag);
  const tagged = posts.filter((post) => post.tags.some((t) => tagSlug(t) === slug));
  const entries = newest(tagged, publication).map((post) => toEntry(post, publication));
  const head: FeedHead = {
    title: `${publication.title}: ${feedLine(tag)}`,
    description: `Posts tagged “${feedLine(tag)}” in ${publication.title}`,
    link: tagPageUrl(publication, tag),
    rssUrl: tagFeedUrl(publication, tag),
  };
  return withNewline(buildFeed(publication, head, entries, 'rss').rss2());
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
