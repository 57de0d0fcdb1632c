import { htmlToPlainText } from './sanitize-html.js';

/** Longest summary, in characters, before it is cut on a word. */
export const SUMMARY_MAX_LENGTH = 280;

/** Collapses runs of white space (line breaks included) to one space and trims. */
export function collapseWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/**
 * Shortens plain text to at most `max` characters, cutting after the last whole word and ending
 * with `…`. Never splits a surrogate pair. Text that fits is returned unchanged.
 */
export function truncateOnWord(text: string, max: number = SUMMARY_MAX_LENGTH): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  // Prefer the last space, unless it would throw away most of the text.
  const space = text.lastIndexOf(' ', cut);
  if (space >= max * 0.6) cut = space;
  else if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  const head = text
    .slice(0, cut)
    .trimEnd()
    .replace(/[\s,;:–—-]+$/u, '');
  return `${head}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * The text of the first paragraph of sanitized HTML that has any words in it (a paragraph
 * holding only an image is skipped), white space collapsed. Empty when there is none.
 */
export function firstParagraphText(html: string): string {
  for (const match of html.matchAll(/<p>([\s\S]*?)<\/p>/g)) {
    const text = collapseWhitespace(htmlToPlainText(match[1] ?? ''));
    if (text !== '') return text;
  }
  return '';
}
