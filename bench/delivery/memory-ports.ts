/**
 * Lean in-memory ports for the CPU and fan-out benchmarks: plain Maps, no copies, no yields, so
 * what is measured is the delivery engine's own work, not a test double's. They keep the
 * contracts the engine relies on (conditional claim, guarded settle, sharded pages).
 */
import { createHash } from 'node:crypto';
import type {
  Delivery,
  DeliveryStatus,
  Edition,
  EditionState,
  EditionVariant,
  SendBatch,
  ShardProgress,
} from '../../core/edition.js';
import type { Cadence } from '../../core/model.js';
import type {
  DeliveryLedger,
  EditionStore,
  FanOutEntry,
  ObjectStore,
  Queue,
  StoredObject,
  SubscriberIndex,
  WriteResult,
} from '../../core/ports.js';
import { FANOUT_SHARDS, type Subscriber } from '../../core/subscriber.js';
import { shardOf } from '../../core/subscriptions/subscribe.js';

export class LeanEditionStore implements EditionStore {
  readonly records = new Map<string, Edition>();
  async get(id: string) {
    return this.records.get(id);
  }
  async create(edition: Edition): Promise<WriteResult> {
    if (this.records.has(edition.id)) return { ok: false, reason: 'exists' };
    this.records.set(edition.id, structuredClone(edition));
    return { ok: true };
  }
  async latest(cadence: Cadence) {
    return [...this.records.values()]
      .filter((e) => e.cadence === cadence)
      .sort((a, b) => (a.windowEnd < b.windowEnd ? 1 : -1))[0];
  }
  async list(limit: number) {
    return [...this.records.values()].slice(0, limit);
  }
  async recordShard(id: string, shard: string, progress: ShardProgress) {
    this.must(id).shards[shard] = { ...progress };
  }
  async setState(id: string, state: EditionState) {
    this.must(id).state = state;
  }
  async markFannedOut(id: string, at: Date) {
    this.must(id).fannedOutAt = at.toISOString();
  }
  async addVariant(id: string, variant: EditionVariant) {
    const e = this.must(id);
    if (!e.variants.some((v) => v.key === variant.key)) e.variants.push(variant);
  }
  private must(id: string): Edition {
    const e = this.records.get(id);
    if (!e) throw new Error(`no edition ${id}`);
    return e;
  }
}

export class LeanLedger implements DeliveryLedger {
  readonly rows = new Map<string, Delivery>();
  async getMany(editionId: string, ids: string[]) {
    const out = new Map<string, Delivery>();
    for (const id of ids) {
      const row = this.rows.get(`${editionId}\u0000${id}`);
      if (row) out.set(id, row);
    }
    return out;
  }
  async claim(row: Delivery): Promise<WriteResult> {
    const key = `${row.editionId}\u0000${row.subscriberId}`;
    if (this.rows.has(key)) return { ok: false, reason: 'exists' };
    this.rows.set(key, { ...row });
    return { ok: true };
  }
  async settle(
    editionId: string,
    subscriberId: string,
    change: { status: DeliveryStatus; messageId?: string; reason?: string; at: Date },
    guard: { attempt?: string; fromStatus?: DeliveryStatus },
  ): Promise<WriteResult> {
    const row = this.rows.get(`${editionId}\u0000${subscriberId}`);
    if (!row) return { ok: false, reason: 'missing' };
    if (guard.attempt !== undefined && (row.attempt !== guard.attempt || row.status !== 'sending'))
      return { ok: false, reason: 'conflict' };
    if (guard.fromStatus !== undefined && row.status !== guard.fromStatus)
      return { ok: false, reason: 'conflict' };
    row.status = change.status;
    row.messageId = change.messageId ?? row.messageId;
    row.reason = change.reason;
    row.updatedAt = change.at.toISOString();
    return { ok: true };
  }
  async markSent(
    editionId: string,
    rows: Array<{ subscriberId: string; messageId: string; attempt: string }>,
    at: Date,
  ) {
    for (const r of rows) {
      const row = this.rows.get(`${editionId}\u0000${r.subscriberId}`);
      if (!row || row.attempt !== r.attempt) continue;
      row.status = 'sent';
      row.messageId = r.messageId;
      row.updatedAt = at.toISOString();
    }
  }
  async release(editionId: string, subscriberId: string, attempt: string): Promise<WriteResult> {
    const key = `${editionId}\u0000${subscriberId}`;
    const row = this.rows.get(key);
    if (!row || row.attempt !== attempt || row.status !== 'sending') return { ok: false, reason: 'conflict' };
    this.rows.delete(key);
    return { ok: true };
  }
  async count(editionId: string) {
    const out = { sending: 0, sent: 0, failed: 0, unknown: 0, skipped: 0, deadLettered: 0 };
    for (const row of this.rows.values()) if (row.editionId === editionId) out[row.status] += 1;
    return out;
  }
  async findByMessageId(messageId: string) {
    for (const row of this.rows.values()) if (row.messageId === messageId) return row;
    return undefined;
  }
}

