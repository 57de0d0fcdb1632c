import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Cadence } from '../../core/model.js';
import type { FanOutEntry, Sleeper, SubscriberIndex } from '../../core/ports.js';
import type { Subscriber } from '../../core/subscriber.js';
import { batchGetAll } from './dynamo-batch.js';
import { decodeCursor, encodeCursor } from './dynamo-cursor.js';
import { toSubscriber } from './dynamo-subscriber-store.js';
import { FANOUT_INDEX, fanoutKeyOf } from './tables.js';

/**
 * Fan-out reads of the `subscribers` table: pages of the sparse `byFanout` index (only active
 * subscribers carry `fanoutKey`), one shard at a time so shards can be read in parallel, and
 * consistent batch reads of whole records for the send worker.
 */
export class DynamoSubscriberIndex implements SubscriberIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: { sleeper?: Sleeper } = {},
  ) {}

  async page(
    cadence: Cadence,
    shard: number,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ entries: FanOutEntry[]; cursor: string | undefined }> {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`page limit must be a whole number ≥ 1, got ${limit}`);
    const key = fanoutKeyOf(cadence, shard);
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: FANOUT_INDEX,
        KeyConditionExpression: 'fanoutKey = :key',
        ExpressionAttributeValues: { ':key': key },
        Limit: limit,
        ExclusiveStartKey: cursor ? startKey(cursor, key) : undefined,
      }),
    );
    const entries = (res.Items ?? []).map((item) => ({
      subscriberId: String(item.id),
      emailKey: String(item.emailKey),
      topics: Array.isArray(item.topics) ? item.topics.map(String) : [],
    }));
    return { entries, cursor: res.LastEvaluatedKey ? encodeCursor(res.LastEvaluatedKey) : undefined };
  }

  /** Strongly consistent BatchGetItem, 100 keys per request, unprocessed keys retried with backoff. */
  async getMany(emailKeys: string[]): Promise<Map<string, Subscriber>> {
    const keys = [...new Set(emailKeys)].map((emailKey) => ({ emailKey }));
    const items = await batchGetAll(this.db, this.tableName, keys, {
      consistentRead: true,
      sleeper: this.options.sleeper,
    });
    const found = new Map<string, Subscriber>();
    for (const item of items) {
      const subscriber = toSubscriber(item);
      found.set(subscriber.emailKey, subscriber);
    }
    return found;
  }
}

/** The index key a cursor continues from; it must belong to the shard being read. */
function startKey(cursor: string, fanoutKey: string): Record<string, unknown> {
  const key = decodeCursor(cursor, 'fan-out cursor is not one this index produced');
  if (key.fanoutKey !== fanoutKey) {
    throw new RangeError(`fan-out cursor belongs to another shard than ${fanoutKey}`);
  }
  return key;
}
