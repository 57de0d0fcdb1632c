/** A subscriber record kept changing under a use case: the bounded retries ran out. */
export class SubscriberConflictError extends Error {
  override readonly name = 'SubscriberConflictError';
  constructor(
    readonly emailKey: string,
    options?: { cause?: unknown },
  ) {
    super(`subscriber record ${emailKey.slice(0, 12)}… changed concurrently too many times`, options);
  }
}

/**
 * The subscribe request was recorded but its confirmation mail could not be sent (the provider
 * refused or failed, or the template broke); `cause` says why. The record no longer counts the mail
 * as sent, so the next request sends at once instead of being throttled. Callers answer it as they
 * answer every subscribe request: only new and unsubscribed addresses are mailed, so a different
 * answer would tell which addresses are on the list.
 */
export class ConfirmationNotSentError extends Error {
  override readonly name = 'ConfirmationNotSentError';
  constructor(
    readonly subscriberId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `confirmation mail not sent for subscriber ${subscriberId}: ${
        options?.cause instanceof Error ? options.cause.message : String(options?.cause)
      }`,
      options,
    );
  }
}
