/**
 * Failures of a call to the editor API, each with a `userMessage`: the sentence the CLI prints
 * (cli/main.ts prints any error's `userMessage` and exits 1), saying what to do next.
 */

/** Base of the editor API failures. */
export class EditorApiError extends Error {
  override readonly name: string = 'EditorApiError';
  constructor(
    readonly userMessage: string,
    options?: { cause?: unknown },
  ) {
    super(userMessage, options);
  }
}

/** The stack or stage does not answer (nothing listening, DNS, TLS, timeout). */
export class EditorUnreachableError extends EditorApiError {
  override readonly name = 'EditorUnreachableError';
}

/** The local stack is not running: no local.json, a dead process, or nothing on its port. */
export class LocalStackNotRunningError extends EditorApiError {
  override readonly name = 'LocalStackNotRunningError';
  constructor(detail?: string, options?: { cause?: unknown }) {
    super(
      `the local stack is not running${detail ? ` (${detail})` : ''}: start it with \`npm start\``,
      options,
    );
  }
}

/** 401 or 403: the token or the AWS identity was refused. */
export class EditorAuthError extends EditorApiError {
  override readonly name = 'EditorAuthError';
  constructor(
    userMessage: string,
    readonly status: number,
  ) {
    super(userMessage);
  }
}

/** 404: no such edition, post or route. */
export class EditorNotFoundError extends EditorApiError {
  override readonly name = 'EditorNotFoundError';
  constructor(
    userMessage: string,
    readonly serverMessage: string,
  ) {
    super(userMessage);
  }
}

/** Another 4xx: the request was wrong; the server's message names the field. */
export class EditorRequestError extends EditorApiError {
  override readonly name = 'EditorRequestError';
  constructor(
    userMessage: string,
    readonly status: number,
    readonly field?: string | undefined,
  ) {
    super(userMessage);
  }
}

/** 5xx, or an answer that is not what the API sends. */
export class EditorServerError extends EditorApiError {
  override readonly name = 'EditorServerError';
  constructor(
    userMessage: string,
    readonly status: number,
  ) {
    super(userMessage);
  }
}
