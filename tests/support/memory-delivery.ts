/**
 * In-memory implementations of the delivery engine's ports, for unit tests that run the whole
 * pipeline (fan-out → queue → send worker → ledger) in one process and in virtual time. They keep
 * the contracts the real adapters keep: conditional writes, copies on read and write, the SQS
 * semantics the worker relies on, and a mailer that fails the ways SES fails.
 */
import { HmacTokenSigner } from '../../adapters/crypto/hmac-token-signer.js';
import { isDeadLettered } from '../../core/delivery/dead-letter.js';
import { createSendWorker, type SendWorker, type SendWorkerDeps } from '../../core/delivery/send-worker.js';
import type {
  Delivery,
  DeliveryStatus,
  Edition,
  EditionState,
  EditionVariant,
  SendBatch,
  ShardProgress,
} from '../../core/edition.js';
import { MailerError } from '../../core/mailer-error.js';
import type { Cadence } from '../../core/model.js';
import type {
  BatchResult,
  Clock,
  DeliveryLedger,
  EditionStore,
  FanOutEntry,
  Mailer,
  OutgoingMail,
  Queue,
  ReceivedMessage,
  Sleeper,
  SubscriberIndex,
  WriteResult,
} from '../../core/ports.js';
import type { Subscriber } from '../../core/subscriber.js';
import { ManualClock, TEST_SECRET } from './memory-adapters.js';
import { MortalProcess } from './mortal-process.js';
import { seededRandom } from './seeded-random.js';

export { ManualClock };

