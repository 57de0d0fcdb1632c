/** A web app on in-memory ports with the real templates, signer and mail composer, for `app.request()` tests. */
import { join } from 'node:path';
import PostalMime from 'postal-mime';
import { readTemplates } from '../../../adapters/fs/read-templates.js';
import type { Publication } from '../../../core/model.js';
import type { Mailer } from '../../../core/ports.js';
import { createApp } from '../../../web/create-app.js';
import type { OutboxMessage, WebDeps } from '../../../web/web-deps.js';
import {
  createMemorySubscriptionDeps,
  MemoryMailer,
  MemoryObjectStore,
  MemoryRateLimiter,
} from '../../support/memory-adapters.js';

export const publication: Publication = {
  title: 'Test Letters',
  description: 'A publication for tests.',
  url: 'http://127.0.0.1:3999/',
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

export interface TestAppOptions {
  rateLimits?: WebDeps['rateLimits'];
  maxBodyBytes?: number;
  local?: boolean;
  outbox?: OutboxMessage[];
  /** Virtual milliseconds each mail send takes (see `timer`); default 0. */
  mailDelayMs?: number;
  /** Answer pacing of POST /subscribe, on the virtual timer; default floor 0 (no waiting). */
  pacing?: { floorMs?: number; ceilingMs?: number };
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
  const { deps: core, clock } = createMemorySubscriptionDeps();
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
  const deps: WebDeps = {
    publication,
    baseUrl: 'http://127.0.0.1:3999/',
    store: core.store,
    suppressions: core.suppressions,
    rateLimiter: new MemoryRateLimiter(),
    signer: core.signer,
    mailer: slowMailer,
    clock,
    logger: core.logger,
    siteTemplates: templates.site,
    emailTemplates: templates.email,
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
  };
  const app = createApp(deps);
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
  };
}

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
