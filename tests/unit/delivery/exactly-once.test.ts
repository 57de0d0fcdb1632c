import { describe, expect, it } from 'vitest';
import type { Subscriber } from '../../../core/subscriber.js';
import { renderedPost } from '../../support/fixtures.js';
import { createPipeline, mailCounts, type Pipeline } from './pipeline.js';

const START = '2026-11-25T12:00:00Z';
const POSTS = [
  renderedPost('first-note', '2026-11-23T08:00:00Z'),
  renderedPost('second-note', '2026-11-24T08:00:00Z'),
];

/** 60 active weekly subscribers, and 3 each pending, unsubscribed and suppressed. */
async function setUp(options: Partial<Parameters<typeof createPipeline>[0]> = {}) {
  const p = await createPipeline({ start: START, posts: POSTS, ...options });
  const active: Subscriber[] = [];
  for (let i = 0; i < 60; i++) active.push(p.addSubscriber('active', 'weekly'));
  const inactive = [
    ...[1, 2, 3].map(() => p.addSubscriber('pending', 'weekly')),
    ...[1, 2, 3].map(() => p.addSubscriber('unsubscribed', 'weekly')),
    ...[1, 2, 3].map(() => p.addSubscriber('suppressed', 'weekly')),
  ];
  p.addSubscriber('active', 'daily');
  return { p, active, inactive };
}

async function sendWeekly(p: Pipeline): Promise<string> {
  const result = await p.createEdition({ cadence: 'weekly' });
  if (!result.ok) throw new Error(`no edition: ${result.reason}`);
  return result.edition.id;
}

/** Every active weekly subscriber got exactly one mail, counted by the mailer and by the ledger. */
async function expectExactlyOnce(p: Pipeline, editionId: string, active: Subscriber[]): Promise<void> {
  const { others } = mailCounts(p);
  const counts = p.mailer.countsByAddress();
  for (const s of active) expect(counts.get(s.email), s.email).toBe(1);
  expect(
    [...others.keys()].filter((e) => !e.startsWith('reader')),
    'mail to a non-subscriber',
  ).toEqual([]);
  const weeklyEmails = new Set(active.map((s) => s.email));
  for (const [email] of others) expect(weeklyEmails.has(email)).toBe(false);
  expect(p.mailer.delivered.length).toBe(active.length);

  const rows = new Map(p.ledger.rowsOf(editionId).map((r) => [r.subscriberId, r]));
  const byAddress = new Map(p.mailer.delivered.map((m) => [m.to[0], m.messageId]));
  for (const s of active) {
    const row = rows.get(s.id);
    expect(row?.status, s.id).toBe('sent');
    expect(row?.messageId).toBe(byAddress.get(s.email));
  }
  const progress = await p.progress(editionId);
  expect(progress).toMatchObject({
    planned: active.length,
    sent: active.length,
    queued: 0,
    sending: 0,
    unknown: 0,
    fanOutComplete: true,
    state: 'done',
  });
}

