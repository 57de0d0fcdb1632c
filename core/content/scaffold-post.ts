import { ContentError } from '../errors.js';
import { isoDate, toZoned } from '../time/zoned.js';
import type { ContentFile } from './content-file.js';
import { slugify } from './slugify.js';

export { slugify } from './slugify.js';

/**
 * A new draft post for `title`: `posts/<slug>.md` dated today in `timeZone` (the
 * publication's), with `draft: true`, no tags, an empty summary to fill in and a body hint.
 * It only returns the file; the caller must refuse to overwrite an existing one.
 * @throws ContentError when the title has nothing visible in it.
 */
export function scaffoldPost(title: string, now: Date, timeZone: string): ContentFile {
  // One line without control characters: what a front matter title must be.
  const clean = title
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const slug = slugify(clean);
  const path = `posts/${slug}.md`;
  if (clean === '') throw new ContentError([{ file: path, message: 'title is required' }]);
  const text = [
    '---',
    // JSON's string syntax is valid YAML double-quoted text: quotes, colons and # stay literal.
    `title: ${JSON.stringify(clean)}`,
    `date: ${isoDate(toZoned(now, timeZone))}`,
    'summary: "" # one or two sentences for the archive, the feeds and email',
    'tags: []',
    'draft: true # remove this line (or set false) to publish',
    '---',
    '',
    'Write the post here, in Markdown.',
    '',
  ].join('\n');
  return { path, text };
}
