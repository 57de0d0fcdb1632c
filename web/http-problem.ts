import type { FieldProblem } from '../core/subscriptions/field-problem.js';

/** HTTP statuses this app answers client mistakes with. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 429;

/**
 * A request the app refuses, with the status and a message naming the field or the problem
 * (`email: must contain exactly one @`). Thrown by handlers, answered by the error boundary.
 */
export class HttpProblemError extends Error {
  override readonly name = 'HttpProblemError';
  constructor(
    readonly status: ProblemStatus,
    readonly problem: FieldProblem,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${problem.field}: ${problem.message}`);
  }
}

/** Shorthand for a 400 naming a field. */
export function badRequest(field: string, message: string): HttpProblemError {
  return new HttpProblemError(400, { field, message });
}
