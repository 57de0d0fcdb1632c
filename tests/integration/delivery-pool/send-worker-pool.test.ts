/**
 * The send worker pool on real worker threads: each thread builds its worker over its own SDK
 * clients against dynalite and s3rver (tests/support/emulators.ts) and sends through SesMailer to
 * the SES stand-in; the in-process queue and the fan-out stay in the test's thread. Counted at the
 * stand-in by recipient and in the ledger.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDeliveryLedger } from '../../../adapters/aws/dynamo-delivery-ledger.js';
import { DynamoEditionStore } from '../../../adapters/aws/dynamo-edition-store.js';
import {
  createDeliveryServices,
  type DeliveryServices,
} from '../../../adapters/compose/create-delivery-services.js';
import { InProcessQueue } from '../../../adapters/local/in-process-queue.js';
import {
  SendWorkerPool,
  SendWorkerPoolClosedError,
  type SendWorkerPoolOptions,
} from '../../../adapters/local/send-worker-pool.js';
import type { SendWorkerThreadSettings } from '../../../adapters/local/send-worker-thread.js';
import type { SendTiming } from '../../../adapters/local/timed-mailer.js';
import { TimerSleeper } from '../../../adapters/local/timer-sleeper.js';
import type { SendBatch } from '../../../core/edition.js';
import type { Mailer } from '../../../core/ports.js';
import type { Subscriber, SubscriberStatus } from '../../../core/subscriber.js';
import { useLocalAws } from '../../support/emulators.js';
import { emailTemplates, makeSubscriber, publication, renderedPost } from '../../support/fixtures.js';
import { MemoryLogger, TEST_SECRET } from '../../support/memory-adapters.js';
import { type SesStandIn, startSesStandIn } from '../../support/ses-stand-in.js';
import { SENDS_BEFORE_CRASH } from './crash-after-send.js';

const aws = useLocalAws();
let standIn: SesStandIn;
let running: { pool: SendWorkerPool; queue: InProcessQueue<SendBatch> } | undefined;

beforeAll(async () => {
  standIn = await startSesStandIn({ keepRaw: false });
});
afterEach(async () => {
  await running?.queue.stop();
  await running?.pool.close();
  running = undefined;
  standIn.reset();
  standIn.configure({ latencyMs: 0, throttleRatio: 0, maxSendRate: undefined });
});
afterAll(async () => {
  await standIn.close();
});

const POSTS = [
  renderedPost('harbour-strike', new Date(Date.now() - 3 * 3_600_000)),
  renderedPost('border-talks', new Date(Date.now() - 3_600_000)),
];
const unused: Mailer = {
  send: () => Promise.reject(new Error('the test thread sends nothing: the pool does')),
};

let added = 0;
async function addSubscribers(count: number, status: SubscriberStatus = 'active'): Promise<Subscriber[]> {
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const made = Array.from({ length: count }, () => {
    added += 1;
    return makeSubscriber(
      `pool-reader-${added}@example.org`,
      `sub-pool-${String(added).padStart(5, '0')}`,
      at,
      {
        status,
      },
    );
  });
  await Promise.all(made.map((s) => aws.subscribers.create(s)));
  return made;
}

/** Fan-out in this thread, over the same tables and bucket the threads read. */
function services(queue: InProcessQueue<SendBatch>): DeliveryServices {
  return createDeliveryServices(
    {
      editions: new DynamoEditionStore(aws.doc, aws.tables.editions),
      ledger: new DynamoDeliveryLedger(aws.doc, aws.tables.deliveries),
      subscribers: aws.subscriberIndex,
      objects: aws.objects,
      queue,
      mailer: unused,
      clock: { now: () => new Date() },
      sleeper: new TimerSleeper(),
    },
    { publication, loadPosts: async () => POSTS, emailTemplates },
  );
}

function settings(worker: SendWorkerThreadSettings['worker'] = {}): SendWorkerThreadSettings {
  return {
    clients: {
      ...aws.config,
      endpoints: { ...aws.endpoints, ses: standIn.endpoint },
      requestTimeoutMs: 5_000,
      maxAttempts: 1,
    },
    tablePrefix: aws.tablePrefix,
    siteBucket: aws.bucket,
    sesConfigurationSet: 'gazette-events',
    signingKeys: { current: { id: 'test', secret: TEST_SECRET } },
    publication,
    worker: { backoffBaseMs: 20, backoffCapMs: 200, editionCacheMs: 100, maxReceives: 10, ...worker },
  };
}

