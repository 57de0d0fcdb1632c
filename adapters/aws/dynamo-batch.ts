/**
 * BatchGetItem and BatchWriteItem over any number of items: split into requests DynamoDB takes
 * (100 keys / 25 writes), sent in parallel, with what DynamoDB leaves unprocessed (throttled
 * partitions) sent again after an exponential backoff with full jitter.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Sleeper } from '../../core/ports.js';
import { TimerSleeper } from '../local/timer-sleeper.js';

/** Most keys in one BatchGetItem request. */
export const BATCH_GET_LIMIT = 100;
/** Most writes in one BatchWriteItem request. */
export const BATCH_WRITE_LIMIT = 25;

/** DynamoDB kept leaving items unprocessed: the batch is not (entirely) done. */
export class UnprocessedItemsError extends Error {
  override readonly name = 'UnprocessedItemsError';
  constructor(
    readonly table: string,
    readonly operation: 'BatchGetItem' | 'BatchWriteItem',
    readonly unprocessed: number,
    rounds: number,
  ) {
    super(`${operation} on ${table} left ${unprocessed} item(s) unprocessed after ${rounds} rounds`);
  }
}

export interface BatchOptions {
  sleeper?: Sleeper | undefined;
  /** Rounds (first request included) before giving up on unprocessed items. Default 8. */
  maxRounds?: number | undefined;
  random?: (() => number) | undefined;
}

const BASE_DELAY_MS = 50;
const MAX_DELAY_MS = 2_000;
const defaultSleeper = new TimerSleeper();

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function backoff(round: number, options: BatchOptions): Promise<void> {
  const random = options.random ?? Math.random;
  await (options.sleeper ?? defaultSleeper).sleep(
    random() * Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** round),
  );
}

/** Reads items by key; keys not found are simply absent from the result. */
export async function batchGetAll(
  db: DynamoDBDocumentClient,
  table: string,
  keys: ReadonlyArray<Record<string, unknown>>,
  options: BatchOptions & { consistentRead?: boolean } = {},
): Promise<Array<Record<string, unknown>>> {
  const maxRounds = options.maxRounds ?? 8;
  const results = await Promise.all(
    chunks(keys, BATCH_GET_LIMIT).map(async (chunk) => {
      const items: Array<Record<string, unknown>> = [];
      let pending: Array<Record<string, unknown>> = chunk;
      for (let round = 0; pending.length > 0; round += 1) {
        if (round === maxRounds)
          throw new UnprocessedItemsError(table, 'BatchGetItem', pending.length, round);
        if (round > 0) await backoff(round, options);
        const res = await db.send(
          new BatchGetCommand({
            RequestItems: { [table]: { Keys: pending, ConsistentRead: options.consistentRead ?? false } },
          }),
        );
        items.push(...(res.Responses?.[table] ?? []));
        pending = (res.UnprocessedKeys?.[table]?.Keys ?? []) as Array<Record<string, unknown>>;
      }
      return items;
    }),
  );
  return results.flat();
}

/** Puts whole items (unconditionally: BatchWriteItem takes no conditions). */
export async function batchPutAll(
  db: DynamoDBDocumentClient,
  table: string,
  items: ReadonlyArray<Record<string, unknown>>,
  options: BatchOptions = {},
): Promise<void> {
  const maxRounds = options.maxRounds ?? 8;
  await Promise.all(
    chunks(items, BATCH_WRITE_LIMIT).map(async (chunk) => {
      let pending: Array<{ PutRequest: { Item: Record<string, unknown> } }> = chunk.map((Item) => ({
        PutRequest: { Item },
      }));
      for (let round = 0; pending.length > 0; round += 1) {
        if (round === maxRounds)
          throw new UnprocessedItemsError(table, 'BatchWriteItem', pending.length, round);
        if (round > 0) await backoff(round, options);
        const res = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (res.UnprocessedItems?.[table] ?? []) as typeof pending;
      }
    }),
  );
}
