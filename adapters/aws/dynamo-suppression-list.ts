import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SuppressionList } from '../../core/ports.js';
import type { Suppression } from '../../core/subscriber.js';

/** Suppressed address hashes in DynamoDB, one item per `emailKey`. */
export class DynamoSuppressionList implements SuppressionList {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(emailKey: string): Promise<Suppression | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: { emailKey }, ConsistentRead: true }),
    );
    return res.Item as Suppression | undefined;
  }

  /** Records the suppression, replacing an earlier one for the same address. */
  async put(suppression: Suppression): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...suppression } }));
  }

  async remove(emailKey: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { emailKey } }));
  }

  async list(): Promise<Suppression[]> {
    const out: Suppression[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new ScanCommand({ TableName: this.tableName, ExclusiveStartKey: start }),
      );
      out.push(...((res.Items ?? []) as Suppression[]));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