/** Sequential ids with a prefix: `attempt-0001`, … */
export function sequentialIds(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${(++n).toString().padStart(4, '0')}`;
}

/**
 * Sleeping in virtual time: the clock jumps to the end of the sleep (never backwards, so
 * concurrent sleepers leave it at the latest wake-up), then the sleeper yields to the event loop
 * so other tasks interleave as they would in real time.
 */
export class VirtualSleeper implements Sleeper {
  totalMs = 0;
  calls = 0;
  constructor(private readonly clock: ManualClock) {}
  async sleep(ms: number): Promise<void> {
    this.calls += 1;
    this.totalMs += ms;
    const wake = this.clock.now().getTime() + ms;
    await new Promise((resolve) => setImmediate(resolve));
    if (this.clock.now().getTime() < wake) this.clock.set(new Date(wake));
  }
}

// ---------------------------------------------------------------------------------------------
// Editions
// ---------------------------------------------------------------------------------------------

export class MemoryEditionStore implements EditionStore {
  private readonly records = new Map<string, Edition>();
  creates = 0;
  createAttempts = 0;

  async get(id: string): Promise<Edition | undefined> {
    const found = this.records.get(id);
    return found ? structuredClone(found) : undefined;
  }
  async create(edition: Edition): Promise<WriteResult> {
    this.createAttempts += 1;
    await tick();
    if (this.records.has(edition.id)) return { ok: false, reason: 'exists' };
    this.records.set(edition.id, structuredClone(edition));
    this.creates += 1;
    return { ok: true };
  }
  async latest(cadence: Cadence): Promise<Edition | undefined> {
    let best: Edition | undefined;
    for (const e of this.records.values()) {
      if (e.cadence === cadence && (!best || Date.parse(e.windowEnd) > Date.parse(best.windowEnd))) best = e;
    }
    return best ? structuredClone(best) : undefined;
  }
  async list(limit: number): Promise<Edition[]> {
    return [...this.records.values()]
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .slice(0, limit)
      .map((e) => structuredClone(e));
  }
  async recordShard(id: string, shard: string, progress: ShardProgress): Promise<void> {
    const e = this.must(id);
    e.shards[shard] = { ...progress };
  }
  async setState(id: string, state: EditionState, at: Date): Promise<void> {
    const e = this.must(id);
    e.state = state;
    if (state === 'paused') e.pausedAt = at.toISOString();
    if (state === 'done') e.doneAt = at.toISOString();
  }
  async markFannedOut(id: string, at: Date): Promise<void> {
    this.must(id).fannedOutAt = at.toISOString();
  }
  async addVariant(id: string, variant: EditionVariant): Promise<void> {
    const e = this.must(id);
    if (!e.variants.some((v) => v.key === variant.key)) e.variants.push(structuredClone(variant));
  }
  /** Every edition, for assertions. */
  all(): Edition[] {
    return [...this.records.values()].map((e) => structuredClone(e));
  }
  private must(id: string): Edition {
    const e = this.records.get(id);
    if (!e) throw new Error(`no edition ${id}`);
    return e;
  }
}

// ---------------------------------------------------------------------------------------------
// Delivery ledger
// ---------------------------------------------------------------------------------------------

/**
 * Single-item conditional writes, as the DynamoDB ledger does them:
 * - claim: only if no row;
 * - settle with `attempt`: only if that attempt holds the row and it is still `sending`;
 *   with `fromStatus`: only if the row still has that status;
 * - markSent: rows this attempt holds that are `sending` or `unknown`;
 * - release: deletes the row only if this attempt holds it and it is `sending`.
 */
export class MemoryDeliveryLedger implements DeliveryLedger {
  private readonly rows = new Map<string, Delivery>();
  /** Every successful write, in order: what a test can replay to see the story of a row. */
  readonly history: Array<{ op: string; editionId: string; subscriberId: string; status?: DeliveryStatus }> =
    [];
  /** Subscribers whose next claim kills the worker before anything is written (a crash before the claim). */
  readonly crashBeforeClaim = new Set<string>();

  async getMany(editionId: string, subscriberIds: string[]): Promise<Map<string, Delivery>> {
    await tick();
    const out = new Map<string, Delivery>();
    for (const id of subscriberIds) {
      const row = this.rows.get(key(editionId, id));
      if (row) out.set(id, structuredClone(row));
    }
    return out;
  }
  async claim(row: Delivery): Promise<WriteResult> {
    await tick();
    if (row.status === 'sending' && this.crashBeforeClaim.delete(row.subscriberId)) {
      throw new CrashError(`crash before claiming ${row.subscriberId}`);
    }
    const k = key(row.editionId, row.subscriberId);
    if (this.rows.has(k)) return { ok: false, reason: 'exists' };
    this.rows.set(k, clean(row));
    this.history.push({
      op: 'claim',
      editionId: row.editionId,
      subscriberId: row.subscriberId,
      status: row.status,
    });
    return { ok: true };
  }
  async settle(
    editionId: string,
    subscriberId: string,
    change: { status: DeliveryStatus; messageId?: string; reason?: string; at: Date },
    guard: { attempt?: string; fromStatus?: DeliveryStatus },
  ): Promise<WriteResult> {
    await tick();
    const row = this.rows.get(key(editionId, subscriberId));
    if (!row) return { ok: false, reason: 'missing' };
    if (guard.attempt !== undefined && (row.attempt !== guard.attempt || row.status !== 'sending')) {
      return { ok: false, reason: 'conflict' };
    }
    if (guard.fromStatus !== undefined && row.status !== guard.fromStatus)
      return { ok: false, reason: 'conflict' };
    row.status = change.status;
    if (change.messageId !== undefined) row.messageId = change.messageId;
    if (change.reason !== undefined) row.reason = change.reason;
    row.updatedAt = change.at.toISOString();
    this.history.push({ op: 'settle', editionId, subscriberId, status: change.status });
    return { ok: true };
  }
  async markSent(
    editionId: string,
    rows: Array<{ subscriberId: string; messageId: string; attempt: string }>,
    at: Date,
  ): Promise<void> {
    await tick();
    for (const r of rows) {
      const row = this.rows.get(key(editionId, r.subscriberId));
      if (!row || row.attempt !== r.attempt || (row.status !== 'sending' && row.status !== 'unknown'))
        continue;
      row.status = 'sent';
      row.messageId = r.messageId;
      row.updatedAt = at.toISOString();
      this.history.push({ op: 'markSent', editionId, subscriberId: r.subscriberId, status: 'sent' });
    }
  }
  async release(editionId: string, subscriberId: string, attempt: string): Promise<WriteResult> {
    await tick();
    const k = key(editionId, subscriberId);
    const row = this.rows.get(k);
    if (!row) return { ok: false, reason: 'missing' };
    if (row.attempt !== attempt || row.status !== 'sending') return { ok: false, reason: 'conflict' };
    this.rows.delete(k);
    this.history.push({ op: 'release', editionId, subscriberId });
    return { ok: true };
  }
  async count(editionId: string): Promise<Record<DeliveryStatus, number> & { deadLettered: number }> {
    const out = { sending: 0, sent: 0, failed: 0, unknown: 0, skipped: 0, deadLettered: 0 };
    for (const row of this.rows.values()) {
      if (row.editionId !== editionId) continue;
      out[row.status] += 1;
      if (isDeadLettered(row)) out.deadLettered += 1;
    }
    return out;
  }
  async findByMessageId(messageId: string): Promise<Delivery | undefined> {
    for (const row of this.rows.values()) if (row.messageId === messageId) return structuredClone(row);
    return undefined;
  }
  /** Every row of an edition, for assertions. */
  rowsOf(editionId: string): Delivery[] {
    return [...this.rows.values()].filter((r) => r.editionId === editionId).map((r) => structuredClone(r));
  }
  /** Writes a row as is (test setup: a claim left by a worker that died). */
  seed(row: Delivery): void {
    this.rows.set(key(row.editionId, row.subscriberId), clean(row));
  }
}

function key(editionId: string, subscriberId: string): string {
  return `${editionId}\u0000${subscriberId}`;
}

function clean<T extends object>(value: T): T {
  return structuredClone(Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T);
}

/** Lets other tasks run between the steps of a port call, as a network round trip would. */
function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

// ---------------------------------------------------------------------------------------------
// Subscriber index
// ---------------------------------------------------------------------------------------------

/** The sparse, sharded fan-out index over a set of subscribers: only `active` ones are listed. */
export class MemorySubscriberIndex implements SubscriberIndex {
  private readonly records = new Map<string, Subscriber>();
  pages = 0;

  put(subscriber: Subscriber): void {
    this.records.set(subscriber.emailKey, structuredClone(subscriber));
  }
  /** Changes a subscriber's status (an unsubscribe, a suppression) as the subscription use cases would. */
  setStatus(emailKey: string, status: Subscriber['status']): void {
    const s = this.records.get(emailKey);
    if (!s) throw new Error(`no subscriber ${emailKey}`);
    s.status = status;
    s.version += 1;
  }
  remove(emailKey: string): void {
    this.records.delete(emailKey);
  }
  all(): Subscriber[] {
    return [...this.records.values()].map((s) => structuredClone(s));
  }

  async page(
    cadence: Cadence,
    shard: number,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ entries: FanOutEntry[]; cursor: string | undefined }> {
    this.pages += 1;
    await tick();
    const matching = [...this.records.values()]
      .filter((s) => s.status === 'active' && s.cadence === cadence && s.shard === shard)
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const from = cursor === undefined ? 0 : matching.findIndex((s) => s.id > cursor);
    const slice = from < 0 ? [] : matching.slice(from, from + limit);
    const more = from >= 0 && from + limit < matching.length;
    return {
      entries: slice.map((s) => ({ subscriberId: s.id, emailKey: s.emailKey, topics: [...s.topics] })),
      cursor: more ? slice[slice.length - 1]?.id : undefined,
    };
  }
  async getMany(emailKeys: string[]): Promise<Map<string, Subscriber>> {
    await tick();
    const out = new Map<string, Subscriber>();
    for (const k of emailKeys) {
      const s = this.records.get(k);
      if (s) out.set(k, structuredClone(s));
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Queue
// ---------------------------------------------------------------------------------------------

interface QueueEntry {
  messageId: string;
  body: string;
  visibleAt: number;
  receiveCount: number;
  /** The receipt of the receive that holds it, while in flight. */
  receipt: string | undefined;
}

/**
 * The send queue with the SQS semantics the worker relies on, in virtual time: bodies travel as
 * JSON; `delaySeconds` hides a message for a while; a received message is invisible for the
 * visibility timeout and deleted only when its batch reports success; a failed id (or a consumer
 * that never answers: a crash) becomes visible again when the timeout has passed; every receive
 * counts, and a message already received `maxReceives` times goes to the dead-letter list instead
 * of being delivered again.
 */
export class MemoryQueue<T> implements Queue<T> {
  readonly deadLetters: Array<{ messageId: string; body: T; receiveCount: number }> = [];
  /** Calls to the provider's batch send (10 entries at most each). */
  batchCalls = 0;
  sent = 0;
  received = 0;
  private readonly entries = new Map<string, QueueEntry>();
  private seq = 0;

  constructor(
    private readonly clock: ManualClock,
    readonly options: { visibilityTimeoutSeconds: number; maxReceives: number } = {
      visibilityTimeoutSeconds: 60,
      maxReceives: 5,
    },
  ) {}

  async sendBatch(bodies: T[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delay = options.delaySeconds ?? 0;
    if (delay < 0 || delay > 900) throw new Error(`delaySeconds ${delay} outside 0…900`);
    for (let i = 0; i < bodies.length; i += 10) {
      this.batchCalls += 1;
      await tick();
      for (const body of bodies.slice(i, i + 10)) {
        const messageId = `m-${(++this.seq).toString().padStart(6, '0')}`;
        const json = JSON.stringify(body);
        if (json.length > 256 * 1024) throw new Error('message body over 256 KiB');
        this.entries.set(messageId, {
          messageId,
          body: json,
          visibleAt: this.clock.now().getTime() + delay * 1000,
          receiveCount: 0,
          receipt: undefined,
        });
        this.sent += 1;
      }
    }
  }

  /** Receives up to `max` visible messages, oldest first. */
  receive(max = 10): ReceivedMessage<T>[] {
    const now = this.clock.now().getTime();
    const out: ReceivedMessage<T>[] = [];
    for (const entry of this.entries.values()) {
      if (out.length >= max) break;
      if (entry.visibleAt > now) continue;
      if (entry.receiveCount >= this.options.maxReceives) {
        this.entries.delete(entry.messageId);
        this.deadLetters.push({
          messageId: entry.messageId,
          body: JSON.parse(entry.body) as T,
          receiveCount: entry.receiveCount,
        });
        continue;
      }
      entry.receiveCount += 1;
      entry.receipt = `${entry.messageId}#${entry.receiveCount}`;
      entry.visibleAt = now + this.options.visibilityTimeoutSeconds * 1000;
      this.received += 1;
      out.push({ id: entry.receipt, body: JSON.parse(entry.body) as T, receiveCount: entry.receiveCount });
    }
    return out;
  }

  /** The consumer's answer: delete what succeeded; failed ones reappear after the visibility timeout. */
  complete(messages: ReceivedMessage<T>[], result: BatchResult): void {
    const failed = new Set(result.failedIds);
    for (const m of messages) {
      const entry = this.find(m.id);
      if (!entry) continue;
      if (!failed.has(m.id)) this.entries.delete(entry.messageId);
      entry.receipt = undefined;
    }
  }

  /** Makes a copy of every visible message: SQS's at-least-once delivery hands some out twice. */
  duplicateVisible(): number {
    const now = this.clock.now().getTime();
    let n = 0;
    for (const entry of [...this.entries.values()]) {
      if (entry.visibleAt > now) continue;
      const messageId = `m-${(++this.seq).toString().padStart(6, '0')}`;
      this.entries.set(messageId, { ...entry, messageId, receipt: undefined });
      n += 1;
    }
    return n;
  }

  /** Messages not yet deleted or dead-lettered. */
  get depth(): number {
    return this.entries.size;
  }

  /** When the next invisible or delayed message becomes visible, if any. */
  nextVisibleAt(): number | undefined {
    let next: number | undefined;
    for (const e of this.entries.values()) if (next === undefined || e.visibleAt < next) next = e.visibleAt;
    return next;
  }

  /** Bodies waiting (for fan-out assertions). */
  bodies(): T[] {
    return [...this.entries.values()].map((e) => JSON.parse(e.body) as T);
  }

  private find(receipt: string): QueueEntry | undefined {
    const messageId = receipt.split('#')[0] ?? '';
    const entry = this.entries.get(messageId);
    return entry && entry.receipt === receipt ? entry : undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Mailer with faults
// ---------------------------------------------------------------------------------------------

/** Thrown by the faulty mailer to simulate the death of the worker process. */
export class CrashError extends Error {
  override readonly name = 'CrashError';
}

/**
 * What the mailer does with one call:
 * - `throttle`: SES "Maximum sending rate exceeded" (retryable, throttled, not sent);
 * - `server-error`: SES 5xx (retryable, not sent);
 * - `timeout-after-send`: the mail is sent but the answer never arrives (maybe sent);
 * - `reject`: MessageRejected (not retryable, not sent);
 * - `crash-before`: the process dies before the request leaves;
 * - `crash-after`: the process dies after SES accepted the mail, before the answer is used.
 */
export type MailFault =
  | 'throttle'
  | 'server-error'
  | 'timeout-after-send'
  | 'reject'
  | 'crash-before'
  | 'crash-after';

/**
 * A mailer that keeps every mail it "sends" (as SES would deliver it) and fails on demand:
 * a rate of throttling and 5xx on random calls, and scripted faults for given recipients.
 */
export class FaultyMailer implements Mailer {
  readonly delivered: Array<OutgoingMail & { messageId: string }> = [];
  calls = 0;
  readonly faults: Array<{ to: string; fault: MailFault }> = [];
  throttleRate = 0;
  serverErrorRate = 0;
  /** Called after each mail is accepted (a test can pause an edition mid-batch from here). */
  afterSend?: ((mail: OutgoingMail, accepted: number) => void | Promise<void>) | undefined;
  private readonly scripted = new Map<string, MailFault[]>();
  private counter = 0;

  constructor(private readonly random: () => number = seededRandom(1)) {}

  /** The next calls for this address fail with these faults, in order. */
  script(address: string, ...faults: MailFault[]): void {
    this.scripted.set(address, [...(this.scripted.get(address) ?? []), ...faults]);
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    this.calls += 1;
    await tick();
    const to = mail.to[0] ?? '';
    const queued = this.scripted.get(to);
    let fault: MailFault | undefined = queued?.shift();
    if (!fault && this.random() < this.throttleRate) fault = 'throttle';
    if (!fault && this.random() < this.serverErrorRate) fault = 'server-error';
    if (fault) this.faults.push({ to, fault });
    switch (fault) {
      case 'throttle':
        throw new MailerError('Maximum sending rate exceeded.', {
          code: 'Throttling',
          retryable: true,
          throttled: true,
        });
      case 'server-error':
        throw new MailerError('Service unavailable', { code: 'ServiceUnavailable', retryable: true });
      case 'reject':
        throw new MailerError('Email address is not verified.', {
          code: 'MessageRejected',
          retryable: false,
        });
      case 'crash-before':
        throw new CrashError(`crash before sending to ${to}`);
      case 'timeout-after-send':
        this.deliver(mail);
        throw new MailerError('request timed out', {
          code: 'TimeoutError',
          retryable: true,
          maybeSent: true,
        });
      case 'crash-after':
        this.deliver(mail);
        throw new CrashError(`crash after sending to ${to}`);
      default: {
        const messageId = this.deliver(mail);
        await this.afterSend?.(mail, this.delivered.length);
        return { messageId };
      }
    }
  }

  /** How many mails each address got. */
  countsByAddress(): Map<string, number> {
    const out = new Map<string, number>();
    for (const m of this.delivered) for (const to of m.to) out.set(to, (out.get(to) ?? 0) + 1);
    return out;
  }

  private deliver(mail: OutgoingMail): string {
    this.counter += 1;
    const messageId = `ses-${this.counter.toString().padStart(6, '0')}`;
    this.delivered.push({ ...mail, raw: new Uint8Array(mail.raw), messageId });
    return messageId;
  }
}

// ---------------------------------------------------------------------------------------------
// Worker runs that can die
// ---------------------------------------------------------------------------------------------

/**
 * One worker process. When a port throws CrashError the process dies (see MortalProcess): the
 * run ends with the crash, and every call it still makes through its ports hangs forever, as
 * after a kill -9 or a Lambda timeout.
 */
export class WorkerProcess extends MortalProcess {
  readonly worker: SendWorker;

  constructor(deps: SendWorkerDeps) {
    super((error): error is CrashError => error instanceof CrashError);
    const { editions, ledger, subscribers, objects, queue, mailer, sleeper } = deps;
    this.worker = createSendWorker({
      ...deps,
      ...this.mortalPorts({ editions, ledger, subscribers, objects, queue, mailer, sleeper }),
    });
  }

  /** Runs one batch; resolves with the worker's answer, or rejects with the CrashError that killed it. */
  run(messages: ReceivedMessage<SendBatch>[]): Promise<BatchResult> {
    return this.race(this.worker.handleSendBatches(messages));
  }
}

/**
 * Drains the queue through worker processes in virtual time, like the SQS event source mapping:
 * up to `workers` batches of up to 10 messages in flight, each on its own process; a process
 * that crashes is replaced, and its messages come back after the visibility timeout. When nothing
 * is visible the clock jumps to the next message's visibility. Stops when the queue is empty, or
 * after `maxRounds` receives (a guard against a loop that never ends).
 */
export async function drainQueue(
  queue: MemoryQueue<SendBatch>,
  clock: ManualClock,
  newProcess: () => WorkerProcess,
  options: {
    workers?: number;
    maxRounds?: number;
    beforeBatch?: (messages: ReceivedMessage<SendBatch>[]) => void | Promise<void>;
  } = {},
): Promise<{ batches: number; crashes: number; failedIds: number }> {
  const workers = options.workers ?? 1;
  const stats = { batches: 0, crashes: 0, failedIds: 0 };
  const processes: WorkerProcess[] = Array.from({ length: workers }, () => newProcess());
  for (let round = 0; round < (options.maxRounds ?? 500); round++) {
    if (queue.depth === 0) return stats;
    const runs: Promise<void>[] = [];
    for (let w = 0; w < workers; w++) {
      const messages = queue.receive(10);
      if (messages.length === 0) break;
      await options.beforeBatch?.(messages);
      stats.batches += 1;
      runs.push(
        (processes[w] as WorkerProcess).run(messages).then(
          (result) => {
            stats.failedIds += result.failedIds.length;
            queue.complete(messages, result);
          },
          (error: unknown) => {
            if (!(error instanceof CrashError)) throw error;
            stats.crashes += 1;
            processes[w] = newProcess();
          },
        ),
      );
    }
    if (runs.length === 0) {
      const next = queue.nextVisibleAt();
      if (next === undefined) return stats;
      if (next > clock.now().getTime()) clock.set(new Date(next));
      continue;
    }
    await Promise.all(runs);
  }
  throw new Error(`queue not drained after ${options.maxRounds ?? 500} rounds (depth ${queue.depth})`);
}

/** The real HMAC signer with the fixed test key. */
export function testSigner(): HmacTokenSigner {
  return new HmacTokenSigner({ id: 'test', secret: TEST_SECRET });
}

/** A clock for delivery tests. */
export function deliveryClock(start: Date | string): ManualClock & Clock {
  return new ManualClock(start);
}
