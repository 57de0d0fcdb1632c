import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
} from '@aws-sdk/lib-dynamodb';
import { CADENCES } from '../../core/model.js';
import type { SubscriberStore, WriteResult } from '../../core/ports.js';
import { SUBSCRIBER_STATUSES, type Subscriber, type SubscriberStatus } from '../../core/subscriber.js';
import { putIfAbsent } from './dynamo-put-if-absent.js';
import { fanoutKeyOf } from './tables.js';

/**
 * Subscribers in DynamoDB, one item per `emailKey`. Every write is a single conditional put
 * (dynalite has no transactions, and none is needed): `create` only where no item exists,
 * `update` only over the version (and record id) the caller read. The item also carries
 * `fanoutKey` (`<cadence>#<shard>`) while, and only while, the subscriber is active, which makes
 * the `byFanout` index hold exactly the people to mail.
 */
export class DynamoSubscriberStore implements SubscriberStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(emailKey: string): Promise<Subscriber | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { emailKey }, ConsistentRead: true }),
    );
    return res.Item ? toSubscriber(res.Item) : undefined;
  }

  create(subscriber: Subscriber): Promise<WriteResult> {
    return putIfAbsent(this.db, this.tableName, toItem(subscriber), 'emailKey');
  }

  async update(subscriber: Subscriber, expectedVersion: number): Promise<WriteResult> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(subscriber),
          // The id check stops a write based on a record that was erased and created anew.
          ConditionExpression: 'attribute_exists(emailKey) AND #version = :expected AND #id = :id',
          ExpressionAttributeNames: { '#version': 'version', '#id': 'id' },
          ExpressionAttributeValues: { ':expected': expectedVersion, ':id': subscriber.id },
        }),
      );
      return { ok: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // dynalite ignores ReturnValuesOnConditionCheckFailure, so read to tell the two apart.
      const current = await this.get(subscriber.emailKey);
      return { ok: false, reason: current ? 'conflict' : 'missing' };
    }
  }

  async delete(emailKey: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { emailKey } }));
  }

  /** A full scan reading two attributes: fine for the editor console, not for a hot path. */
  async count(): Promise<Record<SubscriberStatus, Record<string, number>>> {
    const counts = Object.fromEntries(
      SUBSCRIBER_STATUSES.map((s) => [s, Object.fromEntries(CADENCES.map((c) => [c, 0]))]),
    ) as Record<SubscriberStatus, Record<string, number>>;
    const pages = paginateScan(
      { client: this.db },
      {
        TableName: this.tableName,
        ProjectionExpression: '#status, cadence',
        ExpressionAttributeNames: { '#status': 'status' },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const byCadence = counts[item.status as SubscriberStatus];
        if (!byCadence) continue;
        const cadence = String(item.cadence);
        byCadence[cadence] = (byCadence[cadence] ?? 0) + 1;
      }
    }
    return counts;
  }
}

function toItem(subscriber: Subscriber): Record<string, unknown> {
  const { fanoutKey: _stale, ...item } = subscriber as Subscriber & { fanoutKey?: string };
  return subscriber.status === 'active'
    ? { ...item, fanoutKey: fanoutKeyOf(subscriber.cadence, subscriber.shard) }
    : item;
}

/** A stored item as the core's record (the index key is storage detail). */
export function toSubscriber(item: Record<string, unknown>): Subscriber {
  const { fanoutKey: _fanoutKey, ...rest } = item;
  return rest as unknown as Subscriber;
}
