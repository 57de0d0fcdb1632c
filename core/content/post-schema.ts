import { z } from 'zod';
import { parsePostDate } from './parse-post-date.js';
import { isSlug, SLUG_MAX_LENGTH, slugify, toKebab } from './slugify.js';
import { expecting, flag, httpUrl, line, optionalLine, optionalParagraph, quoted } from './text-fields.js';

/** The fields allowed in a post's front matter, per level, for "did you mean" hints. */
export const POST_FIELDS: Readonly<Record<string, readonly string[]>> = {
  '': ['title', 'date', 'updated', 'summary', 'tags', 'author', 'image', 'draft', 'slug', 'credit'],
  image: ['src', 'alt'],
  credit: ['name', 'url'],
};

function postDate(label: string, timeZone: string) {
  return line(label).transform((value, ctx) => {
    const date = parsePostDate(value, timeZone);
    if (!date) {
      ctx.addIssue({
        code: 'custom',
        message: `${label} ${quoted(value)} is not a date (use YYYY-MM-DD or ISO 8601)`,
      });
      return z.NEVER;
    }
    return date;
  });
}

/** A tag as written (`Foreign Policy`) becomes its slug (`foreign-policy`). */
const tag = z.string({ error: expecting('each tag', 'text') }).transform((value, ctx) => {
  const slug = toKebab(value);
  if (!slug) {
    ctx.addIssue({
      code: 'custom',
      message: `tag ${quoted(value)} has no letters or digits (a-z, 0-9) to make a tag page from`,
    });
    return z.NEVER;
  }
  return slug;
});

const tags = z
  .array(tag, { error: expecting('tags', 'a list, e.g. [russia, nato]') })
  // Two spellings of one tag (`NATO`, `nato`) are one tag.
  .transform((list) => [...new Set(list)]);

/** An image address: an http(s) URL or a path; other schemes (javascript:, data:) never pass. */
function imageSource() {
  return line('image.src').transform((value, ctx) => {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
    if ((scheme !== undefined && scheme !== 'http' && scheme !== 'https') || /[\s<>"]/.test(value)) {
      ctx.addIssue({
        code: 'custom',
        message: `image.src ${quoted(value)} must be an http(s) URL or a path without spaces`,
      });
      return z.NEVER;
    }
    return value;
  });
}

const altText = z
  .string({
    error: (issue) => (issue.input === undefined ? 'image needs alt text' : 'image.alt must be text'),
  })
  .transform((raw, ctx) => {
    const value = raw.replace(/\s+/g, ' ').trim();
    if (value === '') {
      ctx.addIssue({ code: 'custom', message: 'image needs alt text' });
      return z.NEVER;
    }
    if (/\p{Cc}/u.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'image.alt contains a control character' });
      return z.NEVER;
    }
    return value;
  });

const image = z.strictObject(
  { src: imageSource(), alt: altText },
  { error: expecting('image', 'src: and alt: fields, e.g. { src: /images/a.jpg, alt: What it shows }') },
);

const credit = z.preprocess(
  // `credit: The Wall Street Journal` is shorthand for `credit: { name: The Wall Street Journal }`.
  (value) => (typeof value === 'string' ? { name: value } : value),
  z.strictObject(
    { name: line('credit.name'), url: httpUrl('credit.url').optional() },
    { error: expecting('credit', 'a name, or name: and url: fields') },
  ),
);

const slug = line('slug').transform((value, ctx) => {
  if (!isSlug(value)) {
    ctx.addIssue({
      code: 'custom',
      message: `slug ${quoted(value)} is not a valid slug (lowercase a-z, 0-9 and single hyphens, at most ${SLUG_MAX_LENGTH} characters, e.g. ${slugify(value)})`,
    });
    return z.NEVER;
  }
  return value;
});

function buildFrontMatterSchema(timeZone: string) {
  return z.strictObject(
    {
      title: line('title'),
      date: postDate('date', timeZone),
      updated: postDate('updated', timeZone).optional(),
      summary: optionalParagraph('summary'),
      tags: tags.optional(),
      author: optionalLine('author'),
      image: image.optional(),
      draft: flag('draft').optional(),
      slug: slug.optional(),
      credit: credit.optional(),
    },
    { error: expecting('front matter', 'fields (title:, date:, …), one per line') },
  );
}

// zod compiles an object schema on its first use (about 0.2 ms): one schema per time zone, reused
// for every post, instead of one per post.
const schemas = new Map<string, ReturnType<typeof buildFrontMatterSchema>>();

/**
 * A post's front matter as read by read-yaml.ts (scalars as text). Dates without an offset are
 * read in `timeZone`, the publication's. Built once per time zone.
 */
export function frontMatterSchema(timeZone: string): ReturnType<typeof buildFrontMatterSchema> {
  let schema = schemas.get(timeZone);
  if (!schema) {
    schema = buildFrontMatterSchema(timeZone);
    schemas.set(timeZone, schema);
  }
  return schema;
}
