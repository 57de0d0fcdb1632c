/**
 * The whole delivery pipeline in memory, for the unit tests: real templates (MJML + Liquid), the
 * real HMAC signer, fan-out, the send worker and the use cases, over the in-memory ports of
 * tests/support/memory-delivery.ts, in virtual time.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readTemplateDir } from '../../../adapters/fs/read-templates.js';
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
import type { EmailTemplates } from '../../../core/email/rendered-mail.js';
import type { Cadence, Publication, RenderedPost } from '../../../core/model.js';
import type { Subscriber, SubscriberStatus } from '../../../core/subscriber.js';
import { shardOf } from '../../../core/subscriptions/subscribe.js';
import { MemoryLogger, MemoryObjectStore } from '../../support/memory-adapters.js';
import {
  drainQueue,
  FaultyMailer,
  ManualClock,
  MemoryDeliveryLedger,
  MemoryEditionStore,
  MemoryQueue,
  MemorySubscriberIndex,
  seededRandom,
  sequentialIds,
  testSigner,
  VirtualSleeper,
  WorkerProcess,
} from '../../support/memory-delivery.js';

export const publication: Publication = {
  title: 'Gazette Dispatch',
  description: 'Short, sourced briefings.',
  url: 'https://news.example.com/',
  language: 'en',
  timeZone: 'Europe/Berlin',
  author: { name: 'Desk' },
  email: {
    from: { name: 'Gazette Dispatch', address: 'dispatch@news.example.com' },
    replyTo: 'desk@news.example.com',
  },
  postalAddress: 'Gazette Dispatch\nExample Street 1\n10115 Berlin',
  schedule: {
    daily: { time: '07:00', timeZone: 'Europe/Berlin' },
    weekly: { time: '09:00', timeZone: 'Europe/Berlin', day: 'friday' },
  },
  feed: { items: 20, content: 'full' },
};

/** A published, rendered post. */
export function post(slug: string, date: string, tags: string[] = ['policy']): RenderedPost {
  const url = `${publication.url}posts/${slug}/`;
  return {
    slug,
    title: `Title of ${slug}`,
    date: new Date(date),
    tags,
    draft: false,
    body: `Body of ${slug}.`,
    source: { file: `posts/${slug}.md`, bodyLine: 6 },
    html: `<p>Body of ${slug}.</p>`,
    summaryText: `Summary of ${slug}.`,
    url,
  };
}

let templates: EmailTemplates | undefined;
export async function emailTemplates(): Promise<EmailTemplates> {
  templates ??= await readTemplateDir(join(import.meta.dirname, '..', '..', '..', 'templates', 'email'));
  return templates;
}

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
  const real = templateVariantRenderer(publication, await emailTemplates());
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
    const email = `reader${n}@example.org`;
    const id = `sub-${n.toString().padStart(5, '0')}`;
    const subscriber: Subscriber = {
      emailKey: createHash('sha256').update(email).digest('hex'),
      id,
      email,
      status,
      cadence,
      topics,
      consent: { at: options.start, form: 'subscribe-page', ipHash: '', userAgent: 'test' },
      createdAt: options.start,
      updatedAt: options.start,
      softBounces: 0,
      shard: shardOf(id),
      version: 1,
    };
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
