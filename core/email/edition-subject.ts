import type { DigestCadence, Publication, RenderedPost } from '../model.js';
import { toHeaderText } from './header-text.js';
import { neutralizePlaceholders } from './placeholders.js';

/** `Weekly digest`, `Daily digest`, or `Digest` when the cadence is not given. */
export function digestLabel(cadence: DigestCadence | undefined): string {
  if (cadence === 'weekly') return 'Weekly digest';
  if (cadence === 'daily') return 'Daily digest';
  return 'Digest';
}

/**
 * The subject line, plain text on one line: a post mail carries the post's title; a digest
 * `<publication> — Weekly digest: <first title> and 2 more`. Control characters and line breaks
 * from content become spaces (a title can never add a header).
 */
export function editionSubject(
  publication: Publication,
  kind: 'digest' | 'post',
  cadence: DigestCadence | undefined,
  posts: readonly RenderedPost[],
): string {
  const first = toHeaderText(posts[0]?.title ?? '');
  if (kind === 'post') return neutralizePlaceholders(first);
  const more = posts.length > 1 ? ` and ${posts.length - 1} more` : '';
  const title = toHeaderText(publication.title);
  return neutralizePlaceholders(`${title} — ${digestLabel(cadence)}: ${first}${more}`);
}

/** Cuts text to at most `max` characters on a word boundary, with an ellipsis when cut. */
export function truncateText(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  // By code point, so an emoji is never cut in half.
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${(space > cut.length / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The preheader (preview line): the first post's summary on one line, or its title when it
 * has none; cut to 150 characters.
 */
export function editionPreheader(posts: readonly RenderedPost[]): string {
  const first = posts[0];
  if (!first) return '';
  const summary = toHeaderText(first.summaryText);
  return neutralizePlaceholders(truncateText(summary !== '' ? summary : toHeaderText(first.title), 150));
}
