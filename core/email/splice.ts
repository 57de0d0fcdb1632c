/**
 * Splicing: a rendered text cut once at its markers, then joined again per recipient with the
 * recipient's values. No parsing, no regular expression per recipient: a handful of string
 * concatenations.
 */

/** A text cut at its markers: `parts[i]`, then the value of `slots[i]`, …, then the last part. */
export interface SplicedText {
  readonly parts: readonly string[];
  /** Index into the marker list given to {@link cutAtMarkers}, one per cut. */
  readonly slots: readonly number[];
}

/** Cuts `text` at every occurrence of any of `markers` (none may be a prefix of another). */
export function cutAtMarkers(text: string, markers: readonly string[]): SplicedText {
  const parts: string[] = [];
  const slots: number[] = [];
  let from = 0;
  for (;;) {
    let next = -1;
    let slot = -1;
    for (let m = 0; m < markers.length; m++) {
      const at = text.indexOf(markers[m] as string, from);
      if (at !== -1 && (next === -1 || at < next)) {
        next = at;
        slot = m;
      }
    }
    if (next === -1) break;
    parts.push(text.slice(from, next));
    slots.push(slot);
    from = next + (markers[slot] as string).length;
  }
  parts.push(text.slice(from));
  return { parts, slots };
}

/** One text made by {@link joinSpliced}, with what it was made of. */
export interface SplicedJoin {
  readonly text: string;
  readonly spliced: SplicedText;
  readonly values: readonly string[];
}

// The last few joins, newest first: the send path personalizes a mail and encodes it at once, so
// the encoder finds its text here by identity and encodes the parts once per edition.
const RECENT_JOINS = 4;
const recentJoins: SplicedJoin[] = [];

/** Joins the parts with `values[slot]` in every cut. */
export function joinSpliced(spliced: SplicedText, values: readonly string[]): string {
  const { parts, slots } = spliced;
  let out = parts[0] as string;
  for (let i = 0; i < slots.length; i++)
    out += (values[slots[i] as number] as string) + (parts[i + 1] as string);
  recentJoins.unshift({ text: out, spliced, values });
  if (recentJoins.length > RECENT_JOINS) recentJoins.pop();
  return out;
}

/**
 * How `text` was joined, when it is one of the last few texts {@link joinSpliced} returned.
 * The newest come first and the very string returned compares by identity, without reading it;
 * an equal string made otherwise is found too (strings compare by content), only slower.
 */
export function recentJoin(text: string): SplicedJoin | undefined {
  for (const join of recentJoins) if (join.text === text) return join;
  return undefined;
}

/** How many cuts use `slot`. */
export function countSlot(spliced: SplicedText, slot: number): number {
  let n = 0;
  for (const s of spliced.slots) if (s === slot) n++;
  return n;
}

/**
 * Escapes a value for an HTML attribute or text node (`&`, `<`, `>`, `"`, `'`), and writes
 * characters above U+009F as numeric references, so the mail HTML it goes into stays ASCII
 * (see escape-non-ascii.ts).
 */
export function escapeHtml(value: string): string {
  const escaped = /[&<>"']/.test(value)
    ? value
        .replaceAll('&', '&amp;')
        .replaceAll('<', '&lt;')
        .replaceAll('>', '&gt;')
        .replaceAll('"', '&quot;')
        .replaceAll("'", '&#39;')
    : value;
  return /[^\u0000-\u009f]/.test(escaped)
    ? escaped.replace(/[\u00a0-\u{10ffff}]/gu, (ch) => `&#${ch.codePointAt(0)};`)
    : escaped;
}
