import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { shardKey } from '../../../core/delivery/fan-out.js';
import { MAX_RECIPIENTS_PER_BATCH } from '../../../core/delivery/parse-send-batch.js';
import { FULL_VARIANT_KEY, topicMatcher, variantKeyOf } from '../../../core/editions/match-topics.js';
import { FANOUT_SHARDS } from '../../../core/subscriber.js';
import { renderedPost } from '../../support/fixtures.js';
import { createPipeline } from './pipeline.js';

const START = '2026-11-25T12:00:00Z';

describe('topic matching', () => {
  const posts = [
    { slug: 'a', tags: ['policy'] },
    { slug: 'b', tags: ['security'] },
    { slug: 'c', tags: ['policy', 'trade'] },
  ];

  it('gives everything to no topics, the intersecting posts to topics, nothing when none match', () => {
    const match = topicMatcher(posts);
    expect(match([])).toEqual({ key: FULL_VARIANT_KEY, slugs: ['a', 'b', 'c'] });
    expect(match(['policy'])?.slugs).toEqual(['a', 'c']);
    expect(match(['Security'])?.slugs).toEqual(['b']);
    expect(match(['sports'])).toBeUndefined();
    expect(match(['policy', 'security'])?.key).toBe(FULL_VARIANT_KEY);
  });

  it('names a set by its slugs, whatever the order of topics or slugs', () => {
    const match = topicMatcher(posts);
    expect(match(['trade', 'policy'])?.key).toBe(match(['policy'])?.key);
    expect(variantKeyOf(['c', 'a'], ['a', 'b', 'c'])).toBe(variantKeyOf(['a', 'c'], ['a', 'b', 'c']));
    expect(variantKeyOf(['a', 'c'], ['a', 'b', 'c'])).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(variantKeyOf(['a'], ['a', 'b', 'c'])).not.toBe(variantKeyOf(['c'], ['a', 'b', 'c']));
  });
});

