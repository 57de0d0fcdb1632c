/**
 * Text bound for a mail header. Line breaks there end the header and start another one, so
 * content-derived text (a post title in a subject) is flattened here, and the MIME boundary
 * refuses whatever still carries one.
 */

// C0 controls (tab, CR and LF included), DEL, C1 controls (NEL among them), line and paragraph separators.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROL_RUNS = /[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/** True when the value holds a line break or another control character. */
export function hasControlCharacters(value: string): boolean {
  return CONTROL.test(value);
}

/**
 * Content text made fit for a header: every run of whitespace, line breaks or control
 * characters becomes one space, and the ends are trimmed. `"A\r\nBcc: x"` → `"A Bcc: x"`.
 */
export function toHeaderText(value: string): string {
  return value.replace(CONTROL_RUNS, ' ').trim();
}
