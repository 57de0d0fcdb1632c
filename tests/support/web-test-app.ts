/**
 * The web app on in-memory ports with the real templates, signer and mail composer, for
 * `app.request()` tests; with `editor`, also the editor API (and with `console`, the editors'
 * console) over the real delivery services on in-memory delivery ports.
 */
import PostalMime from 'postal-mime';
import { createDeliveryServices } from '../../adapters/compose/create-delivery-services.js';
import { isDue } from '../../core/content/select-published.js';
import type { SendBatch } from '../../core/edition.js';
import type { Post } from '../../core/model.js';
import type { Mailer } from '../../core/ports.js';
import { renderPost } from '../../core/render/render-post.js';
import type { Subscriber } from '../../core/subscriber.js';
import { createApp } from '../../web/create-app.js';
import type { EditorAuth } from '../../web/editor/editor-deps.js';
import type { OutboxMessage, WebDeps } from '../../web/web-deps.js';
import { emailTemplates, makeSubscriber, publicationAt, siteTemplates } from './fixtures.js';
import {
  createMemorySubscriptionDeps,
  MemoryDirectory,
  MemoryMailer,
  MemoryObjectStore,
  MemoryRateLimiter,
  TEST_SECRET,
} from './memory-adapters.js';
import {
  MemoryDeliveryLedger,
  MemoryEditionStore,
  MemoryQueue,
  MemorySubscriberIndex,
  sequentialIds,
  VirtualSleeper,
} from './memory-delivery.js';

/** The address the test app answers on. */
export const ORIGIN = 'http://127.0.0.1:3999';

/** The editor's bearer token in the tests. */
export const EDITOR_TOKEN = 'editor-token-for-tests-0123456789';

/** The test publication as this app serves it. */
export const publication = publicationAt(`${ORIGIN}/`);

export interface TestAppOptions {
  rateLimits?: WebDeps['rateLimits'];
  maxBodyBytes?: number;
  local?: boolean;
  outbox?: OutboxMessage[];
  /** Virtual milliseconds each mail send takes (see `timer`); default 0. */
  mailDelayMs?: number;
  /** Answer pacing of POST /subscribe, on the virtual timer; default floor 0 (no waiting). */
  pacing?: { floorMs?: number; ceilingMs?: number };
  /** Where the clock starts (default: the memory deps' start). */
  now?: string;
  /** The public base URL the app builds its links on (default: the test publication's). */
  baseUrl?: string;
  /** Serves the editor API with this auth (`bearer` with {@link EDITOR_TOKEN} when only `console` is asked). */
  editor?: EditorAuth;
  /** Serves the editors' console too. */
  console?: boolean;
  /** The posts as written: the console lists them all, editions take those due at the clock's time. */
  posts?: Post[];
}

/**
 * Virtual time for answer pacing: nothing really waits, `sleep` moves the time on and records
 * what it was asked for, so tests can compare answer times without measuring wall time.
 */
export class VirtualTimer {
  now = 0;
  readonly sleeps: number[] = [];
  elapsedMs(): number {
    return this.now;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.now += ms;
  }
  /** How long `work` took in virtual time, and its result. */
  async measure<T>(work: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
    const start = this.now;
    const value = await work();
    return { ms: this.now - start, value };
  }
}

