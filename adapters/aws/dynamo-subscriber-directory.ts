import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { SubscriberDirectory } from '../../core/ports.js';
import type { Subscriber } from '../../core/subscriber.js';
import { decodeCursor, encodeCursor } from './dynamo-cursor.js';
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
        ExclusiveStartKey: cursor === undefined ? undefined : startKey(cursor),
      }),
    );
    return {
      subscribers: (res.Items ?? []).map(toSubscriber),
      cursor: res.LastEvaluatedKey ? encodeCursor(res.LastEvaluatedKey) : undefined,
    };
  }
}

const NOT_OURS = 'subscriber directory: the cursor is not one this directory made';

/** The table key a cursor continues from: nothing but an `emailKey`. */
function startKey(cursor: string): Record<string, unknown> {
  const { emailKey } = decodeCursor(cursor, NOT_OURS);
  if (typeof emailKey !== 'string') throw new RangeError(NOT_OURS);
  return { emailKey };
}
