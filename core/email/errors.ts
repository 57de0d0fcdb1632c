/**
 * Failures of building a mail. The MIME boundary refuses anything that could bend a header
 * (CR, LF, other control characters) instead of repairing it: repairing hides bugs and attacks.
 */

/** A header value that cannot be used: `field` names the input property (`to`, `from.name`, …). */
export class MailHeaderError extends Error {
  override readonly name: string = 'MailHeaderError';
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${message}`, options);
  }
}

/** A header value with CR, LF or another control character: a header injection attempt or a bug. */
export class HeaderInjectionError extends MailHeaderError {
  override readonly name: string = 'HeaderInjectionError';
}

/** Not a single, plain email address (`local@domain`). */
export class InvalidAddressError extends MailHeaderError {
  override readonly name: string = 'InvalidAddressError';
}

/** A link handed to personalization that is not an absolute http(s) URL without whitespace. */
export class InvalidLinkError extends Error {
  override readonly name: string = 'InvalidLinkError';
  constructor(
    readonly field: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${field}: ${message}`, options);
  }
}
