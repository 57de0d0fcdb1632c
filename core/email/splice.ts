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
  const spliced = { parts, slots };
  touch(spliced);
  return spliced;
}

// The texts cut or joined most recently, newest first, held weakly (a dropped edition goes):
// a mail being encoded was most likely joined from one of them, and encode-body.ts encodes their
// parts once instead of the whole mail every time.
const RECENT = 16;
let recent: Array<WeakRef<SplicedText>> = [];

function touch(spliced: SplicedText): void {
  // Already among the newest few (an edition's html and text alternate): nothing to move.
  for (let i = 0; i < Math.min(4, recent.length); i++) if (recent[i]?.deref() === spliced) return;
  const others = recent.filter((ref) => {
    const held = ref.deref();
    return held !== undefined && held !== spliced;
  });
  recent = [new WeakRef(spliced), ...others.slice(0, RECENT - 1)];
}

/** The texts cut or joined most recently, newest first. */
export function recentSplices(): SplicedText[] {
  const out: SplicedText[] = [];
  for (const ref of recent) {
    const held = ref.deref();
    if (held) out.push(held);
  }
  return out;
}

/** Joins the parts with `values[slot]` in every cut. */
export function joinSpliced(spliced: SplicedText, values: readonly string[]): string {
  const { parts, slots } = spliced;
  let out = parts[0] as string;
  for (let i = 0; i < slots.length; i++)
    out += (values[slots[i] as number] as string) + (parts[i + 1] as string);
  touch(spliced);
  return out;
}

/**
 * The values, one per cut in order, that join `spliced` into exactly `text`; undefined when no
 * values do. Where a value could end in more than one place, the first is taken: any answer
 * joins back into the same text.
 */
export function valuesIn(text: string, spliced: SplicedText): string[] | undefined {
  const { parts } = spliced;
  let fixed = 0;
  for (const part of parts) fixed += part.length;
  const last = parts[parts.length - 1] as string;
  if (text.length < fixed || !text.startsWith(parts[0] as string) || !text.endsWith(last)) return undefined;
  const values: string[] = [];
  let at = (parts[0] as string).length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const found = text.indexOf(part, at);
    if (found === -1 || found + part.length > end) return undefined;
    values.push(text.slice(at, found));
    at = found + part.length;
  }
  if (parts.length > 1) {
    if (at > end) return undefined;
    values.push(text.slice(at, end));
  } else if (text.length !== fixed) return undefined;
  return values;
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