async function startPool(
  options: Partial<SendWorkerPoolOptions> & { visibilitySeconds?: number } = {},
): Promise<{ pool: SendWorkerPool; queue: InProcessQueue<SendBatch>; logger: MemoryLogger }> {
  const logger = new MemoryLogger();
  const queue = new InProcessQueue<SendBatch>({
    concurrency: 4,
    visibilityTimeoutSeconds: options.visibilitySeconds ?? 2,
    maxReceives: 10,
    logger,
  });
  const pool = await SendWorkerPool.start({
    threads: 2,
    totalSendRate: 200,
    settings: settings(),
    queue,
    logger,
    ...options,
  });
  running = { pool, queue };
  return { pool, queue, logger };
}

async function sendNow(queue: InProcessQueue<SendBatch>): Promise<string> {
  const created = await services(queue).createEdition({ cadence: 'weekly' });
  if (!created.ok) throw new Error(`edition not created: ${JSON.stringify(created)}`);
  return created.edition.id;
}

describe('SendWorkerPool', () => {
  it('two threads deliver an edition exactly once, and nothing to anyone not active', async () => {
    const readers = await addSubscribers(60);
    const others = [
      ...(await addSubscribers(3, 'pending')),
      ...(await addSubscribers(3, 'unsubscribed')),
      ...(await addSubscribers(2, 'suppressed')),
    ];
    const timings: SendTiming[] = [];
    const { pool, queue, logger } = await startPool({ onSendTimings: (t) => timings.push(...t) });
    expect(pool.threads).toBe(2);
    expect(pool.sendRatePerThread).toBe(100);
    const editionId = await sendNow(queue);
    queue.start(pool.handle);
    await queue.drain();

    for (const s of readers) expect(standIn.sendsByRecipient.get(s.email), s.email).toBe(1);
    for (const s of others) expect(standIn.sendsByRecipient.get(s.email), s.email).toBeUndefined();
    const mails = standIn.mails();
    expect(mails).toHaveLength(readers.length);
    expect(mails.every((m) => m.tags.edition === editionId && m.configurationSet === 'gazette-events')).toBe(
      true,
    );
    const ledger = new DynamoDeliveryLedger(aws.doc, aws.tables.deliveries);
    expect(await ledger.count(editionId)).toMatchObject({
      sent: readers.length,
      sending: 0,
      unknown: 0,
      failed: 0,
      deadLettered: 0,
    });
    // Both threads took batches, and each SES call was reported once, by the thread that made it.
    const stats = await pool.stats();
    expect(stats.map((s) => s.batchesHandled > 0)).toEqual([true, true]);
    expect(stats.every((s) => s.crashes === 0 && s.starts === 1 && s.batchesInFlight === 0)).toBe(true);
    expect(stats.every((s) => s.cpu.user > 0 && s.eventLoop.active > 0)).toBe(true);
    expect(timings).toHaveLength(readers.length);
    expect(new Set(timings.map((t) => t.thread))).toEqual(new Set([0, 1]));
    expect(timings.every((t) => t.outcome === 'sent' && t.endedAt >= t.startedAt)).toBe(true);
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('a thread that dies mid-batch fails its batch, is replaced, and the redelivery sends nothing twice', async () => {
    const readers = await addSubscribers(80);
    const { pool, queue, logger } = await startPool({
      mailerDecorator: new URL('./crash-after-send.ts', import.meta.url),
      settings: settings({ claimLeaseMs: 1_000, concurrency: 4 }),
    });
    const editionId = await sendNow(queue);
    queue.start(pool.handle);
    await queue.drain();

    const stats = await pool.stats();
    expect(stats[0]).toMatchObject({ crashes: 1, starts: 2 });
    expect(stats[1]).toMatchObject({ crashes: 0, starts: 1 });
    expect(queue.stats().redelivered).toBeGreaterThan(0);
    expect(
      logger.lines.some((l) => l.message.startsWith('send worker thread died') && l.fields?.thread === 0),
    ).toBe(true);

    // Nobody got two mails. Every reader is `sent` (one mail) or `unknown`: the rows the dead
    // thread held. Those are never sent again; whether their mail went out depends on how far the
    // thread's other in-flight sends got before it died, so an `unknown` reader has 0 or 1 mail.
    const ledger = new DynamoDeliveryLedger(aws.doc, aws.tables.deliveries);
    const rows = await ledger.getMany(
      editionId,
      readers.map((s) => s.id),
    );
    for (const s of readers) {
      const status = rows.get(s.id)?.status;
      const mails = standIn.sendsByRecipient.get(s.email) ?? 0;
      if (status === 'sent') expect(mails, s.email).toBe(1);
      else {
        expect(status, s.email).toBe('unknown');
        expect(mails, s.email).toBeLessThanOrEqual(1);
      }
    }
    const counts = await ledger.count(editionId);
    expect(counts.sent + counts.unknown).toBe(readers.length);
    expect(counts.unknown).toBeGreaterThanOrEqual(1);
    // The dead thread's batch: the mails it sent but had not yet marked, and its in-flight claims.
    expect(counts.unknown).toBeLessThanOrEqual(SENDS_BEFORE_CRASH + 4);
    // At least the mail SES took as the thread died is out without a `sent` row (the two before
    // it may or may not have been marked before the crash).
    expect(standIn.counters.accepted).toBeGreaterThanOrEqual(counts.sent + 1);
    expect(standIn.counters.accepted).toBeLessThanOrEqual(readers.length);
    expect(counts).toMatchObject({ sending: 0, failed: 0, deadLettered: 0 });
  });

  it('keeps the total rate: each thread sends its share, and together they stay under the configured rate', async () => {
    const readers = await addSubscribers(70);
    const { pool, queue } = await startPool({ totalSendRate: 20 });
    expect(pool.sendRatePerThread).toBe(10);
    await sendNow(queue);
    queue.start(pool.handle);
    await queue.drain();

    const times = standIn
      .mails()
      .map((m) => m.acceptedAt)
      .sort((a, b) => a - b);
    expect(times).toHaveLength(readers.length);
    // Each thread's bucket starts full (one second's worth: 10), so 20 may go at once; every
    // later mail waits for a token. Over any stretch, at most 20 + 20/s × its length (+ clock slack).
    const first = times[0] as number;
    for (let i = 0; i < times.length; i++) {
      const elapsed = ((times[i] as number) - first) / 1000;
      expect(i + 1, `mail ${i + 1} at ${elapsed.toFixed(2)} s`).toBeLessThanOrEqual(20 + 20 * elapsed + 2);
    }
    // The whole run cannot beat the rate: 50 mails beyond the first 20 need at least 2.5 s.
    expect(((times.at(-1) as number) - first) / 1000).toBeGreaterThanOrEqual(2.4);
  });

  it('close() stops the threads and fails the batches they held, so the queue delivers them again', async () => {
    await addSubscribers(10);
    standIn.configure({ latencyMs: 10_000 });
    const { pool, queue, logger } = await startPool({ visibilitySeconds: 60 });
    await sendNow(queue);
    queue.start(pool.handle);
    while (standIn.counters.inFlight === 0) await new Promise((r) => setTimeout(r, 20));
    expect((await pool.stats()).reduce((n, s) => n + s.batchesInFlight, 0)).toBeGreaterThan(0);

    await pool.close();
    await queue.stop();
    expect(queue.stats()).toMatchObject({ deleted: 0, ready: 0 });
    expect(queue.stats().invisible).toBeGreaterThan(0);
    const failures = logger.lines.filter((l) => l.message.startsWith('queue consumer failed'));
    expect(failures.length).toBeGreaterThan(0);
    expect(String(failures[0]?.fields?.error)).toContain('closed');
    await expect(pool.handle([])).rejects.toBeInstanceOf(SendWorkerPoolClosedError);
    expect((await pool.stats()).every((s) => s.batchesInFlight === 0)).toBe(true);
  });
});
