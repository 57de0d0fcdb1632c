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

/** Joins the parts with `values[slot]` in every cut. */
export function joinSpliced(spliced: SplicedText, values: readonly string[]): string {
  const { parts, slots } = spliced;
  let out = parts[0] as string;
  for (let i = 0; i < slots.length; i++)
    out += (values[slots[i] as number] as string) + (parts[i + 1] as string);
  return out;
}

/** How many cuts use `slot`. */
export function countSlot(spliced: SplicedText, slot: number): number {
  let n = 0;
  for (const s of spliced.slots) if (s === slot) n++;
  return n;
}

/** Escapes a value for an HTML attribute or text node (`&`, `<`, `>`, `"`, `'`). */
export function escapeHtml(value: string): string {
  return /[&<>"']/.test(value)
    ? value
        .replaceAll('&', '&amp;')
        .replaceAll('<', '&lt;')
        .replaceAll('>', '&gt;')
        .replaceAll('"', '&quot;')
        .replaceAll("'", '&#39;')
    : value;
}
