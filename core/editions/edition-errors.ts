/** A request for an edition that cannot be acted on: `field` names what is wrong. */
export class EditionRequestError extends Error {
  override readonly name = 'EditionRequestError';
  constructor(
    readonly field: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${detail}`, options);
  }
}
