import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { fromSqsEvent, toBatchResponse } from '../../../adapters/aws/sqs-event.js';
import { sqsRecord } from '../../support/sqs-record.js';

describe('SQS event mapping', () => {
  it('maps records to received messages with ids, bodies and receive counts', () => {
    const event: SQSEvent = {
      Records: [sqsRecord('a', '{"editionId":"weekly-2026-W48","n":1}', '1'), sqsRecord('b', '[1,2]', '4')],
    };
    expect(fromSqsEvent(event)).toEqual({
      messages: [
        { id: 'a', body: { editionId: 'weekly-2026-W48', n: 1 }, receiveCount: 1 },
        { id: 'b', body: [1, 2], receiveCount: 4 },
      ],
      failedIds: [],
    });
  });

  it('turns a malformed body into a failed item and logs it, keeping the others', () => {
    const logged: Array<Record<string, unknown> | undefined> = [];
    const logger = {
      info() {},
      warn() {},
      error: (_: string, f?: Record<string, unknown>) => logged.push(f),
    };
    const parse = (body: unknown) => {
      if (typeof body !== 'object' || body === null || !('n' in body)) throw new Error('no n');
      return body as { n: number };
    };
    const event: SQSEvent = {
      Records: [
        sqsRecord('ok', '{"n":1}'),
        sqsRecord('bad-json', '{"n":'),
        sqsRecord('bad-shape', '{"m":1}', '3'),
      ],
    };
    const parsed = fromSqsEvent(event, { parse, logger });
    expect(parsed.messages.map((m) => m.id)).toEqual(['ok']);
    expect(parsed.failedIds).toEqual(['bad-json', 'bad-shape']);
    expect(logged).toHaveLength(2);
    expect(logged[1]).toMatchObject({ messageId: 'bad-shape', receiveCount: 3, error: 'no n' });
  });

  it('reads a missing or odd receive count as a first delivery', () => {
    const r = sqsRecord('x', '{}', 'many');
    expect(fromSqsEvent({ Records: [r] }).messages[0]!.receiveCount).toBe(1);
  });

  it('answers the failed ids as batchItemFailures, each once', () => {
    expect(toBatchResponse({ failedIds: ['a', 'b', 'a'] })).toEqual({
      batchItemFailures: [{ itemIdentifier: 'a' }, { itemIdentifier: 'b' }],
    });
    expect(toBatchResponse({ failedIds: [] })).toEqual({ batchItemFailures: [] });
  });
});
