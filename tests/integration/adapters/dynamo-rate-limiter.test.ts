import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws();
const at = (iso: string) => new Date(iso);

describe('DynamoRateLimiter', () => {
  it('allows up to the limit in a window, then refuses with the seconds left', async () => {
    const now = at('2026-11-27T10:00:05Z');
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await aws.rateLimiter.hit('ip:abc', 3, 60, now));
    expect(decisions.slice(0, 3)).toEqual([
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: true, retryAfterSeconds: 0 },
      { allowed: true, retryAfterSeconds: 0 },
    ]);
    // The window is 10:00:00-10:01:00; at 10:00:05, 55 seconds remain.
    expect(decisions[3]).toEqual({ allowed: false, retryAfterSeconds: 55 });
  });

  it('counts every concurrent hit (atomic increments)', async () => {
    const now = at('2026-11-27T10:00:00Z');
    const decisions = await Promise.all(
      Array.from({ length: 20 }, () => aws.rateLimiter.hit('flood', 5, 60, now)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions.filter((d) => !d.allowed)).toHaveLength(15);
  });

  it('starts afresh in the next window without relying on TTL deletion', async () => {
    await aws.rateLimiter.hit('ip:x', 1, 60, at('2026-11-27T10:00:10Z'));
    expect((await aws.rateLimiter.hit('ip:x', 1, 60, at('2026-11-27T10:00:59Z'))).allowed).toBe(false);
    expect((await aws.rateLimiter.hit('ip:x', 1, 60, at('2026-11-27T10:01:00Z'))).allowed).toBe(true);
  });

  it('keeps keys apart', async () => {
    const now = at('2026-11-27T10:00:00Z');
    expect((await aws.rateLimiter.hit('ip:a', 1, 60, now)).allowed).toBe(true);
    expect((await aws.rateLimiter.hit('ip:b', 1, 60, now)).allowed).toBe(true);
    expect((await aws.rateLimiter.hit('ip:a', 1, 60, now)).allowed).toBe(false);
  });

  it('writes the window end as the expiry attribute (epoch seconds)', async () => {
    const now = at('2026-11-27T10:00:30Z');
    await aws.rateLimiter.hit('email:k', 5, 600, now);
    const start = Date.parse('2026-11-27T10:00:00Z') / 1000;
    const item = await aws.doc.send(
      new GetCommand({
        TableName: aws.tables.rateLimits,
        Key: { key: `email:k#${start}` },
        ConsistentRead: true,
      }),
    );
    expect(item.Item).toEqual({ key: `email:k#${start}`, count: 1, expiresAt: start + 600 });
  });

  it('never answers less than one second to wait', async () => {
    const now = at('2026-11-27T10:00:59.900Z');
    await aws.rateLimiter.hit('edge', 0, 60, now);
    expect(await aws.rateLimiter.hit('edge', 0, 60, now)).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refuses nonsensical limits and windows', async () => {
    const now = at('2026-11-27T10:00:00Z');
    await expect(aws.rateLimiter.hit('k', -1, 60, now)).rejects.toThrow(RangeError);
    await expect(aws.rateLimiter.hit('k', 1, 0, now)).rejects.toThrow(RangeError);
    await expect(aws.rateLimiter.hit('k', 1, 1.5, now)).rejects.toThrow(RangeError);
  });
});
