import type { ContentProblem } from '../model.js';

/** The outcome of parsing one file: the value, or every problem found in it. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: ContentProblem[] };
