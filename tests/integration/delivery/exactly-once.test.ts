/**
 * Exactly once per active subscriber, through the whole local pipeline (the services as
 * createDeliveryServices wires them; DynamoDB on dynalite; the site bucket on s3rver; the
 * in-process queue; SesMailer against the SES stand-in on 127.0.0.1), under the failures the
 * engine must survive. Counted from the ledger and from the SES side, by recipient.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { latestSlot } from '../../../core/editions/schedule-slot.js';
import type { Subscriber } from '../../../core/subscriber.js';
import { subscriberLink } from '../../../core/subscriptions/subscriber-links.js';
import { useLocalAws } from '../../support/emulators.js';
import { seededRandom } from '../../support/seeded-random.js';
import { type SesStandIn, startSesStandIn } from '../../support/ses-stand-in.js';
import { type DeliveryStack, type DeliveryStackOptions, startDeliveryStack } from './delivery-stack.js';
import { expectExactlyOnce, recentPost } from './expect-delivery.js';

const aws = useLocalAws();
let standIn: SesStandIn;
let stack: DeliveryStack | undefined;

beforeAll(async () => {
  standIn = await startSesStandIn({ keepRaw: false });
});
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  standIn.reset();
  standIn.configure({ throttleRatio: 0, serverErrorRatio: 0, dropRatio: 0, hangRatio: 0, latencyMs: 0 });
});
afterAll(async () => {
  await standIn.close();
});

const POSTS = [recentPost('harbour-strike', 3, ['trade']), recentPost('border-talks', 1, ['europe'])];

async function start(options: Partial<DeliveryStackOptions> = {}) {
  stack = await startDeliveryStack(aws, standIn, { posts: POSTS, ...options });
  return stack;
}

/** Active weekly readers, and people who must get nothing: pending, unsubscribed, suppressed, other cadences. */
async function audience(s: DeliveryStack, active = 40) {
  const readers = await s.addSubscribers(active);
  const others = [
    ...(await s.addSubscribers(4, 'pending')),
    ...(await s.addSubscribers(4, 'unsubscribed')),
    ...(await s.addSubscribers(3, 'suppressed')),
    ...(await s.addSubscribers(3, 'active', 'daily')),
  ];
  return { readers, others };
}

async function sendNow(s: DeliveryStack): Promise<string> {
  const res = await s.api('POST', '/editor/editions', { cadence: 'weekly' });
  expect(res.status).toBe(201);
  return String(res.body.editionId);
}

