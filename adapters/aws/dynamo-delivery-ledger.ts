import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { isDeadLettered } from '../../core/delivery/dead-letter.js';
import type { Delivery, DeliveryStatus } from '../../core/edition.js';
import type { DeliveryLedger, Sleeper, WriteResult } from '../../core/ports.js';
import { type BatchOptions, batchGetAll, batchPutAll } from './dynamo-batch.js';
import { putIfAbsent } from './dynamo-put-if-absent.js';
import { MESSAGE_ID_INDEX } from './tables.js';

const STATUSES: readonly DeliveryStatus[] = ['sending', 'sent', 'failed', 'unknown', 'skipped'];

export interface DynamoDeliveryLedgerOptions {
  /** Waits between rounds of unprocessed batch items. */
  sleeper?: Sleeper;
  /** Rounds before a batch with unprocessed items fails. Default 8. */
  maxBatchRounds?: number;
}

/**
 * The delivery ledger in the `deliveries` table, one item per (editionId, subscriberId), written
 * with single-item conditional writes only: the claim is a put that succeeds once, settling and
 * releasing are guarded by the claim's attempt id (or by the status the caller saw), so two
 * workers can never both believe they hold a delivery. `messageId` is set only on rows SES took,
 * which keeps the `byMessageId` index sparse.
 */
