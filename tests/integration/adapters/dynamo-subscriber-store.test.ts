import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import type { Cadence } from '../../../core/model.js';
import type { Subscriber, SubscriberStatus } from '../../../core/subscriber.js';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws();

function subscriber(email: string, overrides: Partial<Subscriber> = {}): Subscriber {
  return {
    emailKey: emailKeyOf(email),
    id: randomUUID(),
    email,
    status: 'pending',
    cadence: 'weekly',
    topics: [],
    consent: {
      at: '2026-11-27T10:00:00.000Z',
      form: 'subscribe-page',
      ipHash: 'ab'.repeat(32),
      userAgent: 'test',
    },
    createdAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-27T10:00:00.000Z',
    softBounces: 0,
    shard: 3,
    version: 1,
    ...overrides,
  };
}

async function rawItem(emailKey: string) {
  const res = await aws.doc.send(
    new GetCommand({ TableName: aws.tables.subscribers, Key: { emailKey }, ConsistentRead: true }),
  );
  return res.Item;
}

describe('DynamoSubscriberStore', () => {
  it('creates and reads back a record, optional fields included', async () => {
    const s = subscriber('ann@example.com', {
      topics: ['aws', 'email'],
      confirmationSentAt: '2026-11-27T10:00:01.000Z',
      consent: {
        at: '2026-11-27T10:00:00.000Z',
        form: 'api',
        ipHash: '',
        userAgent: 'curl/8 “quoted” ünïcode',
        confirmedAt: undefined,
      },
    });
    expect(await aws.subscribers.create(s)).toEqual({ ok: true });
    const { confirmedAt: _dropped, ...consent } = s.consent;
    expect(await aws.subscribers.get(s.emailKey)).toEqual({ ...s, consent });
  });

  it('answers undefined for an unknown address', async () => {
    expect(await aws.subscribers.get(emailKeyOf('nobody@example.com'))).toBeUndefined();
  });

  it('refuses to create a second record for the same address', async () => {
    const first = subscriber('ann@example.com');
    expect(await aws.subscribers.create(first)).toEqual({ ok: true });
    const second = subscriber('ANN@example.com', { id: randomUUID(), cadence: 'daily' });
    expect(await aws.subscribers.create(second)).toEqual({ ok: false, reason: 'exists' });
    expect((await aws.subscribers.get(first.emailKey))?.id).toBe(first.id);
  });

  it('lets exactly one of many concurrent creates win', async () => {
    const attempts = Array.from({ length: 8 }, () => subscriber('race@example.com', { id: randomUUID() }));
    const results = await Promise.all(attempts.map((s) => aws.subscribers.create(s)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'exists')).toHaveLength(7);
  });

  it('updates over the expected version, and refuses a stale one', async () => {
    const s = subscriber('ann@example.com');
    await aws.subscribers.create(s);
    const v2 = { ...s, status: 'active' as const, version: 2, updatedAt: '2026-11-27T11:00:00.000Z' };
    expect(await aws.subscribers.update(v2, 1)).toEqual({ ok: true });
    const stale = { ...s, cadence: 'daily' as const, version: 2 };
    expect(await aws.subscribers.update(stale, 1)).toEqual({ ok: false, reason: 'conflict' });
    expect(await aws.subscribers.get(s.emailKey)).toEqual(v2);
  });

  it('lets exactly one of two writers based on the same read win', async () => {
    const s = subscriber('ann@example.com');
    await aws.subscribers.create(s);
    const a = { ...s, cadence: 'daily' as const, version: 2 };
    const b = { ...s, cadence: 'immediate' as const, version: 2 };
    const results = await Promise.all([aws.subscribers.update(a, 1), aws.subscribers.update(b, 1)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'conflict' }]);
  });

  it('reports missing when the record is gone', async () => {
    const s = subscriber('ann@example.com');
    expect(await aws.subscribers.update({ ...s, version: 2 }, 1)).toEqual({ ok: false, reason: 'missing' });
    await aws.subscribers.create(s);
    await aws.subscribers.delete(s.emailKey);
    expect(await aws.subscribers.update({ ...s, version: 2 }, 1)).toEqual({ ok: false, reason: 'missing' });
    expect(await aws.subscribers.get(s.emailKey)).toBeUndefined();
  });

  it('refuses a write based on an erased record even when the new record has the same version', async () => {
    const old = subscriber('ann@example.com');
    await aws.subscribers.create(old);
    await aws.subscribers.delete(old.emailKey);
    const anew = subscriber('ann@example.com');
    await aws.subscribers.create(anew);
    expect(await aws.subscribers.update({ ...old, status: 'active', version: 2 }, 1)).toEqual({
      ok: false,
      reason: 'conflict',
    });
    expect((await aws.subscribers.get(anew.emailKey))?.id).toBe(anew.id);
  });

  it('deleting an unknown address is harmless', async () => {
    await expect(aws.subscribers.delete(emailKeyOf('nobody@example.com'))).resolves.toBeUndefined();
  });

  it('sets fanoutKey while active and removes it otherwise', async () => {
    const s = subscriber('ann@example.com', { cadence: 'daily', shard: 11 });
    await aws.subscribers.create(s);
    expect((await rawItem(s.emailKey))?.fanoutKey).toBeUndefined();
    const active = { ...s, status: 'active' as const, version: 2 };
    await aws.subscribers.update(active, 1);
    expect((await rawItem(s.emailKey))?.fanoutKey).toBe('daily#11');
    const weekly = { ...active, cadence: 'weekly' as const, version: 3 };
    await aws.subscribers.update(weekly, 2);
    expect((await rawItem(s.emailKey))?.fanoutKey).toBe('weekly#11');
    for (const [i, status] of (['unsubscribed', 'suppressed'] as const).entries()) {
      await aws.subscribers.update({ ...weekly, status: 'active', version: 4 + 2 * i }, 3 + 2 * i);
      await aws.subscribers.update({ ...weekly, status, version: 5 + 2 * i }, 4 + 2 * i);
      const item = await rawItem(s.emailKey);
      expect(item?.status).toBe(status);
      expect(item && 'fanoutKey' in item).toBe(false);
    }
    // The core never sees the storage key.
    expect(await aws.subscribers.get(s.emailKey)).not.toHaveProperty('fanoutKey');
  });

  it('does not let a caller smuggle a fanoutKey onto an inactive record', async () => {
    const s = { ...subscriber('ann@example.com'), fanoutKey: 'weekly#03' } as Subscriber;
    await aws.subscribers.create(s);
    expect((await rawItem(s.emailKey))?.fanoutKey).toBeUndefined();
  });

  it('counts by status and cadence', async () => {
    const plan: Array<[SubscriberStatus, Cadence, number]> = [
      ['active', 'weekly', 3],
      ['active', 'daily', 2],
      ['pending', 'weekly', 1],
      ['unsubscribed', 'immediate', 2],
      ['suppressed', 'daily', 1],
    ];
    let n = 0;
    for (const [status, cadence, count] of plan) {
      for (let i = 0; i < count; i++) {
        await aws.subscribers.create(subscriber(`u${n++}@example.com`, { status, cadence }));
      }
    }
    expect(await aws.subscribers.count()).toEqual({
      pending: { immediate: 0, daily: 0, weekly: 1 },
      active: { immediate: 0, daily: 2, weekly: 3 },
      unsubscribed: { immediate: 2, daily: 0, weekly: 0 },
      suppressed: { immediate: 0, daily: 1, weekly: 0 },
    });
  });
});

