import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchGetAll, batchPutAll, UnprocessedItemsError } from '../../../adapters/aws/dynamo-batch.js';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws();

/**
 * The real document client, except that each batch request hands DynamoDB only the first
 * `keep` share of its items and reports the rest unprocessed, as a throttled table does.
 */
function throttlingClient(keep: number): { doc: DynamoDBDocumentClient; requests: number[] } {
  const requests: number[] = [];
  const doc = new Proxy(aws.doc, {
    get(target, property, receiver) {
      if (property !== 'send') return Reflect.get(target, property, receiver);
      return async (command: unknown) => {
        if (command instanceof BatchGetCommand) {
          const [table, request] = Object.entries(command.input.RequestItems ?? {})[0]!;
          const keys = request.Keys ?? [];
          const n = Math.max(1, Math.floor(keys.length * keep));
          requests.push(keys.length);
          const res = await target.send(
            new BatchGetCommand({ RequestItems: { [table]: { ...request, Keys: keys.slice(0, n) } } }),
          );
          const rest = keys.slice(n);
          return rest.length > 0 ? { ...res, UnprocessedKeys: { [table]: { ...request, Keys: rest } } } : res;
        }
        if (command instanceof BatchWriteCommand) {
          const [table, writes] = Object.entries(command.input.RequestItems ?? {})[0]!;
          const n = Math.max(1, Math.floor(writes.length * keep));
          requests.push(writes.length);
          const res = await target.send(
            new BatchWriteCommand({ RequestItems: { [table]: writes.slice(0, n) } }),
          );
          const rest = writes.slice(n);
          return rest.length > 0 ? { ...res, UnprocessedItems: { [table]: rest } } : res;
        }
        return target.send(command as never);
      };
    },
  });
  return { doc, requests };
}

const rows = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    editionId: 'weekly-2026-W48',
    subscriberId: `s-${String(i).padStart(3, '0')}`,
    status: 'sent',
    attempt: 'a',
    updatedAt: '2026-11-27T08:00:00.000Z',
  }));

describe('DynamoDB batch helpers', () => {
  it('writes and reads everything when DynamoDB leaves items unprocessed, backing off between rounds', async () => {
    const { doc, requests } = throttlingClient(0.5);
    const sleeps: number[] = [];
    const options = {
      sleeper: { sleep: async (ms: number) => void sleeps.push(ms) },
      random: () => 1,
      maxRounds: 10,
    };
    await batchPutAll(doc, aws.tables.deliveries, rows(30), options);
    // 25 → 12 written, 13 left → 6, 7 left → …; and the chunk of 5 alongside.
    expect(requests.slice(0, 2).sort((a, b) => b - a)).toEqual([25, 5]);
    expect(sleeps.length).toBeGreaterThan(3);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(2000);

    requests.length = 0;
    const keys = rows(30).map(({ editionId, subscriberId }) => ({ editionId, subscriberId }));
    const items = await batchGetAll(doc, aws.tables.deliveries, keys, { ...options, consistentRead: true });
    expect(items.map((i) => i.subscriberId).sort()).toEqual(keys.map((k) => k.subscriberId));
    expect(requests[0]).toBe(30);
    expect(requests.length).toBeGreaterThan(1);
  });

  it('gives up after maxRounds, naming the table and what is left', async () => {
    const { doc } = throttlingClient(0.1);
    const options = { sleeper: { sleep: async () => {} }, maxRounds: 3 };
    const error = await batchPutAll(doc, aws.tables.deliveries, rows(25), options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnprocessedItemsError);
    expect(error).toMatchObject({ table: aws.tables.deliveries, operation: 'BatchWriteItem' });
    expect((error as Error).message).toMatch(/left \d+ item\(s\) unprocessed after 3 rounds/);
  });
});
