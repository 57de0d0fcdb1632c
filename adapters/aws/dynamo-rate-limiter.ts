import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateDecision, RateLimiter } from '../../core/ports.js';

/**
 * Fixed-window counters in DynamoDB. Each hit is one atomic `ADD` on the item
 * `<key>#<window start>`, so concurrent requests never lose a count. Each window is its own item,
 * so counting never depends on DynamoDB's TTL sweep (which runs late, and not at all in
 * dynalite); `expiresAt` (epoch seconds, the window's end) only lets DynamoDB clean up.
 */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateDecision> {
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`rate limit ${limit} must be a whole number ≥ 0`);
    if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
      throw new RangeError(`rate-limit window ${windowSeconds} must be whole seconds ≥ 1`);
    }
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const windowEnd = windowStart + windowSeconds;
    const res = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { key: `${key}#${windowStart}` },
        UpdateExpression: 'ADD #count :one SET expiresAt = :end',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':one': 1, ':end': windowEnd },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const count = Number(res.Attributes?.count ?? 1);
    if (count <= limit) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: Math.max(1, windowEnd - nowSeconds) };
  }
}
