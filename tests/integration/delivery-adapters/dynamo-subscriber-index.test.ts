import { describe, expect, it } from 'vitest';
import type { Cadence } from '../../../core/model.js';
import type { FanOutEntry } from '../../../core/ports.js';
import type { Subscriber, SubscriberStatus } from '../../../core/subscriber.js';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws();

function subscriber(
  n: number,
  status: SubscriberStatus,
  cadence: Cadence,
  shard: number,
  topics: string[] = [],
): Subscriber {
  const at = '2026-11-01T10:00:00.000Z';
  return {
    emailKey: `key-${String(n).padStart(5, '0')}`,
    id: `id-${String(n).padStart(5, '0')}`,
    email: `reader${n}@example.org`,
    status,
    cadence,
    topics,
    consent: { at, form: 'subscribe-page', ipHash: '', userAgent: 'test', confirmedAt: at },
    createdAt: at,
    updatedAt: at,
    softBounces: 0,
    shard,
    version: 1,
  };
}

async function readShard(
  cadence: Cadence,
  shard: number,
  limit: number,
): Promise<{ entries: FanOutEntry[]; pages: number }> {
  const entries: FanOutEntry[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await aws.subscriberIndex.page(cadence, shard, cursor, limit);
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    entries.push(...page.entries);
    cursor = page.cursor;
    pages += 1;
  } while (cursor !== undefined);
  return { entries, pages };
}

describe('DynamoSubscriberIndex', () => {
  it('pages through the active subscribers of one cadence and shard only', async () => {
    const everyone: Subscriber[] = [];
    let n = 0;
    const statuses: SubscriberStatus[] = [
      'active',
      'active',
      'active',
      'pending',
      'unsubscribed',
      'suppressed',
    ];
    for (const cadence of ['weekly', 'daily'] as const) {
      for (const shard of [0, 1, 2]) {
        for (let i = 0; i < 24; i += 1) {
          n += 1;
          everyone.push(
            subscriber(n, statuses[i % statuses.length]!, cadence, shard, i % 4 === 0 ? ['security'] : []),
          );
        }
      }
    }
    await Promise.all(everyone.map((s) => aws.subscribers.create(s)));

    for (const shard of [0, 1, 2]) {
      const { entries, pages } = await readShard('weekly', shard, 5);
      const expected = everyone
        .filter((s) => s.cadence === 'weekly' && s.shard === shard && s.status === 'active')
        .map((s) => ({ subscriberId: s.id, emailKey: s.emailKey, topics: s.topics }));
      expect(entries).toEqual(expected); // ordered by id, each once
      expect(entries).toHaveLength(12);
      expect(pages).toBeGreaterThanOrEqual(3);
    }
    expect((await readShard('weekly', 7, 5)).entries).toEqual([]);
    expect((await readShard('immediate', 0, 5)).entries).toEqual([]);

    // A subscriber who unsubscribes leaves the index; one who confirms joins it.
    const leaving = everyone.find((s) => s.cadence === 'weekly' && s.shard === 0 && s.status === 'active')!;
    const joining = everyone.find((s) => s.cadence === 'weekly' && s.shard === 0 && s.status === 'pending')!;
    await aws.subscribers.update({ ...leaving, status: 'unsubscribed', version: 2 }, 1);
    await aws.subscribers.update({ ...joining, status: 'active', version: 2 }, 1);
    const ids = (await readShard('weekly', 0, 100)).entries.map((e) => e.subscriberId);
    expect(ids).not.toContain(leaving.id);
    expect(ids).toContain(joining.id);
  });

  it('refuses a cursor from another shard or not from the index', async () => {
    await Promise.all(
      Array.from({ length: 4 }, (_, i) => aws.subscribers.create(subscriber(i, 'active', 'weekly', 1))),
    );
    const first = await aws.subscriberIndex.page('weekly', 1, undefined, 2);
    expect(first.cursor).toBeDefined();
    await expect(aws.subscriberIndex.page('weekly', 2, first.cursor, 2)).rejects.toThrow(
      /another shard than weekly#02/,
    );
    await expect(aws.subscriberIndex.page('weekly', 1, 'not-a-cursor', 2)).rejects.toThrow(
      /not one this index produced/,
    );
    await expect(aws.subscriberIndex.page('weekly', 1, undefined, 0)).rejects.toThrow(RangeError);
  });

  it('reads more than 100 subscribers at once, strongly consistent, skipping unknown keys', async () => {
    const people = Array.from({ length: 230 }, (_, i) =>
      subscriber(i, i % 2 ? 'active' : 'unsubscribed', 'weekly', i % 16),
    );
    await Promise.all(people.map((s) => aws.subscribers.create(s)));
    const keys = [...people.map((s) => s.emailKey), 'key-missing', people[3]!.emailKey];
    const found = await aws.subscriberIndex.getMany(keys);
    expect(found.size).toBe(230);
    expect(found.get(people[17]!.emailKey)).toEqual(people[17]);
    expect(found.has('key-missing')).toBe(false);

    // A write is visible to the next read (the worker re-reads status right before sending).
    await aws.subscribers.update({ ...people[17]!, status: 'unsubscribed', version: 2 }, 1);
    expect(
      (await aws.subscriberIndex.getMany([people[17]!.emailKey])).get(people[17]!.emailKey)?.status,
    ).toBe('unsubscribed');
  });
});
