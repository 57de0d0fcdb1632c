/**
 * The two ends of an SQS → Lambda event source mapping with partial batch responses
 * (`ReportBatchItemFailures`): an SQSEvent in, ReceivedMessage<T>[] to the consumer; the
 * consumer's BatchResult out, as `{ batchItemFailures }`.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { BatchResult, Logger, ReceivedMessage } from '../../core/ports.js';

export interface ParsedSqsEvent<T> {
  /** The records whose bodies parsed, in the event's order. */
  messages: ReceivedMessage<T>[];
  /**
   * Records whose bodies did not parse: they fail, so SQS delivers them again and, after the
   * queue's maxReceiveCount, moves them to the dead-letter queue where they can be inspected.
   */
  failedIds: string[];
}

/**
 * Maps an SQSEvent to received messages: `id` is the record's messageId (what
 * `batchItemFailures` names), `receiveCount` its ApproximateReceiveCount, the body parsed from
 * JSON and then by `parse` when given (a validator that throws on a bad body).
 */
export function fromSqsEvent<T>(
  event: SQSEvent,
  options: { parse?: (body: unknown) => T; logger?: Logger } = {},
): ParsedSqsEvent<T> {
  const messages: ReceivedMessage<T>[] = [];
  const failedIds: string[] = [];
  for (const record of event.Records) {
    const receiveCount = Number.parseInt(record.attributes?.ApproximateReceiveCount ?? '', 10);
    let body: T;
    try {
      const json: unknown = JSON.parse(record.body);
      body = options.parse ? options.parse(json) : (json as T);
    } catch (error) {
      failedIds.push(record.messageId);
      options.logger?.error('queue message body is malformed', {
        messageId: record.messageId,
        receiveCount,
        bytes: record.body.length,
        error: error instanceof Error ? error.message : String(error),
      });
      continue;
    }
    messages.push({
      id: record.messageId,
      body,
      receiveCount: Number.isInteger(receiveCount) && receiveCount > 0 ? receiveCount : 1,
    });
  }
  return { messages, failedIds };
}

/** The Lambda answer that makes SQS deliver exactly these messages again (duplicates named once). */
export function toBatchResponse(result: BatchResult): SQSBatchResponse {
  return { batchItemFailures: [...new Set(result.failedIds)].map((itemIdentifier) => ({ itemIdentifier })) };
}
