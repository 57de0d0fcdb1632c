/**
 * The web app with the editor API over the in-memory delivery ports: the real use cases wired
 * by createDeliveryServices, the real templates, signer and MIME composer; time is a manual clock.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createDeliveryServices } from '../../../../adapters/compose/create-delivery-services.js';
import { readTemplates } from '../../../../adapters/fs/read-templates.js';
import type { SendBatch } from '../../../../core/edition.js';
import type { Cadence, RenderedPost } from '../../../../core/model.js';
import type { Subscriber, SubscriberStatus } from '../../../../core/subscriber.js';
import { shardOf } from '../../../../core/subscriptions/subscribe.js';
import { createApp } from '../../../../web/create-app.js';
import type { EditorAuth } from '../../../../web/editor/editor-deps.js';
import { MemoryLogger, MemoryMailer, MemoryObjectStore } from '../../../support/memory-adapters.js';
import {
  MemoryDeliveryLedger,
  MemoryEditionStore,
  MemoryQueue,
  MemorySubscriberIndex,
  sequentialIds,
  testSigner,
  VirtualSleeper,
} from '../../../support/memory-delivery.js';
import { createTestApp, publication } from '../web-test-app.js';

const templates = await readTemplates(join(import.meta.dirname, '..', '..', '..', '..', 'templates'));

export const EDITOR_TOKEN = 'editor-token-for-tests-0123456789';

/** A published, rendered post of the test publication. */
export function post(slug: string, date: string, tags: string[] = ['europe']): RenderedPost {
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
    url: `${publication.url}posts/${slug}/`,
  };
}

/** Friday 27 November 2026, 10:00 UTC: an hour after the weekly slot (Fridays 09:00 in Berlin). */
export const NOW = '2026-11-27T10:00:00Z';

export function createEditorTestApp(options: { auth?: EditorAuth; posts?: RenderedPost[] } = {}) {
  const web = createTestApp();
  const clock = web.clock;
  clock.set(NOW);
  const editions = new MemoryEditionStore();
  const ledger = new MemoryDeliveryLedger();
  const subscribers = new MemorySubscriberIndex();
  const objects = new MemoryObjectStore(clock);
  const queue = new MemoryQueue<SendBatch>(clock);
  const mailer = new MemoryMailer();
  const logger = new MemoryLogger();
  const posts: RenderedPost[] = options.posts ?? [
    post('harbour-strike', '2026-11-25T08:00:00Z', ['trade']),
    post('border-talks', '2026-11-26T08:00:00Z', ['europe']),
  ];
  const services = createDeliveryServices(
    {
      editions,
      ledger,
      subscribers,
      objects,
      queue,
      mailer,
      signer: testSigner(),
      clock,
      sleeper: new VirtualSleeper(clock),
      logger,
    },
    {
      publication,
      loadPosts: async () => posts,
      emailTemplates: templates.email,
      worker: { sendRatePerSecond: 1000, concurrency: 8 },
      newId: sequentialIds('attempt'),
      random: () => 0.5,
    },
  );
  const app = createApp({
    ...web.deps,
    editor: { auth: options.auth ?? { kind: 'bearer', token: EDITOR_TOKEN }, services },
  });

  let n = 0;
  const addSubscriber = (
    status: SubscriberStatus = 'active',
    cadence: Cadence = 'weekly',
    topics: string[] = [],
  ) => {
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
      consent: { at: NOW, form: 'subscribe-page', ipHash: '', userAgent: 'test' },
      createdAt: NOW,
      updatedAt: NOW,
      softBounces: 0,
      shard: shardOf(id),
      version: 1,
    };
    subscribers.put(subscriber);
    return subscriber;
  };

  /** Runs the send worker until the queue is empty (paused editions' messages wait on the queue). */
  const drain = async (rounds = 50) => {
    for (let i = 0; i < rounds && queue.depth > 0; i++) {
      const messages = queue.receive(10);
      if (messages.length === 0) break;
      queue.complete(messages, await services.sendWorker.handleSendBatches(messages));
    }
  };

  /** A request to the app, with the editor token unless `auth` says otherwise. */
  const call = (
    method: string,
    path: string,
    init: { body?: unknown; raw?: string; type?: string; auth?: string | null; env?: unknown } = {},
  ) => {
    const headers: Record<string, string> = {};
    if (init.auth !== null) headers.authorization = init.auth ?? `Bearer ${EDITOR_TOKEN}`;
    let body: string | undefined;
    if (init.raw !== undefined || init.body !== undefined) {
      body = init.raw ?? JSON.stringify(init.body);
      headers['content-type'] = init.type ?? 'application/json';
    }
    return app.request(path, { method, headers, body }, init.env as never);
  };

  return {
    app,
    call,
    services,
    clock,
    editions,
    ledger,
    subscribers,
    objects,
    queue,
    mailer,
    logger,
    posts,
    addSubscriber,
    drain,
  };
}