export class DynamoDeliveryLedger implements DeliveryLedger {
  private readonly batch: BatchOptions;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDeliveryLedgerOptions = {},
  ) {
    this.batch = { sleeper: options.sleeper, maxRounds: options.maxBatchRounds };
  }

  /** Strongly consistent BatchGetItem, 100 keys per request. */
  async getMany(editionId: string, subscriberIds: string[]): Promise<Map<string, Delivery>> {
    const keys = [...new Set(subscriberIds)].map((subscriberId) => ({ editionId, subscriberId }));
    const items = await batchGetAll(this.db, this.tableName, keys, { ...this.batch, consistentRead: true });
    const rows = new Map<string, Delivery>();
    for (const item of items) {
      const row = toDelivery(item);
      rows.set(row.subscriberId, row);
    }
    return rows;
  }

  claim(row: Delivery): Promise<WriteResult> {
    return putIfAbsent(this.db, this.tableName, toItem(row), 'subscriberId');
  }

  async settle(
    editionId: string,
    subscriberId: string,
    change: { status: DeliveryStatus; messageId?: string; reason?: string; at: Date },
    guard: { attempt?: string; fromStatus?: DeliveryStatus },
  ): Promise<WriteResult> {
    if (guard.attempt === undefined && guard.fromStatus === undefined) {
      throw new RangeError('settle needs a guard: the attempt that holds the row, or the status it had');
    }
    const names: Record<string, string> = { '#status': 'status', '#updatedAt': 'updatedAt' };
    const values: Record<string, unknown> = { ':status': change.status, ':at': change.at.toISOString() };
    const set = ['#status = :status', '#updatedAt = :at'];
    const remove: string[] = [];
    if (change.messageId) {
      names['#messageId'] = 'messageId';
      values[':messageId'] = change.messageId;
      set.push('#messageId = :messageId');
    }
    // The reason describes the current status only: a row settled without one loses the old one.
    names['#reason'] = 'reason';
    if (change.reason !== undefined) {
      values[':reason'] = change.reason;
      set.push('#reason = :reason');
    } else remove.push('#reason');
    const conditions = ['attribute_exists(subscriberId)'];
    if (guard.attempt !== undefined) {
      // Held = claimed by that attempt and not settled since.
      names['#attempt'] = 'attempt';
      values[':attempt'] = guard.attempt;
      values[':sending'] = 'sending';
      conditions.push('#attempt = :attempt', '#status = :sending');
    }
    if (guard.fromStatus !== undefined) {
      values[':from'] = guard.fromStatus;
      conditions.push('#status = :from');
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { editionId, subscriberId },
          UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return { ok: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return this.whyNot(editionId, subscriberId);
      throw error;
    }
  }

  /**
   * Writes the final `sent` rows with BatchWriteItem (25 per request). BatchWriteItem takes no
   * conditions, which is safe here: only the attempt holding a claim reports it sent, and the
   * row written (sent, with SES's MessageId) is the truth whatever the row said before, even if
   * another worker meanwhile marked the lapsed claim `unknown`.
   */
  async markSent(
    editionId: string,
    rows: Array<{ subscriberId: string; messageId: string; attempt: string }>,
    at: Date,
  ): Promise<void> {
    // One request may not name a key twice; the last report for a subscriber wins.
    const bySubscriber = new Map(rows.map((r) => [r.subscriberId, r]));
    const updatedAt = at.toISOString();
    const items = [...bySubscriber.values()].map((r) =>
      toItem({
        editionId,
        subscriberId: r.subscriberId,
        status: 'sent',
        attempt: r.attempt,
        messageId: r.messageId,
        updatedAt,
      }),
    );
    await batchPutAll(this.db, this.tableName, items, this.batch);
  }

  /** Deletes the row only while this attempt holds it as `sending`. */
  async release(editionId: string, subscriberId: string, attempt: string): Promise<WriteResult> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { editionId, subscriberId },
          ConditionExpression: '#attempt = :attempt AND #status = :sending',
          ExpressionAttributeNames: { '#attempt': 'attempt', '#status': 'status' },
          ExpressionAttributeValues: { ':attempt': attempt, ':sending': 'sending' },
        }),
      );
      return { ok: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return this.whyNot(editionId, subscriberId);
      throw error;
    }
  }

  /**
   * Counts an edition's rows by status with a paginated Query that returns only status and
   * reason. DynamoDB still bills the Query by the size of the items read, not of what it returns
   * (rows are about 150 bytes: some 180 read units per 10,000 rows, eventually consistent), so
   * polling progress every few seconds is fine; it is not meant for a tight loop.
   */
  async count(editionId: string): Promise<Record<DeliveryStatus, number> & { deadLettered: number }> {
    const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<DeliveryStatus, number>;
    let deadLettered = 0;
    const pages = paginateQuery(
      { client: this.db },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'editionId = :e',
        ProjectionExpression: '#status, #reason',
        ExpressionAttributeNames: { '#status': 'status', '#reason': 'reason' },
        ExpressionAttributeValues: { ':e': editionId },
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        const status = item.status as DeliveryStatus;
        if (status in counts) counts[status] += 1;
        if (isDeadLettered({ status, reason: typeof item.reason === 'string' ? item.reason : undefined })) {
          deadLettered += 1;
        }
      }
    }
    return { ...counts, deadLettered };
  }

  /** Looks the row up in the sparse `byMessageId` index (eventually consistent, as every GSI). */
  async findByMessageId(messageId: string): Promise<Delivery | undefined> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: MESSAGE_ID_INDEX,
        KeyConditionExpression: 'messageId = :m',
        ExpressionAttributeValues: { ':m': messageId },
        Limit: 1,
      }),
    );
    const item = res.Items?.[0];
    return item ? toDelivery(item) : undefined;
  }

  /** After a failed condition: `missing` when the row is gone, `conflict` when it changed hands. */
  private async whyNot(editionId: string, subscriberId: string): Promise<WriteResult> {
    const res = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { editionId, subscriberId },
        ConsistentRead: true,
        ProjectionExpression: 'subscriberId',
      }),
    );
    return { ok: false, reason: res.Item ? 'conflict' : 'missing' };
  }
}

function toItem(row: Delivery): Record<string, unknown> {
  const item: Record<string, unknown> = {
    editionId: row.editionId,
    subscriberId: row.subscriberId,
    status: row.status,
    attempt: row.attempt,
    updatedAt: row.updatedAt,
  };
  // An empty string may not be an index key; a row without a MessageId stays out of the index.
  if (row.messageId) item.messageId = row.messageId;
  if (row.reason !== undefined) item.reason = row.reason;
  return item;
}

function toDelivery(item: Record<string, unknown>): Delivery {
  return {
    editionId: String(item.editionId),
    subscriberId: String(item.subscriberId),
    status: item.status as DeliveryStatus,
    attempt: String(item.attempt),
    ...(typeof item.messageId === 'string' ? { messageId: item.messageId } : {}),
    ...(typeof item.reason === 'string' ? { reason: item.reason } : {}),
    updatedAt: String(item.updatedAt),
  };
}