describe('DynamoSubscriberIndex', () => {
  it('pages only the active subscribers of a cadence and shard', async () => {
    const make = (email: string, o: Partial<Subscriber>) => subscriber(email, o);
    const wanted = [
      make('a1@example.com', { status: 'active', cadence: 'weekly', shard: 5, topics: ['aws'] }),
      make('a2@example.com', { status: 'active', cadence: 'weekly', shard: 5 }),
      make('a3@example.com', { status: 'active', cadence: 'weekly', shard: 5, topics: ['x', 'y'] }),
    ];
    const others = [
      make('p@example.com', { status: 'pending', cadence: 'weekly', shard: 5 }),
      make('u@example.com', { status: 'unsubscribed', cadence: 'weekly', shard: 5 }),
      make('s@example.com', { status: 'suppressed', cadence: 'weekly', shard: 5 }),
      make('d@example.com', { status: 'active', cadence: 'daily', shard: 5 }),
      make('o@example.com', { status: 'active', cadence: 'weekly', shard: 6 }),
    ];
    for (const s of [...wanted, ...others]) await aws.subscribers.create(s);

    const seen: Array<{ subscriberId: string; emailKey: string; topics: string[] }> = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await aws.subscriberIndex.page('weekly', 5, cursor, 2);
      seen.push(...page.entries);
      cursor = page.cursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen.sort((x, y) => x.subscriberId.localeCompare(y.subscriberId))).toEqual(
      wanted
        .map((s) => ({ subscriberId: s.id, emailKey: s.emailKey, topics: s.topics }))
        .sort((x, y) => x.subscriberId.localeCompare(y.subscriberId)),
    );
  });

  it('drops a subscriber from the index as soon as they unsubscribe', async () => {
    const s = subscriber('ann@example.com', { status: 'active', shard: 0 });
    await aws.subscribers.create(s);
    expect((await aws.subscriberIndex.page('weekly', 0, undefined, 10)).entries).toHaveLength(1);
    await aws.subscribers.update({ ...s, status: 'unsubscribed', version: 2 }, 1);
    expect((await aws.subscriberIndex.page('weekly', 0, undefined, 10)).entries).toEqual([]);
  });

  it('refuses a cursor it did not produce', async () => {
    await expect(aws.subscriberIndex.page('weekly', 0, 'not-a-cursor', 10)).rejects.toThrow(/cursor/);
  });

  it('reads many records consistently, in batches, skipping missing ones', async () => {
    const all = Array.from({ length: 130 }, (_, i) => subscriber(`m${i}@example.com`));
    await Promise.all(all.map((s) => aws.subscribers.create(s)));
    const keys = [...all.map((s) => s.emailKey), emailKeyOf('missing@example.com'), all[0]!.emailKey];
    const found = await aws.subscriberIndex.getMany(keys);
    expect(found.size).toBe(130);
    expect(found.get(all[129]!.emailKey)).toEqual(all[129]);
    expect(found.has(emailKeyOf('missing@example.com'))).toBe(false);
  });
});
