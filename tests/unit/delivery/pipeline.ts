/**
 * The whole delivery pipeline in memory, for the unit tests: real templates (MJML + Liquid), the
 * real HMAC signer, fan-out, the send worker and the use cases, over the in-memory ports of
 * tests/support/memory-delivery.ts, in virtual time.
 */
import { createFanOut } from '../../../core/delivery/fan-out.js';
import { resolveSendWorkerConfig, type SendWorkerConfig } from '../../../core/delivery/send-worker-config.js';
import { createSesEventSettler } from '../../../core/delivery/settle-from-ses-event.js';
import type { SendBatch } from '../../../core/edition.js';
import { createEditionCreator } from '../../../core/editions/create-edition.js';
import { createProgressReader } from '../../../core/editions/get-progress.js';
import { createEditionPauser, createEditionResumer } from '../../../core/editions/pause-edition.js';
import type { RenderVariant } from '../../../core/editions/render-variant.js';
import { createScheduledEditionRunner } from '../../../core/editions/run-scheduled-edition.js';
import { templateVariantRenderer } from '../../../core/editions/template-variant-renderer.js';
import type { Cadence, RenderedPost } from '../../../core/model.js';
import type { Subscriber, SubscriberStatus } from '../../../core/subscriber.js';
import { emailTemplates, makeSubscriber, publication } from '../../support/fixtures.js';
import { MemoryLogger, MemoryObjectStore } from '../../support/memory-adapters.js';
import {
  drainQueue,
  FaultyMailer,
  ManualClock,
  MemoryDeliveryLedger,
  MemoryEditionStore,
  MemoryQueue,
  MemorySubscriberIndex,
  sequentialIds,
  testSigner,
  VirtualSleeper,
  WorkerProcess,
} from '../../support/memory-delivery.js';
import { seededRandom } from '../../support/seeded-random.js';

export interface PipelineOptions {
  start: string;
  posts?: RenderedPost[];
  config?: Partial<SendWorkerConfig>;
  seed?: number;
  queue?: { visibilityTimeoutSeconds: number; maxReceives: number };
}

/** A test pipeline: stores, queue, mailer, clock, and the use cases wired as a handler would. */
export async function createPipeline(options: PipelineOptions) {
  const clock = new ManualClock(options.start);
  const random = seededRandom(options.seed ?? 7);
  const editions = new MemoryEditionStore();
  const ledger = new MemoryDeliveryLedger();
  const subscribers = new MemorySubscriberIndex();
  const objects = new MemoryObjectStore(clock);
  const queue = new MemoryQueue<SendBatch>(
    clock,
    options.queue ?? { visibilityTimeoutSeconds: 60, maxReceives: 5 },
  );
  const mailer = new FaultyMailer(seededRandom((options.seed ?? 7) + 1));
  const sleeper = new VirtualSleeper(clock);
  const logger = new MemoryLogger();
  const signer = testSigner();
  const posts: RenderedPost[] = [...(options.posts ?? [])];
  const real = templateVariantRenderer(publication, emailTemplates);
  const renders: string[][] = [];
  const renderVariant: RenderVariant = async (request) => {
    renders.push(request.posts.map((p) => p.slug));
    return real(request);
  };
  const loadPosts = async () => posts;
  const fanOut = createFanOut({
    editions,
    subscribers,
    queue,
    objects,
    renderVariant,
    loadPosts,
    publication,
    clock,
    logger,
  });
  const editionDeps = { editions, publication, loadPosts, clock, fanOut, logger };
  const config = resolveSendWorkerConfig({
    sendRatePerSecond: 200,
    concurrency: 8,
    claimLeaseMs: 30_000,
    ...options.config,
  });
  const attemptIds = sequentialIds('attempt');
  const workerDeps = {
    editions,
    ledger,
    subscribers,
    objects,
    queue,
    mailer,
    signer,
    clock,
    sleeper,
    publication,
    newId: attemptIds,
    random,
    config,
    logger,
  };
  const newProcess = () => new WorkerProcess(workerDeps);

  let n = 0;
  /** Adds a subscriber; returns it. */
  const addSubscriber = (
    status: SubscriberStatus = 'active',
    cadence: Cadence = 'weekly',
    topics: string[] = [],
  ): Subscriber => {
    n += 1;
    const id = `sub-${n.toString().padStart(5, '0')}`;
    const subscriber = makeSubscriber(`reader${n}@example.org`, id, options.start, {
      status,
      cadence,
      topics,
    });
    subscribers.put(subscriber);
    return subscriber;
  };

  return {
    clock,
    editions,
    ledger,
    subscribers,
    objects,
    queue,
    mailer,
    sleeper,
    logger,
    signer,
    posts,
    renders,
    renderVariant,
    loadPosts,
    fanOut,
    config,
    workerDeps,
    newProcess,
    addSubscriber,
    createEdition: createEditionCreator(editionDeps),
    runScheduled: createScheduledEditionRunner(editionDeps),
    progress: createProgressReader({ editions, ledger, clock }),
    pause: createEditionPauser({ editions, clock }),
    resume: createEditionResumer({ editions, clock }),
    settle: createSesEventSettler({ ledger, clock, logger }),
    drain: (opts: Parameters<typeof drainQueue>[3] = {}) => drainQueue(queue, clock, newProcess, opts),
    editionDeps,
  };
}

export type Pipeline = Awaited<ReturnType<typeof createPipeline>>;

/** How many mails each active subscriber got, and whether anyone else got one. */
export function mailCounts(p: Pipeline): { active: Map<string, number>; others: Map<string, number> } {
  const counts = p.mailer.countsByAddress();
  const active = new Map<string, number>();
  const others = new Map<string, number>();
  const activeEmails = new Set(
    p.subscribers
      .all()
      .filter((s) => s.status === 'active')
      .map((s) => s.email),
  );
  for (const s of p.subscribers.all()) {
    if (activeEmails.has(s.email)) active.set(s.email, counts.get(s.email) ?? 0);
  }
  for (const [email, count] of counts) if (!activeEmails.has(email)) others.set(email, count);
  return { active, others };
}
