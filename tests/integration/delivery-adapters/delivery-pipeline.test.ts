/**
 * The delivery engine of the core over the real adapters of this folder: DynamoDB (dynalite)
 * for editions, ledger and fan-out index, S3 (s3rver) for the rendered variants, the in-process
 * queue, and SesMailer against the SES stand-in with throttling and dropped connections injected.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSesClient } from '../../../adapters/aws/clients.js';
import { DynamoDeliveryLedger } from '../../../adapters/aws/dynamo-delivery-ledger.js';
import { DynamoEditionStore } from '../../../adapters/aws/dynamo-edition-store.js';
import { SesMailer } from '../../../adapters/aws/ses-mailer.js';
import { InProcessQueue } from '../../../adapters/local/in-process-queue.js';
import { TimerSleeper } from '../../../adapters/local/timer-sleeper.js';
import { createFanOut } from '../../../core/delivery/fan-out.js';
import { createSendWorker } from '../../../core/delivery/send-worker.js';
import { resolveSendWorkerConfig } from '../../../core/delivery/send-worker-config.js';
import { tagValue } from '../../../core/delivery/ses-tags.js';
import type { SendBatch } from '../../../core/edition.js';
import { createEditionCreator } from '../../../core/editions/create-edition.js';
import { templateVariantRenderer } from '../../../core/editions/template-variant-renderer.js';
import type { RenderedPost } from '../../../core/model.js';
import type { Subscriber, SubscriberStatus } from '../../../core/subscriber.js';
import { useLocalAws } from '../../support/emulators.js';
import { emailTemplates, makeSubscriber, publication, renderedPost } from '../../support/fixtures.js';
import { testSigner } from '../../support/memory-delivery.js';
import { seededRandom as faultRandom } from '../../support/seeded-random.js';
import { type SesStandIn, startSesStandIn } from '../../support/ses-stand-in.js';

const aws = useLocalAws();
let standIn: SesStandIn;

beforeAll(async () => {
  standIn = await startSesStandIn({ keepRaw: false });
});
afterAll(async () => {
  await standIn.close();
});

function subscriber(n: number, status: SubscriberStatus): Subscriber {
  const at = new Date(Date.now() - 86_400_000).toISOString();
  return makeSubscriber(`reader${n}@example.org`, `sub-${String(n).padStart(4, '0')}`, at, { status });
}

async function pipeline() {
  const clock = { now: () => new Date() };
  const editions = new DynamoEditionStore(aws.doc, aws.tables.editions);
  const ledger = new DynamoDeliveryLedger(aws.doc, aws.tables.deliveries);
  const queue = new InProcessQueue<SendBatch>({
    visibilityTimeoutSeconds: 1,
    maxReceives: 8,
    concurrency: 4,
  });
  const posts: RenderedPost[] = [
    renderedPost('first-briefing', new Date(Date.now() - 3 * 3_600_000).toISOString()),
    renderedPost('second-briefing', new Date(Date.now() - 3_600_000).toISOString()),
  ];
  const loadPosts = async () => posts;
  const fanOut = createFanOut({
    editions,
    subscribers: aws.subscriberIndex,
    queue,
    objects: aws.objects,
    renderVariant: templateVariantRenderer(publication, emailTemplates),
    loadPosts,
    publication,
    clock,
  });
  const createEdition = createEditionCreator({ editions, publication, loadPosts, clock, fanOut });
  const mailer = new SesMailer(
    createSesClient({ ...aws.config, endpoints: { ses: standIn.endpoint }, maxAttempts: 1 }),
    { configurationSetName: 'gazette-events' },
  );
  const random = faultRandom(11);
  const worker = createSendWorker({
    editions,
    ledger,
    subscribers: aws.subscriberIndex,
    objects: aws.objects,
    queue,
    mailer,
    signer: testSigner(),
    clock,
    sleeper: new TimerSleeper(),
    publication,
    newId: () => `attempt-${randomUUID()}`,
    random,
    config: resolveSendWorkerConfig({
      sendRatePerSecond: 200,
      concurrency: 8,
      backoffBaseMs: 10,
      backoffCapMs: 100,
      editionCacheMs: 50,
      claimLeaseMs: 30_000,
      maxReceives: 8,
    }),
  });
  queue.start((messages) => worker.handleSendBatches(messages));
  return { editions, ledger, queue, createEdition };
}

describe('delivery engine over the DynamoDB, S3, queue and SES adapters', () => {
  it('mails every active subscriber exactly once under throttling and dropped connections', async () => {
    const people = [
      ...Array.from({ length: 48 }, (_, i) => subscriber(i, 'active')),
      ...Array.from({ length: 4 }, (_, i) => subscriber(100 + i, 'pending')),
      ...Array.from({ length: 4 }, (_, i) => subscriber(200 + i, 'unsubscribed')),
      ...Array.from({ length: 3 }, (_, i) => subscriber(300 + i, 'suppressed')),
    ];
    await Promise.all(people.map((s) => aws.subscribers.create(s)));
    standIn.reset();
    standIn.configure({ throttleRatio: 0.2, dropRatio: 0.05, random: faultRandom(5) });

    const p = await pipeline();
    // Two editors press "send now" at once: one edition, one fan-out.
    const [a, b] = await Promise.all([
      p.createEdition({ cadence: 'weekly' }),
      p.createEdition({ cadence: 'weekly' }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const editionId = a.edition.id;
    await p.queue.drain();

    const active = people.filter((s) => s.status === 'active');
    for (const s of active) expect(standIn.sendsByRecipient.get(s.email), s.email).toBe(1);
    expect(standIn.sendsByRecipient.size).toBe(active.length);
    // The seeded fault pattern throttles 6 and drops 5 of the first 48 calls (there are more).
    expect(standIn.counters.throttled).toBeGreaterThanOrEqual(6);
    expect(standIn.counters.dropped).toBeGreaterThanOrEqual(5);

    const counts = await p.ledger.count(editionId);
    expect(counts.sent + counts.unknown).toBe(active.length);
    expect(counts.unknown).toBe(standIn.counters.dropped);
    expect(counts).toMatchObject({ failed: 0, sending: 0, skipped: 0, deadLettered: 0 });
    const mails = standIn.mails();
    expect(
      mails.every((m) => m.tags.edition === tagValue(editionId) && m.configurationSet === 'gazette-events'),
    ).toBe(true);
    // A delivered row names the MessageId SES answered, and can be found by it.
    const answered = mails.find((m) => m.outcome === 'answered')!;
    expect((await p.ledger.findByMessageId(answered.messageId))?.status).toBe('sent');

    // The same queue message delivered again, and the schedule firing again: nothing more is sent.
    const batch: SendBatch = {
      editionId,
      variantKey: a.edition.variants[0]?.key ?? 'all',
      recipients: active.slice(0, 10).map((s) => ({ subscriberId: s.id, emailKey: s.emailKey })),
    };
    await p.queue.sendBatch([batch, batch]);
    const again = await p.createEdition({ cadence: 'weekly' });
    expect(again.ok && again.created).toBe(false);
    await p.queue.drain();
    expect(standIn.counters.accepted).toBe(active.length);
    expect((await p.editions.get(editionId))?.fannedOutAt).toBeDefined();
    await p.queue.stop();
  });
});
