import { describe, expect, it } from 'vitest';
import { DynamoEditionStore } from '../../../adapters/aws/dynamo-edition-store.js';
import { EditionNotFoundError } from '../../../core/delivery/delivery-errors.js';
import type { Edition, EditionVariant } from '../../../core/edition.js';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws();
const store = () => new DynamoEditionStore(aws.doc, aws.tables.editions);

function edition(id: string, overrides: Partial<Edition> = {}): Edition {
  return {
    id,
    cadence: 'weekly',
    kind: 'digest',
    windowStart: '2026-11-20T08:00:00.000Z',
    windowEnd: '2026-11-27T08:00:00.000Z',
    postSlugs: ['second-post', 'first-post'],
    variants: [],
    state: 'sending',
    trigger: 'schedule',
    createdAt: '2026-11-27T08:00:01.000Z',
    shards: {},
    ...overrides,
  };
}

function variant(key: string): EditionVariant {
  return {
    key,
    postSlugs: ['first-post'],
    subject: `Weekly ${key}`,
    objectKey: `editions/weekly-2026-W48/${key}.json`,
  };
}

describe('DynamoEditionStore', () => {
  it('creates an edition once and reads it back whole', async () => {
    const first = edition('weekly-2026-W48', {
      variants: [variant('all')],
      shards: { '00': { done: true, planned: 12 } },
      fannedOutAt: '2026-11-27T08:00:05.000Z',
    });
    expect(await store().create(first)).toEqual({ ok: true });
    expect(await store().create(edition('weekly-2026-W48', { trigger: 'editor', postSlugs: [] }))).toEqual({
      ok: false,
      reason: 'exists',
    });
    expect(await store().get('weekly-2026-W48')).toEqual(first);
    expect(await store().get('weekly-2099-W01')).toBeUndefined();
  });

  it('finds the latest edition of a cadence by window end', async () => {
    const s = store();
    const week = (n: number) =>
      edition(`weekly-2026-W${n}`, {
        windowEnd: new Date(Date.UTC(2026, 10, 13 + (n - 46) * 7, 8)).toISOString(),
        createdAt: new Date(Date.UTC(2026, 10, 30)).toISOString(),
      });
    for (const n of [47, 49, 46, 48]) await s.create(week(n));
    await s.create(edition('daily-2026-12-31', { cadence: 'daily', windowEnd: '2026-12-31T06:00:00.000Z' }));
    expect((await s.latest('weekly'))?.id).toBe('weekly-2026-W49');
    expect((await s.latest('daily'))?.id).toBe('daily-2026-12-31');
    expect(await s.latest('immediate')).toBeUndefined();
  });

  it('lists the newest editions first across cadences, up to the limit', async () => {
    const s = store();
    const created = [
      ['daily-2026-11-25', 'daily', '2026-11-25T06:00:01.000Z'],
      ['post-hello', 'immediate', '2026-11-25T10:00:00.000Z'],
      ['weekly-2026-W48', 'weekly', '2026-11-27T08:00:01.000Z'],
      ['daily-2026-11-26', 'daily', '2026-11-26T06:00:01.000Z'],
      ['daily-2026-11-27', 'daily', '2026-11-27T06:00:01.000Z'],
      ['post-world', 'immediate', '2026-11-27T09:30:00.000Z'],
    ] as const;
    for (const [id, cadence, createdAt] of created) await s.create(edition(id, { cadence, createdAt }));
    expect((await s.list(4)).map((e) => e.id)).toEqual([
      'post-world',
      'weekly-2026-W48',
      'daily-2026-11-27',
      'daily-2026-11-26',
    ]);
    expect(await s.list(100)).toHaveLength(6);
    await expect(s.list(0)).rejects.toThrow(RangeError);
  });

  it('records shards idempotently, concurrently, and only on existing editions', async () => {
    const s = store();
    await s.create(edition('weekly-2026-W48'));
    await s.recordShard('weekly-2026-W48', '03', { done: true, planned: 40 });
    await s.recordShard('weekly-2026-W48', '03', { done: true, planned: 40 });
    await Promise.all(
      Array.from({ length: 16 }, (_, i) => String(i).padStart(2, '0'))
        .filter((k) => k !== '03')
        .map((k) => s.recordShard('weekly-2026-W48', k, { done: k !== '15', planned: Number(k) })),
    );
    const shards = (await s.get('weekly-2026-W48'))!.shards;
    expect(Object.keys(shards).sort()).toHaveLength(16);
    expect(shards['03']).toEqual({ done: true, planned: 40 });
    expect(shards['15']).toEqual({ done: false, planned: 15 });
    await expect(s.recordShard('weekly-2099-W01', '00', { done: true, planned: 1 })).rejects.toThrow(
      EditionNotFoundError,
    );
    await expect(s.recordShard('weekly-2026-W48', 'shard-1', { done: true, planned: 1 })).rejects.toThrow(
      /two digits/,
    );
    expect(await s.get('weekly-2099-W01')).toBeUndefined();
  });

  it('sets states with their timestamps', async () => {
    const s = store();
    await s.create(edition('weekly-2026-W48'));
    await s.setState('weekly-2026-W48', 'paused', new Date('2026-11-27T08:10:00Z'));
    expect(await s.get('weekly-2026-W48')).toMatchObject({
      state: 'paused',
      pausedAt: '2026-11-27T08:10:00.000Z',
    });
    await s.setState('weekly-2026-W48', 'sending', new Date('2026-11-27T08:20:00Z'));
    const resumed = await s.get('weekly-2026-W48');
    expect(resumed?.state).toBe('sending');
    expect(resumed?.pausedAt).toBeUndefined();
    await s.setState('weekly-2026-W48', 'done', new Date('2026-11-27T09:00:00Z'));
    expect(await s.get('weekly-2026-W48')).toMatchObject({
      state: 'done',
      doneAt: '2026-11-27T09:00:00.000Z',
    });
    await expect(s.setState('nope', 'paused', new Date())).rejects.toThrow(/edition "nope" not found/);
  });

  it('marks fan-out complete once, keeping the first time', async () => {
    const s = store();
    await s.create(edition('weekly-2026-W48'));
    await s.markFannedOut('weekly-2026-W48', new Date('2026-11-27T08:00:09Z'));
    await s.markFannedOut('weekly-2026-W48', new Date('2026-11-27T08:30:00Z'));
    expect((await s.get('weekly-2026-W48'))?.fannedOutAt).toBe('2026-11-27T08:00:09.000Z');
    await expect(s.markFannedOut('nope', new Date())).rejects.toThrow(EditionNotFoundError);
  });

  it('adds each variant once, even when fan-outs race', async () => {
    const s = store();
    await s.create(edition('weekly-2026-W48', { variants: [variant('all')] }));
    await s.addVariant('weekly-2026-W48', variant('all'));
    await Promise.all(Array.from({ length: 6 }, () => s.addVariant('weekly-2026-W48', variant('a1b2c3'))));
    await s.addVariant('weekly-2026-W48', variant('d4e5f6'));
    const stored = await s.get('weekly-2026-W48');
    expect(stored?.variants.map((v) => v.key)).toEqual(['all', 'a1b2c3', 'd4e5f6']);
    expect(stored?.variants[1]).toEqual(variant('a1b2c3'));
    expect(stored).not.toHaveProperty('variantKeys');

    await s.create(edition('weekly-2026-W49'));
    await s.addVariant('weekly-2026-W49', variant('all'));
    expect((await s.get('weekly-2026-W49'))?.variants).toEqual([variant('all')]);
    await expect(s.addVariant('nope', variant('all'))).rejects.toThrow(EditionNotFoundError);
  });
});
