import { describe, expect, it } from 'vitest';
import { checkQueueDelay, encodeQueueBody, QueueSendError } from '../../core/queue-body.js';

describe('queue bodies', () => {
  it('encodes a body as JSON and measures it in UTF-8 bytes', () => {
    expect(encodeQueueBody({ name: 'Zoë' }, 0)).toEqual({ json: '{"name":"Zoë"}', bytes: 15 });
  });

  it('refuses bodies with no JSON form or over the size bound, naming the body, not retryable', () => {
    const cases: Array<[unknown, number, RegExp]> = [
      [{ n: 1n }, 256 * 1024, /body 3 cannot be serialized as JSON/],
      [undefined, 256 * 1024, /body 3 has no JSON form \(undefined\)/],
      [{ text: 'é'.repeat(60) }, 100, /body 3 is 131 bytes; the queue takes at most 100/],
    ];
    for (const [body, max, message] of cases) {
      let caught: unknown;
      try {
        encodeQueueBody(body, 3, max);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(QueueSendError);
      expect((caught as QueueSendError).message).toMatch(message);
      expect((caught as QueueSendError).retryable).toBe(false);
    }
  });

  it('accepts delays from 0 to 900 seconds only', () => {
    expect(checkQueueDelay(0)).toBe(0);
    expect(checkQueueDelay(900)).toBe(900);
    for (const bad of [-1, 901, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => checkQueueDelay(bad)).toThrow(QueueSendError);
    }
  });
});
