import type { ContentProblem, Post } from '../model.js';
import type { ContentFile } from './content-file.js';
import type { ParseResult } from './parse-result.js';
import { stripBom, withoutUndefined } from './plain-values.js';
import { frontMatterSchema, POST_FIELDS } from './post-schema.js';
import { readYaml } from './read-yaml.js';
import { reportIssues } from './report-issues.js';
import { isSlug, slugify } from './slugify.js';

/** A parsed post and the line of its `slug:` field, if it has one (duplicate slugs point there). */
export interface ParsedPost {
  post: Post;
  slugLine?: number | undefined;
}

/**
 * The slug a post file claims, known even when the file has other problems, so that a
 * duplicate slug is reported in the same run as them.
 */
export interface ClaimedSlug {
  slug: string;
  file: string;
  line?: number | undefined;
}

/** A post file read as far as it goes: the post when valid, its slug when that much is known. */
export interface PostReading {
  result: ParseResult<ParsedPost>;
  claimed?: ClaimedSlug | undefined;
}

const FENCE = /^---[ \t]*$/;

/**
 * Parses one `posts/<slug>.md`: YAML front matter between `---` lines, then a Markdown body.
 * Dates without an offset are read in `timeZone` (the publication's). Every problem of the file
 * is reported, each with its line: the front matter's and the body's together.
 */
export function parsePost(file: ContentFile, timeZone: string): ParseResult<ParsedPost> {
  return readPost(file, timeZone).result;
}

/** {@link parsePost}, also telling the slug the file claims when the post has problems. */
export function readPost(file: ContentFile, timeZone: string): PostReading {
  const lines = stripBom(file.text).split(/\r\n|\r|\n/);
  if (!FENCE.test(lines[0] ?? '')) {
    return failed(
      file,
      1,
      "no front matter: start the file with a '---' line, then title: and date:, then '---'",
    );
  }
  const close = lines.findIndex((l, i) => i > 0 && FENCE.test(l));
  if (close < 0) {
    return failed(file, 1, "front matter is not closed: add a '---' line after its last field");
  }

  const problems: ContentProblem[] = [];
  let first = close + 1;
  while (first < lines.length && (lines[first] ?? '').trim() === '') first++;
  const body = lines.slice(first).join('\n').trimEnd();
  if (body === '') {
    problems.push({
      file: file.path,
      line: close + 1,
      message: "the post has no body: write it below the closing '---'",
    });
  }

  const stem = file.path.replace(/^.*\//, '').replace(/\.md$/, '');
  const yaml = readYaml(lines.slice(1, close).join('\n'), { file: file.path, firstLine: 2, topLine: 1 });
  if (!yaml.ok) return { result: { ok: false, problems: [...yaml.problems, ...problems] } };

  const parsed = frontMatterSchema(timeZone).safeParse(yaml.value.data, { reportInput: true });
  if (!parsed.success) {
    problems.push(...reportIssues(parsed.error.issues, file.path, yaml.value, { fields: POST_FIELDS }));
  }
  const fm = parsed.data;
  if (fm && fm.slug === undefined && !isSlug(stem)) {
    problems.push({
      file: file.path,
      message: `file name '${stem}' is not a valid slug: rename it to posts/${slugify(stem)}.md or set slug:`,
    });
  }
  if (fm?.updated && fm.updated.getTime() < fm.date.getTime()) {
    problems.push({
      file: file.path,
      line: yaml.value.lineOf(['updated']),
      message: 'updated is before date',
    });
  }
  const claimed = claimedSlug(file.path, stem, fm?.slug, yaml.value.data, yaml.value.lineOf(['slug']));
  if (!fm || problems.length > 0) return { result: { ok: false, problems }, claimed };

  const post: Post = withoutUndefined({
    slug: fm.slug ?? stem,
    title: fm.title,
    date: fm.date,
    updated: fm.updated,
    summary: fm.summary,
    tags: fm.tags ?? [],
    author: fm.author,
    image: fm.image,
    credit: fm.credit && withoutUndefined(fm.credit),
    draft: fm.draft ?? false,
    body,
    source: { file: file.path, bodyLine: first + 1 },
  });
  return { result: { ok: true, value: { post, slugLine: claimed?.line } }, claimed };
}

function claimedSlug(
  file: string,
  stem: string,
  parsedSlug: string | undefined,
  data: unknown,
  line: number | undefined,
): ClaimedSlug | undefined {
  if (parsedSlug !== undefined) return { slug: parsedSlug, file, line };
  // The schema failed somewhere: take the slug as written when it is a valid one.
  const written = typeof data === 'object' && data !== null ? (data as { slug?: unknown }).slug : undefined;
  if (typeof written === 'string')
    return isSlug(written.trim()) ? { slug: written.trim(), file, line } : undefined;
  return isSlug(stem) ? { slug: stem, file } : undefined;
}

function failed(file: ContentFile, line: number, message: string): PostReading {
  return { result: { ok: false, problems: [{ file: file.path, line, message }] } };
}
