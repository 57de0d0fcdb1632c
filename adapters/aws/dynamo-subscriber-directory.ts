import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SubscriberDirectory } from '../../core/ports.js';
import type { Subscriber } from '../../core/subscriber.js';
import { toSubscriber } from './dynamo-subscriber-store.js';

/**
 * The subscribers table read page by page with Scan, for the editor's export and search. The
 * cursor is DynamoDB's LastEvaluatedKey (the item's `emailKey`), base64url-encoded JSON.
 */
export class DynamoSubscriberDirectory implements SubscriberDirectory {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(
    cursor: string | undefined,
    limit: number,
  ): Promise<{ subscribers: Subscriber[]; cursor: string | undefined }> {
    const res = await this.db.send(
      new ScanCommand({
        TableName: this.tableName,
        Limit: limit,
        ExclusiveStartKey: cursor === undefined ? undefined : decodeCursor(cursor),
      }),
    );
    return {
      subscribers: (res.Items ?? []).map(toSubscriber),
      cursor: res.LastEvaluatedKey ? encodeCursor(res.LastEvaluatedKey) : undefined,
    };
  }
}

function encodeCursor(key: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): Record<string, unknown> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new RangeError('subscriber directory: the cursor is not one this directory made', { cause: error });
  }
  if (
    typeof key !== 'object' ||
    key === null ||
    typeof (key as { emailKey?: unknown }).emailKey !== 'string'
  ) {
    throw new RangeError('subscriber directory: the cursor is not one this directory made');
  }
  return { emailKey: (key as { emailKey: string }).emailKey };
}
