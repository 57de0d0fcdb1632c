/**
 * A message that could not be handed to the mail provider. The flags let the core decide by
 * `instanceof` and data, never by parsing provider messages:
 * - `throttled`: the provider refused because of its sending rate; back off, then retry.
 * - `retryable`: the same message may succeed later (throttling, provider 5xx, network trouble).
 * - `maybeSent`: the request may have reached the provider before the failure (a timeout or a
 *   connection dropped mid-request), so the mail may already be on its way. Resending blindly
 *   could deliver it twice: record the outcome as unknown and reconcile instead.
 */
export class MailerError extends Error {
  override readonly name = 'MailerError';
  /** The provider's error name (`MessageRejected`, `Throttling`, `TimeoutError`…) or a local code. */
  readonly code: string;
  readonly retryable: boolean;
  readonly throttled: boolean;
  readonly maybeSent: boolean;

  constructor(
    message: string,
    details: { code: string; retryable: boolean; throttled?: boolean; maybeSent?: boolean; cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = details.code;
    this.retryable = details.retryable;
    this.throttled = details.throttled ?? false;
    this.maybeSent = details.maybeSent ?? false;
  }
}
