/**
 * The data the email templates see. Every string that comes from content or configuration is
 * neutralized here (see placeholders.ts), so only the templates' own markers can be spliced.
 * Template authors: see templates/email/README.md for the shape.
 */
import { compile } from 'html-to-text';
import type { Publication, RenderedPost } from '../model.js';
import { neutralizePlaceholders as n } from './placeholders.js';

/** A post as the templates see it. */
export interface PostData {
  title: string;
  url: string;
  /** The publication date, long form, in the publication's language and time zone. */
  dateText: string;
  /** The publication instant, ISO 8601. */
  dateIso: string;
  summary: string;
  author: string | null;
  tags: string[];
  image: { src: string; alt: string } | null;
  credit: { name: string; url: string | null } | null;
  /** Sanitized HTML of the body (insert with `| raw`); empty in digests. */
  html: string;
  /** The body as plain text, links written out; empty in digests. */
  text: string;
}

export interface PublicationData {
  title: string;
  description: string;
  url: string;
  subscribeUrl: string;
  /** The postal address, one entry per line. */
  postalAddressLines: string[];
}

export interface PageData {
  lang: string;
  dir: 'ltr' | 'rtl';
  title: string;
  preheader: string;
}

const RTL = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'iw', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** `rtl` for languages written right to left (by primary subtag), else `ltr`. */
export function textDirection(language: string): 'ltr' | 'rtl' {
  return RTL.has(language.split('-')[0]?.toLowerCase() ?? '') ? 'rtl' : 'ltr';
}

export function pageData(publication: Publication, title: string, preheader: string): PageData {
  return {
    lang: n(publication.language),
    dir: textDirection(publication.language),
    title: n(title),
    preheader: n(preheader),
  };
}

export function publicationData(publication: Publication): PublicationData {
  return {
    title: n(publication.title),
    description: n(publication.description),
    url: n(publication.url),
    subscribeUrl: n(`${publication.url}subscribe`),
    postalAddressLines: publication.postalAddress
      .split(/\r\n|\n|\r/)
      .map((line) => n(line.trim()))
      .filter((line) => line !== ''),
  };
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function formatDate(date: Date, language: string, timeZone: string): string {
  const key = `${language}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone });
    dateFormats.set(key, format);
  }
  return format.format(date);
}

/** An absolute http(s) URL, neutralized, or null for anything else. */
function httpUrl(value: string | undefined): string | null {
  return value && /^https?:\/\//i.test(value) ? n(value) : null;
}

/** An image URL made absolute against the publication; anything but http(s) is dropped. */
function imageData(post: RenderedPost, publication: Publication): PostData['image'] {
  if (!post.image) return null;
  let url: URL;
  try {
    url = new URL(post.image.src, publication.url);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return { src: n(url.href), alt: n(post.image.alt) };
}

const convert = compile({
  wordwrap: 72,
  formatters: {
    // An image in a text mail is its description; its URL helps no one reading.
    imageAlt: (elem, _walk, builder) => {
      const alt = String(elem.attribs?.alt ?? '').trim();
      if (alt !== '') builder.addInline(`[${alt}]`);
    },
  },
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['<', '>'] } },
    // Heading anchors link to themselves: their URL is noise in text.
    { selector: 'a.header-anchor', format: 'anchor', options: { ignoreHref: true } },
    { selector: 'img', format: 'imageAlt' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable' },
  ],
});

/** The body as readable plain text: links written out, headings as they are, wrapped at 72. */
export function htmlToText(html: string): string {
  return convert(html);
}

export function postData(post: RenderedPost, publication: Publication, withBody: boolean): PostData {
  return {
    title: n(post.title),
    url: n(post.url),
    dateText: n(formatDate(post.date, publication.language, publication.timeZone)),
    dateIso: post.date.toISOString(),
    summary: n(post.summaryText),
    author: post.author ? n(post.author) : null,
    tags: post.tags.map(n),
    image: imageData(post, publication),
    credit: post.credit ? { name: n(post.credit.name), url: httpUrl(post.credit.url) } : null,
    html: withBody ? n(post.html) : '',
    text: withBody ? n(htmlToText(post.html)) : '',
  };
}