/** The sharded fan-out index over subscribers held in memory. */
export class LeanSubscriberIndex implements SubscriberIndex {
  private readonly byKey = new Map<string, Subscriber>();
  private readonly shards = new Map<string, FanOutEntry[]>();

  constructor(subscribers: readonly Subscriber[]) {
    for (const s of subscribers) {
      this.byKey.set(s.emailKey, s);
      if (s.status !== 'active') continue;
      const key = `${s.cadence}#${s.shard}`;
      let list = this.shards.get(key);
      if (!list) {
        list = [];
        this.shards.set(key, list);
      }
      list.push({ subscriberId: s.id, emailKey: s.emailKey, topics: s.topics });
    }
    for (const list of this.shards.values()) list.sort((a, b) => (a.subscriberId < b.subscriberId ? -1 : 1));
  }
  async page(cadence: Cadence, shard: number, cursor: string | undefined, limit: number) {
    const list = this.shards.get(`${cadence}#${shard}`) ?? [];
    const from = cursor === undefined ? 0 : Number(cursor);
    const entries = list.slice(from, from + limit);
    return { entries, cursor: from + limit < list.length ? String(from + limit) : undefined };
  }
  async getMany(emailKeys: string[]) {
    const out = new Map<string, Subscriber>();
    for (const k of emailKeys) {
      const s = this.byKey.get(k);
      if (s) out.set(k, s);
    }
    return out;
  }
}

export class LeanObjectStore implements ObjectStore {
  private readonly objects = new Map<string, StoredObject>();
  async get(key: string) {
    return this.objects.get(key);
  }
  async put(key: string, body: Uint8Array | string, options: { contentType: string }) {
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
    this.objects.set(key, {
      body: bytes,
      contentType: options.contentType,
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      lastModified: new Date(0),
    });
  }
  async list(prefix = '') {
    return [...this.objects].filter(([k]) => k.startsWith(prefix)).map(([key, o]) => ({ key, etag: o.etag }));
  }
  async delete(keys: string[]) {
    for (const k of keys) this.objects.delete(k);
  }
}

/** A queue that keeps the batches it is given (after the JSON round trip SQS makes them take). */
export class CollectingQueue implements Queue<SendBatch> {
  batches: SendBatch[] = [];
  calls = 0;
  async sendBatch(bodies: SendBatch[]) {
    for (let i = 0; i < bodies.length; i += 10) {
      this.calls += 1;
      for (const body of bodies.slice(i, i + 10))
        this.batches.push(JSON.parse(JSON.stringify(body)) as SendBatch);
    }
  }
  recipients(): number {
    return this.batches.reduce((n, b) => n + b.recipients.length, 0);
  }
}

/** `count` active subscribers of a cadence, spread over the shards as subscribing spreads them. */
export function syntheticSubscribers(count: number, cadence: Cadence, prefix = 'bench'): Subscriber[] {
  const at = '2026-01-01T00:00:00.000Z';
  return Array.from({ length: count }, (_, i) => {
    const email = `${prefix}-reader-${i}@bench.example.com`;
    const id = `${prefix}-${String(i).padStart(6, '0')}-${createHash('sha256').update(email).digest('hex').slice(0, 8)}`;
    return {
      emailKey: createHash('sha256').update(email).digest('hex'),
      id,
      email,
      status: 'active',
      cadence,
      topics: [],
      consent: { at, form: 'import', ipHash: '', userAgent: 'bench', importedConsent: true },
      createdAt: at,
      updatedAt: at,
      softBounces: 0,
      shard: shardOf(id),
      version: 1,
    } satisfies Subscriber;
  });
}

/** Subscribers per shard, to show the spread fan-out reads in parallel. */
export function shardSpread(subscribers: readonly Subscriber[]): { min: number; max: number } {
  const counts = new Array<number>(FANOUT_SHARDS).fill(0);
  for (const s of subscribers) counts[s.shard] = (counts[s.shard] ?? 0) + 1;
  return { min: Math.min(...counts), max: Math.max(...counts) };
}
