import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateScan,
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
    for await (const page of paginateScan({ client: this.db }, { TableName: this.tableName })) {
      out.push(...((page.Items ?? []) as Suppression[]));
    }
    return out;
  }
}
