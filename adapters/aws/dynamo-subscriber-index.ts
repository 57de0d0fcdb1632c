import { BatchGetCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Cadence } from '../../core/model.js';
import type { FanOutEntry, SubscriberIndex } from '../../core/ports.js';
import type { Subscriber } from '../../core/subscriber.js';
import { toSubscriber } from './dynamo-subscriber-store.js';
import { FANOUT_INDEX, fanoutKeyOf } from './tables.js';

/** BatchGetItem takes at most 100 keys. */
const BATCH_GET_LIMIT = 100;
const MAX_UNPROCESSED_ROUNDS = 8;

/**
 * Fan-out reads of the `subscribers` table: pages of the sparse `byFanout` index (only active
 * subscribers carry `fanoutKey`), one shard at a time so shards can be read in parallel, and
 * consistent batch reads of whole records for the send worker.
 */
export class DynamoSubscriberIndex implements SubscriberIndex {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(
    cadence: Cadence,
    shard: number,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ entries: FanOutEntry[]; cursor: string | undefined }> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: FANOUT_INDEX,
        KeyConditionExpression: 'fanoutKey = :key',
        ExpressionAttributeValues: { ':key': fanoutKeyOf(cadence, shard) },
        Limit: limit,
        ExclusiveStartKey: cursor ? decodeCursor(cursor) : undefined,
      }),
    );
    const entries = (res.Items ?? []).map((item) => ({
      subscriberId: String(item.id),
      emailKey: String(item.emailKey),
      topics: Array.isArray(item.topics) ? item.topics.map(String) : [],
    }));
    return { entries, cursor: res.LastEvaluatedKey ? encodeCursor(res.LastEvaluatedKey) : undefined };
  }

  async getMany(emailKeys: string[]): Promise<Map<string, Subscriber>> {
    const found = new Map<string, Subscriber>();
    const unique = [...new Set(emailKeys)];
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let keys: Array<Record<string, unknown>> = unique
        .slice(i, i + BATCH_GET_LIMIT)
        .map((emailKey) => ({ emailKey }));
      for (let round = 0; keys.length > 0; round++) {
        if (round === MAX_UNPROCESSED_ROUNDS) {
          throw new Error(
            `DynamoDB left ${keys.length} keys of ${this.tableName} unprocessed after ${round} rounds`,
          );
        }
        if (round > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** round));
        const res = await this.db.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of res.Responses?.[this.tableName] ?? []) {
          const subscriber = toSubscriber(item);
          found.set(subscriber.emailKey, subscriber);
        }
        keys = (res.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Array<Record<string, unknown>>;
      }
    }
    return found;
  }
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Record<string, unknown> {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof key === 'object' && key !== null && !Array.isArray(key)) return key as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new Error('fan-out cursor is not one this index produced');
}
