/**
 * The web app with the editor API and the console, on in-memory ports: the real delivery
 * services (fan-out, preview, test send, progress), the real templates, signer and mail
 * composer, for `app.request()` tests.
 */
import { join } from 'node:path';
import { createDeliveryServices } from '../../../adapters/compose/create-delivery-services.js';
import { readTemplates } from '../../../adapters/fs/read-templates.js';
import type { SendBatch } from '../../../core/edition.js';
import { emailKeyOf } from '../../../core/email-key.js';
import type { Post, Publication } from '../../../core/model.js';
import type { SubscriberDirectory } from '../../../core/ports.js';
import { renderPost } from '../../../core/render/render-post.js';
import type { Subscriber } from '../../../core/subscriber.js';
import { createApp } from '../../../web/create-app.js';
import type { EditorAuth } from '../../../web/editor/editor-deps.js';
import type { WebDeps } from '../../../web/web-deps.js';
import {
  createMemorySubscriptionDeps,
  MemoryMailer,
  MemoryObjectStore,
  MemoryRateLimiter,
  type MemorySubscriberStore,
  TEST_SECRET,
} from '../../support/memory-adapters.js';
import {
  MemoryDeliveryLedger,
  MemoryEditionStore,
  MemoryQueue,
  MemorySubscriberIndex,
  VirtualSleeper,
} from '../../support/memory-delivery.js';

export const ORIGIN = 'http://127.0.0.1:3999';
export const EDITOR_TOKEN = 'editor-token-for-tests-0123456789';

export const publication: Publication = {
  title: 'Test Letters',
  description: 'A publication for tests.',
  url: `${ORIGIN}/`,
  language: 'en',
  timeZone: 'Europe/Berlin',
  author: { name: 'Desk' },
  email: { from: { name: 'Test Letters', address: 'letters@example.org' }, replyTo: 'desk@example.org' },
  postalAddress: '1 Test Street\n10000 Testing',
  schedule: {
    daily: { time: '07:00', timeZone: 'Europe/Berlin' },
    weekly: { day: 'friday', time: '09:00', timeZone: 'Europe/Berlin' },
  },
  feed: { items: 20, content: 'full' },
};

const templates = await readTemplates(join(import.meta.dirname, '..', '..', '..', 'templates'));

/** A post as written. */
export function post(slug: string, date: string, extra: Partial<Post> = {}): Post {
  return {
    slug,
    title: `Title of ${slug}`,
    date: new Date(date),
    tags: ['europe'],
    draft: false,
    body: `Body of ${slug}.`,
    source: { file: `posts/${slug}.md`, bodyLine: 6 },
    ...extra,
  };
}

/** The subscriber store read page by page, like the DynamoDB directory. */
export class MemoryDirectory implements SubscriberDirectory {
  constructor(private readonly store: MemorySubscriberStore) {}
  async page(cursor: string | undefined, limit: number) {
    const all = this.store.all().sort((a, b) => (a.emailKey < b.emailKey ? -1 : 1));
    const from = cursor === undefined ? 0 : all.findIndex((s) => s.emailKey > cursor);
    const slice = from < 0 ? [] : all.slice(from, from + limit);
    const more = from >= 0 && from + limit < all.length;
    return { subscribers: slice, cursor: more ? slice[slice.length - 1]?.emailKey : undefined };
  }
}

export function createConsoleTestApp(
  options: { posts?: Post[]; now?: string; auth?: EditorAuth; baseUrl?: string } = {},
) {
  const { deps: core, clock } = createMemorySubscriptionDeps(options.now ?? '2026-11-27T10:00:00Z');
  const mailer = new MemoryMailer();
  const posts: Post[] = options.posts ?? [
    post('first-post', '2026-11-24T08:00:00Z', { tags: ['europe', 'trade'] }),
    post('second-post', '2026-11-26T08:00:00Z', { tags: ['security'] }),
    post('in-the-future', '2026-12-24T08:00:00Z'),
    post('a-draft', '2026-11-20T08:00:00Z', { draft: true }),
  ];
  const editions = new MemoryEditionStore();
  const ledger = new MemoryDeliveryLedger();
  const index = new MemorySubscriberIndex();
  const objects = new MemoryObjectStore(clock);
  const queue = new MemoryQueue<SendBatch>(clock, { visibilityTimeoutSeconds: 60, maxReceives: 5 });
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
        posts.filter((p) => !p.draft && p.date <= clock.now()).map((p) => renderPost(p, publication)),
      emailTemplates: templates.email,
    },
  );
  const directory = new MemoryDirectory(core.store);
  const deps: WebDeps = {
    publication,
    baseUrl: options.baseUrl ?? `${ORIGIN}/`,
    store: core.store,
    suppressions: core.suppressions,
    rateLimiter: new MemoryRateLimiter(),
    signer: core.signer,
    mailer,
    clock,
    logger: core.logger,
    siteTemplates: templates.site,
    emailTemplates: templates.email,
    topics: () => ['europe', 'security', 'trade'],
    ipHashKey: 'test-ip-key',
    newId: core.newId,
    editor: { auth: options.auth ?? { kind: 'bearer', token: EDITOR_TOKEN }, services },
    console: { posts: () => posts, directory, sessionSecret: TEST_SECRET },
  };
  const app = createApp(deps);

  /** Adds an active subscriber to the list and to the fan-out index. */
  const addSubscriber = (email: string, cadence: Subscriber['cadence'] = 'weekly'): Subscriber => {
    const n = core.store.all().length + 1;
    const subscriber: Subscriber = {
      emailKey: emailKeyOf(email),
      id: `seeded-${n}`,
      email,
      status: 'active',
      cadence,
      topics: [],
      consent: { at: '2026-11-01T00:00:00Z', form: 'subscribe-page', ipHash: '', userAgent: 'test' },
      createdAt: '2026-11-01T00:00:00Z',
      updatedAt: '2026-11-01T00:00:00Z',
      softBounces: 0,
      shard: n % 16,
      version: 1,
    };
    core.store.seed(subscriber);
    index.put(subscriber);
    return subscriber;
  };

  return {
    app,
    deps,
    clock,
    mailer,
    store: core.store,
    suppressions: core.suppressions,
    editions,
    queue,
    posts,
    addSubscriber,
  };
}

export type ConsoleTestApp = ReturnType<typeof createConsoleTestApp>;

/** Signs in with the editor token: the session cookie and the page's CSRF token. */
export async function signIn(t: ConsoleTestApp): Promise<{ cookie: string; csrf: string }> {
  const res = await t.app.request(`${ORIGIN}/editor?token=${EDITOR_TOKEN}`);
  const set = res.headers.get('set-cookie') ?? '';
  const cookie = set.split(';')[0] ?? '';
  if (!cookie.startsWith('gazette_console=')) throw new Error(`no session cookie: ${set}`);
  const page = await t.app.request(`${ORIGIN}/editor/console/subscribers`, { headers: { cookie } });
  const csrf = /name="csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on the page');
  return { cookie, csrf };
}

/** A same-origin form POST as a browser sends it. */
export function formPost(
  session: { cookie: string },
  fields: Record<string, string> | FormData,
  headers: Record<string, string> = {},
): RequestInit {
  const body = fields instanceof FormData ? fields : new URLSearchParams(fields);
  return {
    method: 'POST',
    body,
    headers: {
      cookie: session.cookie,
      origin: ORIGIN,
      'sec-fetch-site': 'same-origin',
      ...(fields instanceof FormData ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      ...headers,
    },
  };
}
