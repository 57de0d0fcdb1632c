import { ContentError } from '../errors.js';
import type { ContentProblem, Post, Publication } from '../model.js';
import type { ContentFile } from './content-file.js';
import { type ClaimedSlug, readPost } from './parse-post.js';
import { parsePublication } from './parse-publication.js';

/** The content folder, parsed and valid. Posts include drafts and future ones, in file order. */
export interface Content {
  publication: Publication;
  posts: Post[];
}

/** Every problem of the content folder, or the content when it has none. */
export type ContentCheck = ({ ok: true } & Content) | { ok: false; problems: ContentProblem[] };

export const PUBLICATION_FILE = 'publication.yaml';

// Extensions people give Markdown files; under posts/ they are mistakes to point out, not to skip.
const MARKDOWN_LIKE = /\.(md|markdown|mdown|mdwn|mkd|mkdn|mdtext|mdx|txt)$/i;

type Role =
  | { kind: 'publication' }
  | { kind: 'post' }
  | { kind: 'ignored' }
  | { kind: 'misplaced'; message: string };

/**
 * What a file is to the loader. `publication.yaml` and `posts/<name>.md` are read; a
 * Markdown-looking file elsewhere under posts/ is a problem (it would silently not be
 * published); everything else (README.md, images, notes) is left alone.
 */
export function classifyContentPath(path: string): Role {
  if (path === PUBLICATION_FILE) return { kind: 'publication' };
  if (path === 'publication.yml')
    return { kind: 'misplaced', message: `rename publication.yml to ${PUBLICATION_FILE}` };
  if (!path.startsWith('posts/')) return { kind: 'ignored' };
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name.startsWith('.') || !MARKDOWN_LIKE.test(name)) return { kind: 'ignored' };
  const stem = name.replace(MARKDOWN_LIKE, '');
  if (path.indexOf('/') !== path.lastIndexOf('/')) {
    return { kind: 'misplaced', message: `posts sit directly in posts/: move this file to posts/${stem}.md` };
  }
  if (!name.endsWith('.md')) {
    return { kind: 'misplaced', message: `only .md files are posts: rename this file to posts/${stem}.md` };
  }
  return { kind: 'post' };
}

/**
 * Parses and validates the whole content folder and returns every problem of every file at
 * once, sorted by file then line, instead of stopping at the first.
 */
export function checkContent(files: readonly ContentFile[]): ContentCheck {
  const problems: ContentProblem[] = [];
  let publication: Publication | undefined;
  let publicationFound = false;
  const postFiles: ContentFile[] = [];

  for (const file of files) {
    const role = classifyContentPath(file.path);
    if (role.kind === 'publication') {
      publicationFound = true;
      const parsed = parsePublication(file);
      if (parsed.ok) publication = parsed.value;
      else problems.push(...parsed.problems);
    } else if (role.kind === 'post') {
      postFiles.push(file);
    } else if (role.kind === 'misplaced') {
      problems.push({ file: file.path, message: role.message });
    }
  }
  if (!publicationFound) {
    problems.push({
      file: PUBLICATION_FILE,
      message: `${PUBLICATION_FILE} is missing from the content folder`,
    });
  }

  // Without a valid publication its time zone is unknown; UTC still finds every other problem.
  const timeZone = publication?.timeZone ?? 'UTC';
  const posts: Post[] = [];
  const claims: ClaimedSlug[] = [];
  for (const file of [...postFiles].sort((a, b) => compare(a.path, b.path))) {
    const { result, claimed } = readPost(file, timeZone);
    if (result.ok) posts.push(result.value.post);
    else problems.push(...result.problems);
    if (claimed) claims.push(claimed);
  }
  problems.push(...duplicateSlugs(claims));

  if (problems.length > 0 || !publication) return { ok: false, problems: sortProblems(problems) };
  return { ok: true, publication, posts };
}

/**
 * The publication and every post of the content folder.
 * @throws ContentError listing every problem of every file, sorted by file then line.
 */
export function loadContent(files: readonly ContentFile[]): Content {
  const checked = checkContent(files);
  if (!checked.ok) throw new ContentError(checked.problems);
  return { publication: checked.publication, posts: checked.posts };
}

/**
 * Only `publication.yaml`, for commands that need the publication but not the posts
 * (`gazette new` needs its time zone even while a post is broken).
 * @throws ContentError when the file is missing or invalid.
 */
export function loadPublication(files: readonly ContentFile[]): Publication {
  const file = files.find((f) => f.path === PUBLICATION_FILE);
  if (!file) {
    throw new ContentError([
      { file: PUBLICATION_FILE, message: `${PUBLICATION_FILE} is missing from the content folder` },
    ]);
  }
  const parsed = parsePublication(file);
  if (!parsed.ok) throw new ContentError(sortProblems(parsed.problems));
  return parsed.value;
}

function duplicateSlugs(claims: readonly ClaimedSlug[]): ContentProblem[] {
  const bySlug = new Map<string, ClaimedSlug[]>();
  for (const c of claims) bySlug.set(c.slug, [...(bySlug.get(c.slug) ?? []), c]);
  const problems: ContentProblem[] = [];
  for (const [slug, group] of bySlug) {
    if (group.length < 2) continue;
    const names = group.map((c) => c.file);
    const listed = `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
    // Point at a `slug:` line when one of the files has it: that is where the clash was written.
    const at = group.find((c) => c.line !== undefined) ?? group[1] ?? group[0]!;
    problems.push({
      file: at.file,
      line: at.line,
      message: `slug '${slug}' is used by ${listed}`,
    });
  }
  return problems;
}

/** By file, then line (problems without a line first); stable otherwise. */
export function sortProblems(problems: readonly ContentProblem[]): ContentProblem[] {
  return [...problems].sort((a, b) => compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
