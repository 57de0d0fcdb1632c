/** Longest slug or tag: long enough for a headline, short enough for a readable URL. */
export const SLUG_MAX_LENGTH = 80;

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** True for a valid slug: lowercase ASCII letters and digits in words joined by single hyphens. */
export function isSlug(text: string): boolean {
  return text.length <= SLUG_MAX_LENGTH && SLUG.test(text);
}

// Letters NFKD does not take apart into an ASCII base and a mark.
const LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ł: 'l',
  ı: 'i',
  ħ: 'h',
};

/**
 * Lowercase ASCII kebab case: accents dropped (`Café` → `cafe`), apostrophes removed
 * (`won't` → `wont`), every other run of non-alphanumerics one hyphen, cut at a word boundary
 * to {@link SLUG_MAX_LENGTH}. Empty when nothing usable is left (`日本`, `!!!`).
 */
export function toKebab(text: string): string {
  const ascii = text
    .normalize('NFKD')
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[ßæœøđðþłıħ]/g, (c) => LETTERS[c] ?? c)
    .replace(/['’ʼ‘`´]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (ascii.length <= SLUG_MAX_LENGTH) return ascii;
  const cut = ascii.slice(0, SLUG_MAX_LENGTH + 1);
  const boundary = cut.lastIndexOf('-');
  return (boundary > 0 ? cut.slice(0, boundary) : cut.slice(0, SLUG_MAX_LENGTH)).replace(/-+$/, '');
}

/** A valid slug for any title; `post` when the title has no usable letters or digits. */
export function slugify(title: string): string {
  return toKebab(title) || 'post';
}