describe('exactly once per active subscriber', () => {
  it('with nothing going wrong: one mail each, none to pending, unsubscribed or suppressed', async () => {
    const { p, active, inactive } = await setUp();
    const id = await sendWeekly(p);
    await p.drain();
    await expectExactlyOnce(p, id, active);
    const counts = p.mailer.countsByAddress();
    for (const s of inactive) expect(counts.get(s.email), `${s.status} ${s.email}`).toBeUndefined();
  });

  it('with SES throttling on 20 % of calls (backoff and retry, nobody lost)', async () => {
    const { p, active } = await setUp({ seed: 11 });
    p.mailer.throttleRate = 0.2;
    const id = await sendWeekly(p);
    await p.drain();
    expect(p.mailer.faults.filter((f) => f.fault === 'throttle').length).toBeGreaterThan(5);
    expect(p.sleeper.calls).toBeGreaterThan(0);
    await expectExactlyOnce(p, id, active);
    expect(p.ledger.history.filter((h) => h.op === 'release').length).toBe(
      p.mailer.faults.filter((f) => f.fault === 'throttle').length,
    );
  });

  it('with SES 5xx errors on 20 % of calls', async () => {
    const { p, active } = await setUp({ seed: 12 });
    p.mailer.serverErrorRate = 0.2;
    const id = await sendWeekly(p);
    await p.drain();
    expect(p.mailer.faults.filter((f) => f.fault === 'server-error').length).toBeGreaterThan(5);
    await expectExactlyOnce(p, id, active);
  });

  it('when a recipient keeps failing beyond one receive, redelivery finishes the job', async () => {
    const { p, active } = await setUp({ config: { maxSendAttempts: 2 } });
    const victim = active[5] as Subscriber;
    p.mailer.script(victim.email, 'server-error', 'server-error', 'server-error');
    const id = await sendWeekly(p);
    const stats = await p.drain();
    expect(stats.failedIds).toBeGreaterThanOrEqual(1);
    await expectExactlyOnce(p, id, active);
  });

  it('when the worker dies before the claim: delivered once after redelivery', async () => {
    const { p, active } = await setUp({ config: { concurrency: 1 } });
    const victim = active[7] as Subscriber;
    p.ledger.crashBeforeClaim.add(victim.id);
    const id = await sendWeekly(p);
    const stats = await p.drain();
    expect(stats.crashes).toBe(1);
    expect(p.queue.received).toBeGreaterThan(p.queue.sent);
    await expectExactlyOnce(p, id, active);
  });

  it('when the worker dies between the claim and the SES call: unknown, never sent twice', async () => {
    const { p, active } = await setUp({ config: { concurrency: 1 } });
    const victim = active[7] as Subscriber;
    p.mailer.script(victim.email, 'crash-before');
    const id = await sendWeekly(p);
    const stats = await p.drain();
    expect(stats.crashes).toBe(1);
    // A claim is indistinguishable from a send in flight: once its lease is over it is unknown, not resent.
    const victimRow = p.ledger.rowsOf(id).find((r) => r.subscriberId === victim.id);
    expect(victimRow?.status).toBe('unknown');
    expect(p.mailer.countsByAddress().get(victim.email)).toBeUndefined();
    for (const s of active)
      if (s !== victim) expect(p.mailer.countsByAddress().get(s.email), s.email).toBe(1);
    expect(await p.progress(id)).toMatchObject({ unknown: 1, sent: active.length - 1, state: 'done' });
  });

  it('when the worker dies after the SES call: the row is unknown, never re-sent, then settled by the SES event', async () => {
    const { p, active } = await setUp({ config: { concurrency: 1 } });
    const victim = active[9] as Subscriber;
    p.mailer.script(victim.email, 'crash-after');
    const id = await sendWeekly(p);
    const stats = await p.drain();
    expect(stats.crashes).toBe(1);
    const counts = p.mailer.countsByAddress();
    for (const s of active) expect(counts.get(s.email), s.email).toBe(1);
    const rows = p.ledger.rowsOf(id);
    expect(rows.filter((r) => r.status === 'unknown').map((r) => r.subscriberId)).toEqual([victim.id]);
    const progress = await p.progress(id);
    expect(progress).toMatchObject({
      unknown: 1,
      sent: active.length - 1,
      queued: 0,
      sending: 0,
      state: 'done',
    });

    const mail = p.mailer.delivered.find((m) => m.to[0] === victim.email);
    if (!mail) throw new Error('victim mail missing');
    const settled = await p.settle({ type: 'Delivery', messageId: mail.messageId, tags: mapTags(mail.tags) });
    expect(settled).toEqual({ ok: true, settled: 'sent', editionId: id, subscriberId: victim.id });
    await expectExactlyOnce(p, id, active);
  });

  it('when the worker dies after the SES call with many sends in flight: unknown rows, each mailed once', async () => {
    const { p, active } = await setUp({ config: { concurrency: 8 } });
    p.mailer.script((active[20] as Subscriber).email, 'crash-after');
    const id = await sendWeekly(p);
    await p.drain();
    const counts = p.mailer.countsByAddress();
    for (const s of active) expect(counts.get(s.email), s.email).toBe(1);
    const unknown = p.ledger.rowsOf(id).filter((r) => r.status === 'unknown');
    expect(unknown.length).toBeGreaterThanOrEqual(1);
    // Every unknown row was in fact mailed; SES events settle them all.
    for (const m of p.mailer.delivered) {
      await p.settle({ type: 'Send', messageId: m.messageId, tags: mapTags(m.tags) });
    }
    await expectExactlyOnce(p, id, active);
  });

  it('when a timeout hides whether SES sent it: unknown, not re-sent', async () => {
    const { p, active } = await setUp();
    const victim = active[3] as Subscriber;
    p.mailer.script(victim.email, 'timeout-after-send');
    const id = await sendWeekly(p);
    await p.drain();
    expect(p.mailer.countsByAddress().get(victim.email)).toBe(1);
    const row = p.ledger.rowsOf(id).find((r) => r.subscriberId === victim.id);
    expect(row).toMatchObject({ status: 'unknown', reason: expect.stringContaining('TimeoutError') });
    expect(await p.progress(id)).toMatchObject({ unknown: 1, state: 'done' });
  });

  it('when the same queue message is delivered twice, one after the other', async () => {
    const { p, active } = await setUp();
    const id = await sendWeekly(p);
    const copies = p.queue.duplicateVisible();
    expect(copies).toBeGreaterThan(0);
    await p.drain({ workers: 1 });
    await expectExactlyOnce(p, id, active);
  });

  it('when the same queue message is delivered twice at once, to two workers', async () => {
    const { p, active } = await setUp();
    const id = await sendWeekly(p);
    // Copies sit right behind their originals, so two workers receive each message at once.
    const n = p.queue.duplicateVisible();
    const originals = p.queue.receive(n);
    const copies = p.queue.receive(n);
    const a = p.newProcess();
    const b = p.newProcess();
    expect(copies.map((m) => m.body)).toEqual(originals.map((m) => m.body));
    const [ra, rb] = await Promise.all([a.run(originals), b.run(copies)]);
    p.queue.complete(originals, ra);
    p.queue.complete(copies, rb);
    await p.drain();
    await expectExactlyOnce(p, id, active);
  });

  it('when the schedule fires twice (one after the other and at once)', async () => {
    const { p, active } = await setUp();
    p.clock.set('2026-11-27T08:00:05Z'); // Friday 09:00:05 in Berlin
    const first = await p.runScheduled({ cadence: 'weekly', scheduledTime: '2026-11-27T08:00:00Z' });
    const [second, third] = await Promise.all([
      p.runScheduled({ cadence: 'weekly', scheduledTime: '2026-11-27T08:00:00Z' }),
      p.runScheduled({ cadence: 'weekly' }),
    ]);
    expect(first).toMatchObject({ ok: true, created: true });
    expect(second).toMatchObject({ ok: true, created: false });
    expect(third).toMatchObject({ ok: true, created: false });
    expect(p.editions.creates).toBe(1);
    if (!first.ok) throw new Error('unreachable');
    await p.drain();
    await expectExactlyOnce(p, first.edition.id, active);
  });

  it('when two editors press "send now" at the same moment', async () => {
    const { p, active } = await setUp();
    const [a, b] = await Promise.all([
      p.createEdition({ cadence: 'weekly' }),
      p.createEdition({ cadence: 'weekly' }),
    ]);
    if (!a.ok || !b.ok) throw new Error('no edition');
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.edition.id).toBe(b.edition.id);
    expect(p.editions.creates).toBe(1);
    await p.drain({ workers: 3 });
    await expectExactlyOnce(p, a.edition.id, active);
  });

  it('when subscribers unsubscribe or are suppressed between fan-out and delivery: skipped', async () => {
    const { p, active } = await setUp();
    const id = await sendWeekly(p);
    const leaving = active.slice(0, 4);
    p.subscribers.setStatus((leaving[0] as Subscriber).emailKey, 'unsubscribed');
    p.subscribers.setStatus((leaving[1] as Subscriber).emailKey, 'suppressed');
    p.subscribers.setStatus((leaving[2] as Subscriber).emailKey, 'unsubscribed');
    // Erased, then subscribed anew: a new record with a new id is not the recipient fan-out planned.
    p.subscribers.put({ ...(leaving[3] as Subscriber), id: 'sub-renewed' });
    await p.drain();
    const counts = p.mailer.countsByAddress();
    for (const s of leaving) expect(counts.get(s.email), s.email).toBeUndefined();
    for (const s of active.slice(4)) expect(counts.get(s.email), s.email).toBe(1);
    const rows = new Map(p.ledger.rowsOf(id).map((r) => [r.subscriberId, r]));
    expect(rows.get(leaving[0]?.id ?? '')).toMatchObject({ status: 'skipped', reason: 'unsubscribed' });
    expect(rows.get(leaving[1]?.id ?? '')).toMatchObject({ status: 'skipped', reason: 'suppressed' });
    expect(rows.get(leaving[3]?.id ?? '')).toMatchObject({ status: 'skipped', reason: 'deleted' });
    expect(await p.progress(id)).toMatchObject({
      planned: 60,
      sent: 56,
      skipped: 4,
      queued: 0,
      state: 'done',
    });
  });
});

function mapTags(tags: Record<string, string>): Record<string, string[]> {
  return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, [v]]));
}
