/** One thing wrong with a request, and where: `email: not a valid address`. */
export interface FieldProblem {
  /** The field as the client sent it (`email`, `topics`, `body`, `token`). */
  field: string;
  message: string;
}

/** `field: message`, the form every client sees. */
export function describeProblem(problem: FieldProblem): string {
  return `${problem.field}: ${problem.message}`;
}

/** A client's value quoted for a message: short, so a long value does not flood the answer. */
export function quoteValue(value: string, max = 40): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

/**
 * Line breaks and other control characters (tab aside): never legitimate in a form field. C1
 * controls and the Unicode line and paragraph separators count too: NEL (U+0085), U+2028 and
 * U+2029 end a line for many parsers, and a mail header must never see one.
 */
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/;
const LINE_BREAK = /[\r\n\u0085\u2028\u2029]/;

/**
 * Finds the first field whose value (or any of its values) holds a line break or another control
 * character, so header injection through any field is refused before it reaches anything else.
 */
export function findControlCharacters(fields: Record<string, unknown>): FieldProblem | undefined {
  for (const [field, value] of Object.entries(fields)) {
    if (CONTROL.test(field)) return { field: 'body', message: 'a field name contains a control character' };
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v === 'string' && CONTROL.test(v)) {
        return {
          field,
          message: LINE_BREAK.test(v)
            ? 'must not contain line breaks'
            : 'must not contain control characters',
        };
      }
    }
  }
  return undefined;
}