describe('fan-out', () => {
  it('renders once per distinct set of posts and mails each subscriber only the posts of their topics', async () => {
    const p = await createPipeline({
      start: START,
      posts: [
        renderedPost('alpha', '2026-11-24T10:00:00Z', ['policy']),
        renderedPost('bravo', '2026-11-24T09:00:00Z', ['security']),
        renderedPost('charlie', '2026-11-24T08:00:00Z', ['policy', 'trade']),
      ],
    });
    const all = [1, 2, 3].map(() => p.addSubscriber('active', 'weekly', []));
    const policy = [1, 2, 3].map(() => p.addSubscriber('active', 'weekly', ['policy']));
    const trade = p.addSubscriber('active', 'weekly', ['trade', 'policy']);
    const security = [
      p.addSubscriber('active', 'weekly', ['security']),
      p.addSubscriber('active', 'weekly', ['Security']),
    ];
    const both = p.addSubscriber('active', 'weekly', ['policy', 'security']);
    const sports = p.addSubscriber('active', 'weekly', ['sports']);

    const result = await p.createEdition({ cadence: 'weekly' });
    if (!result.ok) throw new Error(result.reason);
    expect(result.fanOut).toMatchObject({ ok: true, enqueued: 10, shardsRun: FANOUT_SHARDS });
    // Three distinct sets: everything, {alpha, charlie}, {bravo}.
    expect(p.renders.map((r) => r.join(',')).sort()).toEqual([
      'alpha,bravo,charlie',
      'alpha,charlie',
      'bravo',
    ]);
    const edition = await p.editions.get(result.edition.id);
    expect(edition?.variants.map((v) => v.postSlugs.join(',')).sort()).toEqual([
      'alpha,bravo,charlie',
      'alpha,charlie',
      'bravo',
    ]);
    const keys = (await p.objects.list('editions/')).map((o) => o.key);
    expect(keys).toContain(`editions/${result.edition.id}/index.html`);
    expect(keys.filter((k) => k.endsWith('.json'))).toHaveLength(3);

    await p.drain();
    const titlesOf = async (email: string) => {
      const mail = p.mailer.delivered.find((m) => m.to[0] === email);
      if (!mail) return undefined;
      const parsed = await PostalMime.parse(mail.raw);
      return ['alpha', 'bravo', 'charlie'].filter((s) => parsed.text?.includes(`Title of ${s}`));
    };
    for (const s of [...all, both]) expect(await titlesOf(s.email)).toEqual(['alpha', 'bravo', 'charlie']);
    for (const s of [...policy, trade]) expect(await titlesOf(s.email)).toEqual(['alpha', 'charlie']);
    for (const s of security) expect(await titlesOf(s.email)).toEqual(['bravo']);
    expect(await titlesOf(sports.email)).toBeUndefined();
    expect(await p.progress(result.edition.id)).toMatchObject({ planned: 10, sent: 10, state: 'done' });
    // A retried fan-out renders nothing again.
    expect(p.renders).toHaveLength(3);
  });

  it('puts at most 50 recipients in a message and every active subscriber of the cadence in exactly one', async () => {
    const p = await createPipeline({ start: START, posts: [renderedPost('one', '2026-11-24T10:00:00Z')] });
    const weekly = Array.from({ length: 400 }, () => p.addSubscriber('active', 'weekly'));
    for (let i = 0; i < 20; i++) p.addSubscriber('active', 'daily');
    for (let i = 0; i < 20; i++) p.addSubscriber('pending', 'weekly');
    const result = await p.createEdition({ cadence: 'weekly' });
    if (!result.ok) throw new Error(result.reason);
    const bodies = p.queue.bodies();
    expect(Math.max(...bodies.map((b) => b.recipients.length))).toBeLessThanOrEqual(MAX_RECIPIENTS_PER_BATCH);
    const ids = bodies.flatMap((b) => b.recipients.map((r) => r.subscriberId)).sort();
    expect(ids).toEqual(weekly.map((s) => s.id).sort());
    // Ten messages per provider call.
    expect(p.queue.batchCalls).toBeLessThanOrEqual(bodies.length);
    expect(p.queue.batchCalls).toBeGreaterThanOrEqual(Math.ceil(bodies.length / 10));
    const edition = await p.editions.get(result.edition.id);
    const planned = Object.values(edition?.shards ?? {}).reduce((a, s) => a + s.planned, 0);
    expect(planned).toBe(400);
    expect(Object.keys(edition?.shards ?? {}).sort()).toEqual(
      Array.from({ length: FANOUT_SHARDS }, (_, i) => shardKey(i)).sort(),
    );
    expect(edition?.fannedOutAt).toBeDefined();
  });

  it('a fan-out that died resumes only the shards not done, and nobody gets two mails', async () => {
    const p = await createPipeline({ start: START, posts: [renderedPost('one', '2026-11-24T10:00:00Z')] });
    const weekly = Array.from({ length: 200 }, () => p.addSubscriber('active', 'weekly'));
    const page = p.subscribers.page.bind(p.subscribers);
    let broken = true;
    p.subscribers.page = async (cadence, shard, cursor, limit) => {
      if (broken && shard === 5) throw new Error('DynamoDB unavailable');
      return page(cadence, shard, cursor, limit);
    };
    await expect(p.createEdition({ cadence: 'weekly' })).rejects.toThrow(/unavailable/);
    const half = await p.editions.get('weekly-2026-W48');
    expect(half?.fannedOutAt).toBeUndefined();
    expect(half?.shards[shardKey(5)]).toBeUndefined();
    const doneBefore = Object.keys(half?.shards ?? {}).length;
    expect(doneBefore).toBe(FANOUT_SHARDS - 1);

    broken = false;
    const again = await p.createEdition({ cadence: 'weekly' });
    expect(again).toMatchObject({ ok: true, created: false, fanOut: { ok: true, shardsRun: 1 } });
    const third = await p.createEdition({ cadence: 'weekly' });
    expect(third).toMatchObject({ ok: true, created: false, fanOut: undefined });

    await p.drain();
    const counts = p.mailer.countsByAddress();
    for (const s of weekly) expect(counts.get(s.email), s.email).toBe(1);
    expect(await p.progress('weekly-2026-W48')).toMatchObject({
      planned: 200,
      sent: 200,
      queued: 0,
      state: 'done',
    });
  });

  it('reports an edition whose posts are gone instead of mailing an empty one', async () => {
    const p = await createPipeline({ start: START, posts: [renderedPost('one', '2026-11-24T10:00:00Z')] });
    p.addSubscriber('active', 'weekly');
    const page = p.subscribers.page.bind(p.subscribers);
    let broken = true;
    p.subscribers.page = async (...args) => {
      if (broken) throw new Error('down');
      return page(...args);
    };
    await expect(p.createEdition({ cadence: 'weekly' })).rejects.toThrow('down');
    broken = false;
    p.posts.length = 0;
    expect(await p.fanOut('weekly-2026-W48')).toEqual({ ok: false, reason: 'posts-missing' });
    expect(await p.fanOut('weekly-1999-W01')).toEqual({ ok: false, reason: 'missing' });
  });
});
