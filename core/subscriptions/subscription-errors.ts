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