export function createTestApp(options: TestAppOptions = {}) {
  const { deps: core, clock } = createMemorySubscriptionDeps(options.now);
  const mailer = new MemoryMailer();
  const site = new MemoryObjectStore(clock);
  const outbox: OutboxMessage[] = options.outbox ?? [];
  const timer = new VirtualTimer();
  const mailDelayMs = options.mailDelayMs ?? 0;
  const slowMailer: Mailer = {
    send: async (mail) => {
      timer.now += mailDelayMs;
      return mailer.send(mail);
    },
  };

  // The delivery engine's ports, served only with `editor` or `console`.
  const posts: Post[] = options.posts ?? [];
  const editions = new MemoryEditionStore();
  const ledger = new MemoryDeliveryLedger();
  const index = new MemorySubscriberIndex();
  const objects = new MemoryObjectStore(clock);
  const queue = new MemoryQueue<SendBatch>(clock);
  const services = createDeliveryServices(
    {
      editions,
      ledger,
      subscribers: index,
      objects,
      queue,
      mailer,
      signer: core.signer,
      clock,
      sleeper: new VirtualSleeper(clock),
      logger: core.logger,
    },
    {
      publication,
      loadPosts: async () =>
        posts.filter((p) => isDue(p, clock.now())).map((p) => renderPost(p, publication)),
      emailTemplates,
      worker: { sendRatePerSecond: 1000, concurrency: 8 },
      newId: sequentialIds('attempt'),
      random: () => 0.5,
    },
  );
  const editorAuth =
    options.editor ?? (options.console ? { kind: 'bearer', token: EDITOR_TOKEN } : undefined);

  const deps: WebDeps = {
    publication,
    baseUrl: options.baseUrl ?? publication.url,
    store: core.store,
    suppressions: core.suppressions,
    rateLimiter: new MemoryRateLimiter(),
    signer: core.signer,
    mailer: slowMailer,
    clock,
    logger: core.logger,
    siteTemplates,
    emailTemplates,
    topics: () => ['europe', 'security', 'trade'],
    ipHashKey: 'test-ip-key',
    rateLimits: options.rateLimits ?? {
      subscribePerIp: { limit: 1000, windowSeconds: 600 },
      subscribePerAddress: { limit: 1000, windowSeconds: 3600 },
    },
    maxBodyBytes: options.maxBodyBytes,
    newId: core.newId,
    local: options.local ? { outbox: { list: () => outbox }, site } : undefined,
    subscribePacing: {
      floorMs: options.pacing?.floorMs ?? 0,
      ceilingMs: options.pacing?.ceilingMs,
      timer,
    },
    editor: editorAuth ? { auth: editorAuth, services } : undefined,
    console: options.console
      ? { posts: () => posts, directory: new MemoryDirectory(core.store), sessionSecret: TEST_SECRET }
      : undefined,
  };
  const app = createApp(deps);

  let added = 0;
  /** Adds a subscriber to the list and to the fan-out index (`reader<n>@example.org` unless named). */
  const addSubscriber = (fields: Partial<Subscriber> = {}): Subscriber => {
    added += 1;
    const at = clock.now().toISOString();
    const subscriber = makeSubscriber(
      fields.email ?? `reader${added}@example.org`,
      `sub-${added.toString().padStart(5, '0')}`,
      at,
      fields,
    );
    core.store.seed(subscriber);
    index.put(subscriber);
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

  return {
    app,
    deps,
    store: core.store,
    suppressions: core.suppressions,
    mailer,
    clock,
    site,
    outbox,
    logger: core.logger,
    timer,
    posts,
    services,
    editions,
    ledger,
    subscribers: index,
    objects,
    queue,
    addSubscriber,
    drain,
  };
}

export type TestApp = ReturnType<typeof createTestApp>;

/** The bindings a request from `ip` carries on Lambda (API Gateway HTTP API). */
export function fromIp(ip: string) {
  return { requestContext: { http: { sourceIp: ip } } };
}

/** Form-encoded POST init. */
export function form(
  fields: Record<string, string | string[]>,
  headers: Record<string, string> = {},
): RequestInit {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  return {
    method: 'POST',
    body: body.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
  };
}

/** JSON POST init. */
export function json(value: unknown, headers: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    body: typeof value === 'string' ? value : JSON.stringify(value),
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...headers },
  };
}

/** The links in a sent message's text part. */
export async function linksIn(raw: Uint8Array): Promise<string[]> {
  const parsed = await PostalMime.parse(new TextDecoder().decode(raw));
  return [...(parsed.text ?? '').matchAll(/https?:\/\/\S+/g)].map((m) => m[0]);
}

/** The path and query of the confirm link in the n-th sent message. */
export async function confirmPath(mailer: MemoryMailer, n = 0): Promise<string> {
  const mail = mailer.sent[n];
  if (!mail) throw new Error(`no message #${n} was sent`);
  const link = (await linksIn(mail.raw)).find((l) => l.includes('/confirm?token='));
  if (!link) throw new Error('no confirm link in the message');
  const url = new URL(link);
  return `${url.pathname}${url.search}`;
}
