/**
 * What every send queue (SQS on AWS, the in-process one locally) accepts as a message body, and
 * the error when it refuses one. Bodies travel as JSON, so a body is checked in that form.
 */

/** SQS's default (and the CDK's) maximum message size; the in-process queue keeps the same bound. */
export const MAX_QUEUE_BODY_BYTES = 256 * 1024;
/** Most bodies in one SendMessageBatch request. */
export const MAX_QUEUE_BATCH_ENTRIES = 10;
/** Longest SQS message delay. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/**
 * A send to a queue that did not (entirely) happen. `retryable` tells whether the same call may
 * succeed later (a queue-side failure) or never will (a body too large or not JSON, a bad delay).
 * Bodies enqueued before the failure stay enqueued: callers retry the whole call, and consumers
 * absorb the duplicates (the delivery ledger's claim).
 */
export class QueueSendError extends Error {
  override readonly name = 'QueueSendError';
  readonly retryable: boolean;

  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable;
  }
}

const utf8 = new TextEncoder();

/**
 * The JSON text of body number `index` of a send, with its UTF-8 size.
 * @throws QueueSendError (not retryable) when the body has no JSON form or is larger than `maxBytes`.
 */
export function encodeQueueBody(
  body: unknown,
  index: number,
  maxBytes: number = MAX_QUEUE_BODY_BYTES,
): { json: string; bytes: number } {
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch (error) {
    throw new QueueSendError(`body ${index} cannot be serialized as JSON`, {
      retryable: false,
      cause: error,
    });
  }
  if (json === undefined) {
    throw new QueueSendError(`body ${index} has no JSON form (${typeof body})`, { retryable: false });
  }
  const bytes = utf8.encode(json).byteLength;
  if (bytes > maxBytes) {
    throw new QueueSendError(`body ${index} is ${bytes} bytes; the queue takes at most ${maxBytes}`, {
      retryable: false,
    });
  }
  return { json, bytes };
}

/** Checks a send's delay. @throws QueueSendError (not retryable) outside 0…900 seconds. */
export function checkQueueDelay(delaySeconds: number): number {
  if (!Number.isFinite(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_QUEUE_DELAY_SECONDS) {
    throw new QueueSendError(
      `delaySeconds must be within 0…${MAX_QUEUE_DELAY_SECONDS}, got ${delaySeconds}`,
      {
        retryable: false,
      },
    );
  }
  return delaySeconds;
}