describe('exactly once per active subscriber', () => {
  it('with SES throttling 20 % of calls: every throttled recipient is retried, none lost, none doubled', async () => {
    const s = await start();
    const { readers, others } = await audience(s, 60);
    standIn.configure({ throttleRatio: 0.2, random: seededRandom(1) });
    const editionId = await sendNow(s);
    await s.drain();
    await expectExactlyOnce(standIn, s.ledger, editionId, readers, others);
    expect(standIn.counters.throttled).toBeGreaterThanOrEqual(5);
    expect(standIn.counters.accepted).toBe(readers.length);
  });

  it('with SES answering 5xx to 20 % of calls', async () => {
    const s = await start();
    const { readers, others } = await audience(s, 60);
    standIn.configure({ serverErrorRatio: 0.2, random: seededRandom(2) });
    const editionId = await sendNow(s);
    await s.drain();
    await expectExactlyOnce(standIn, s.ledger, editionId, readers, others);
    expect(standIn.counters.serverErrors).toBeGreaterThanOrEqual(5);
  });

  it('with every queue message delivered twice, handled concurrently', async () => {
    const s = await start({ duplicateMessages: true });
    const { readers, others } = await audience(s, 60);
    const editionId = await sendNow(s);
    await s.drain();
    await expectExactlyOnce(standIn, s.ledger, editionId, readers, others);
    expect(s.queue.stats().sent).toBeGreaterThanOrEqual(2);
  });

  it('with the same message delivered again after the edition went out', async () => {
    const s = await start();
    const { readers, others } = await audience(s, 30);
    const editionId = await sendNow(s);
    await s.drain();
    const edition = await s.editions.get(editionId);
    const recipients = readers.map((r) => ({ subscriberId: r.id, emailKey: r.emailKey }));
    await s.queue.sendBatch([
      { editionId, variantKey: edition?.variants[0]?.key ?? 'all', recipients: recipients.slice(0, 20) },
      { editionId, variantKey: edition?.variants[0]?.key ?? 'all', recipients: recipients.slice(10) },
    ]);
    await s.drain();
    await expectExactlyOnce(standIn, s.ledger, editionId, readers, others);
  });

  it('with the schedule firing twice at once and once more later', async () => {
    const schedule = { weekly: { time: '09:00', timeZone: 'Europe/Berlin', day: 'friday' as const } };
    const slot = latestSlot('weekly', schedule.weekly, new Date());
    const hoursBeforeSlot = (Date.now() - slot.instant.getTime()) / 3_600_000;
    const s = await start({
      schedule,
      posts: [
        recentPost('slot-post-a', hoursBeforeSlot + 2),
        recentPost('slot-post-b', hoursBeforeSlot + 30),
      ],
    });
    const { readers, others } = await audience(s, 30);
    const scheduledTime = slot.instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const [a, b] = await Promise.all([
      s.services.runScheduledEdition({ cadence: 'weekly', scheduledTime }),
      s.services.runScheduledEdition({ cadence: 'weekly', scheduledTime }),
    ]);
    if (!a.ok || !b.ok) throw new Error(`no edition: ${JSON.stringify([a, b])}`);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.edition.id).toBe(b.edition.id);
    await s.drain();
    const late = await s.services.runScheduledEdition({ cadence: 'weekly', scheduledTime });
    expect(late).toMatchObject({ ok: true, created: false, fanOut: undefined });
    await s.drain();
    await expectExactlyOnce(standIn, s.ledger, a.edition.id, readers, others);
    expect(await s.editions.list(10)).toHaveLength(1);
  });

  it('with two editors pressing send-now at once through the editor API', async () => {
    const s = await start();
    const { readers, others } = await audience(s, 60);
    const [a, b] = await Promise.all([
      s.api('POST', '/editor/editions', { cadence: 'weekly' }),
      s.api('POST', '/editor/editions', { cadence: 'weekly' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.editionId).toBe(b.body.editionId);
    await s.drain();
    await expectExactlyOnce(standIn, s.ledger, String(a.body.editionId), readers, others);
  });

  it('with unsubscribes and a suppression arriving between fan-out and delivery: they get nothing', async () => {
    const s = await start({ startWorkers: false });
    const { readers, others } = await audience(s, 30);
    const editionId = await sendNow(s);
    const [leaving, bounced] = [readers.slice(0, 3), readers[3] as Subscriber];
    // The one-click unsubscribe of RFC 8058, as a mail provider sends it.
    for (const reader of leaving) {
      const link = subscriberLink(s.signer, s.baseUrl, 'unsubscribe', reader, new Date());
      const res = await fetch(link, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(res.status).toBe(200);
    }
    const record = await aws.subscribers.get(bounced.emailKey);
    if (!record) throw new Error('subscriber missing');
    await aws.subscribers.update(
      { ...record, status: 'suppressed', version: record.version + 1 },
      record.version,
    );

    s.startWorkers();
    await s.drain();
    const stayed = readers.slice(4);
    await expectExactlyOnce(standIn, s.ledger, editionId, stayed, [...others, ...leaving, bounced]);
    const progress = await s.api('GET', `/editor/editions/${editionId}`);
    expect(progress.body).toMatchObject({ planned: 30, sent: 26, skipped: 4, queued: 0, state: 'done' });
    const rows = await s.ledger.getMany(
      editionId,
      [...leaving, bounced].map((r) => r.id),
    );
    expect([...rows.values()].map((r) => `${r.status}:${r.reason}`).sort()).toEqual([
      'skipped:suppressed',
      'skipped:unsubscribed',
      'skipped:unsubscribed',
      'skipped:unsubscribed',
    ]);
  });
});

describe('worker crashes', () => {
  // One send in flight per worker: a crash then strands only the recipient it was sending to.
  const sequential = { concurrency: 1 };

  it('a crash before the claim loses nothing: the redelivery sends once', async () => {
    const crash = { beforeClaim: new Set<string>() };
    const s = await start({ crash, worker: sequential });
    const { readers, others } = await audience(s, 20);
    crash.beforeClaim.add(readers[2]?.id ?? '').add(readers[9]?.id ?? '');
    const editionId = await sendNow(s);
    await s.drain();
    await expectExactlyOnce(standIn, s.ledger, editionId, readers, others);
    expect(s.processes.crashes).toBe(2);
  }, 30_000);

  it('a crash after the claim or after SES took the mail: `unknown`, never re-sent, shown in progress, settled by the SES event', async () => {
    const crash = { beforeSend: new Set<string>(), afterSend: new Set<string>() };
    const s = await start({ crash, worker: sequential });
    const { readers } = await audience(s, 20);
    const [before, after] = [readers[4] as Subscriber, readers[11] as Subscriber];
    crash.beforeSend.add(before.id);
    crash.afterSend.add(after.id);
    const editionId = await sendNow(s);
    await s.drain();

    // The mail of `after` left once; the one of `before` never did; neither is sent again.
    expect(standIn.sendsByRecipient.get(after.email)).toBe(1);
    expect(standIn.sendsByRecipient.get(before.email)).toBeUndefined();
    const rest = readers.filter((r) => r !== before && r !== after);
    for (const r of rest) expect(standIn.sendsByRecipient.get(r.email), r.email).toBe(1);
    const rows = await s.ledger.getMany(editionId, [before.id, after.id]);
    expect(rows.get(before.id)?.status).toBe('unknown');
    expect(rows.get(after.id)?.status).toBe('unknown');
    const progress = await s.api('GET', `/editor/editions/${editionId}`);
    expect(progress.body).toMatchObject({
      planned: 20,
      sent: 18,
      unknown: 2,
      sending: 0,
      queued: 0,
      state: 'done',
    });
    expect(s.processes.crashes).toBe(2);

    // SES's delivery event for the mail that did leave settles its row.
    const mail = standIn.mails().find((m) => m.to[0] === after.email);
    if (!mail) throw new Error('no mail for the recipient');
    const settled = await s.services.settleSesEvent({
      type: 'Delivery',
      messageId: mail.messageId,
      tags: Object.fromEntries(Object.entries(mail.tags).map(([k, v]) => [k, [v]])),
    });
    expect(settled).toMatchObject({ ok: true, settled: 'sent', subscriberId: after.id });
    expect((await s.api('GET', `/editor/editions/${editionId}`)).body).toMatchObject({
      sent: 19,
      unknown: 1,
    });
  }, 30_000);

  it('a crash with many sends in flight: nobody gets two mails, the in-flight ones are `unknown` until SES events settle them', async () => {
    const crash = { afterSend: new Set<string>() };
    const s = await start({ crash, worker: { concurrency: 16 } });
    const { readers, others } = await audience(s, 40);
    crash.afterSend.add(readers[7]?.id ?? '');
    standIn.configure({ latencyMs: 20 });
    const editionId = await sendNow(s);
    await s.drain();

    for (const r of [...readers, ...others])
      expect(standIn.sendsByRecipient.get(r.email) ?? 0, r.email).toBeLessThanOrEqual(1);
    const rows = await s.ledger.getMany(
      editionId,
      readers.map((r) => r.id),
    );
    for (const r of readers) {
      const row = rows.get(r.id);
      // Every row has an outcome; a `sent` row means SES took exactly one mail.
      expect(['sent', 'unknown'], r.email).toContain(row?.status);
      if (row?.status === 'sent') expect(standIn.sendsByRecipient.get(r.email), r.email).toBe(1);
    }
    const counts = await s.ledger.count(editionId);
    expect(counts.unknown).toBeGreaterThanOrEqual(1);
    expect(counts.sent + counts.unknown).toBe(readers.length);

    // Each mail SES took has an event; settling them all leaves unknown only what never left.
    for (const mail of standIn.mails()) {
      await s.services.settleSesEvent({
        type: 'Send',
        messageId: mail.messageId,
        tags: Object.fromEntries(Object.entries(mail.tags).map(([k, v]) => [k, [v]])),
      });
    }
    const after = await s.ledger.count(editionId);
    expect(after.sent).toBe(standIn.counters.accepted);
    expect(after.unknown).toBe(readers.length - standIn.counters.accepted);
  }, 30_000);
});
