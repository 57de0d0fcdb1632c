/**
 * In-memory implementations of the subscriber-side ports, for fast unit tests. They keep the
 * contracts of the real adapters (conditional writes, versions, copies on read and write) so a
 * use case that passes here behaves the same against DynamoDB.
 */
import { createHash } from 'node:crypto';
import { HmacTokenSigner } from '../../adapters/crypto/hmac-token-signer.js';
import type {
  Clock,
  Logger,
  Mailer,
  ObjectStore,
  OutgoingMail,
  RateDecision,
  RateLimiter,
  StoredObject,
  SubscriberDirectory,
  SubscriberStore,
  SuppressionList,
  WriteResult,
} from '../../core/ports.js';
import type { Subscriber, SubscriberStatus, Suppression } from '../../core/subscriber.js';

/** A clock the test sets and moves. */
export class ManualClock implements Clock {
  private current: Date;
  constructor(start: Date | string = '2026-11-27T10:00:00Z') {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export class MemorySubscriberStore implements SubscriberStore {
  private readonly records = new Map<string, Subscriber>();
  /** Runs before every conditional write; a test can write in between to provoke a conflict. */
  beforeWrite?: ((emailKey: string) => void | Promise<void>) | undefined;
  writes = 0;

  async get(emailKey: string): Promise<Subscriber | undefined> {
    const found = this.records.get(emailKey);
    return found ? structuredClone(found) : undefined;
  }

  async create(subscriber: Subscriber): Promise<WriteResult> {
    await this.beforeWrite?.(subscriber.emailKey);
    if (this.records.has(subscriber.emailKey)) return { ok: false, reason: 'exists' };
    this.records.set(subscriber.emailKey, clean(subscriber));
    this.writes++;
    return { ok: true };
  }

  async update(subscriber: Subscriber, expectedVersion: number): Promise<WriteResult> {
    await this.beforeWrite?.(subscriber.emailKey);
    const current = this.records.get(subscriber.emailKey);
    if (!current) return { ok: false, reason: 'missing' };
    if (current.version !== expectedVersion) return { ok: false, reason: 'conflict' };
    this.records.set(subscriber.emailKey, clean(subscriber));
    this.writes++;
    return { ok: true };
  }

  async delete(emailKey: string): Promise<void> {
    this.records.delete(emailKey);
  }

  async count(): Promise<Record<SubscriberStatus, Record<string, number>>> {
    const out: Record<SubscriberStatus, Record<string, number>> = {
      pending: {},
      active: {},
      unsubscribed: {},
      suppressed: {},
    };
    for (const s of this.records.values()) out[s.status][s.cadence] = (out[s.status][s.cadence] ?? 0) + 1;
    return out;
  }

  /** Every record, for assertions. */
  all(): Subscriber[] {
    return [...this.records.values()].map((s) => structuredClone(s));
  }

  /** Writes a record as is, bypassing the version check (test setup). */
  seed(subscriber: Subscriber): void {
    this.records.set(subscriber.emailKey, clean(subscriber));
  }
}

/** Drops `undefined` fields, as DynamoDB does when it stores an item. */
function clean<T extends object>(value: T): T {
  return structuredClone(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T);
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

export class MemorySuppressionList implements SuppressionList {
  private readonly entries = new Map<string, Suppression>();
  async get(emailKey: string): Promise<Suppression | undefined> {
    const found = this.entries.get(emailKey);
    return found ? structuredClone(found) : undefined;
  }
  async put(suppression: Suppression): Promise<void> {
    this.entries.set(suppression.emailKey, clean(suppression));
  }
  async remove(emailKey: string): Promise<void> {
    this.entries.delete(emailKey);
  }
  async list(): Promise<Suppression[]> {
    return [...this.entries.values()].map((s) => structuredClone(s));
  }
}

/** Fixed windows aligned on multiples of the window length, like the DynamoDB counters. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counters = new Map<string, number>();
  async hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateDecision> {
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const windowStart = nowSeconds - (nowSeconds % windowSeconds);
    const id = `${key}#${windowStart}`;
    const count = (this.counters.get(id) ?? 0) + 1;
    this.counters.set(id, count);
    if (count <= limit) return { allowed: true, retryAfterSeconds: 0 };
    return { allowed: false, retryAfterSeconds: windowStart + windowSeconds - nowSeconds };
  }
}

/** Keeps every message; can be told to fail. */
export class MemoryMailer implements Mailer {
  readonly sent: Array<OutgoingMail & { messageId: string }> = [];
  /** When set, `send` throws it (once per call) instead of sending. */
  failWith?: Error | undefined;
  private counter = 0;
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    if (this.failWith) throw this.failWith;
    this.counter++;
    const messageId = `memory-${this.counter.toString().padStart(6, '0')}`;
    this.sent.push({ ...mail, raw: new Uint8Array(mail.raw), messageId });
    return { messageId };
  }
  /** The raw MIME of each message, as text. */
  texts(): string[] {
    return this.sent.map((m) => new TextDecoder().decode(m.raw));
  }
}

export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, StoredObject & { cacheControl?: string | undefined }>();
  constructor(private readonly clock: Clock = new ManualClock()) {}
  async get(key: string): Promise<StoredObject | undefined> {
    const found = this.objects.get(key);
    return found ? { ...found, body: new Uint8Array(found.body) } : undefined;
  }
  async put(
    key: string,
    body: Uint8Array | string,
    options: { contentType: string; cacheControl?: string },
  ): Promise<void> {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
    const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
    // HTTP dates have whole seconds; so does S3's Last-Modified.
    const lastModified = new Date(Math.floor(this.clock.now().getTime() / 1000) * 1000);
    this.objects.set(key, {
      body: bytes,
      contentType: options.contentType,
      etag,
      lastModified,
      cacheControl: options.cacheControl,
    });
  }
  async list(prefix = ''): Promise<Array<{ key: string; etag: string }>> {
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, o]) => ({ key, etag: o.etag }))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
  }
  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.objects.delete(key);
  }
}

/** Collects log lines for assertions. */
export class MemoryLogger implements Logger {
  readonly lines: Array<{
    level: 'info' | 'warn' | 'error';
    message: string;
    fields?: Record<string, unknown> | undefined;
  }> = [];
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

/** Everything the subscription use cases need, in memory, with a real HMAC signer. */
export function createMemorySubscriptionDeps(start?: Date | string) {
  const clock = new ManualClock(start);
  const confirmations: Array<{ to: string; confirmUrl: string }> = [];
  let ids = 0;
  const deps = {
    store: new MemorySubscriberStore(),
    suppressions: new MemorySuppressionList(),
    signer: new HmacTokenSigner({ id: 'test', secret: TEST_SECRET }),
    clock,
    logger: new MemoryLogger(),
    baseUrl: 'https://news.example.org/',
    newId: () => `sub-${(++ids).toString().padStart(4, '0')}`,
    sendConfirmation: async (mail: { to: string; confirmUrl: string }) => {
      confirmations.push(mail);
      return { messageId: `confirmation-${confirmations.length}` };
    },
  };
  return { deps, clock, confirmations };
}

/** A fixed 32-byte test key (base64url); never used outside tests. */
export const TEST_SECRET = 'dGVzdC1zZWNyZXQtdGVzdC1zZWNyZXQtdGVzdC1zZWNyZXQ';
