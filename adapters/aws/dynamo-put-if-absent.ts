import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { WriteResult } from '../../core/ports.js';

/**
 * Writes `item` only where the table holds no item with its key: a put conditional on
 * `keyAttribute` (a key attribute of the table) not existing. The write that comes second gets
 * `{ ok: false, reason: 'exists' }`, never an overwrite.
 */
export async function putIfAbsent(
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  keyAttribute: string,
): Promise<WriteResult> {
  try {
    await db.send(
      new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': keyAttribute },
      }),
    );
    return { ok: true };
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return { ok: false, reason: 'exists' };
    throw error;
  }
}
