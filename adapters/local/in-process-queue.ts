/**
 * A queue in one process with the SQS semantics Gazette relies on, so the local stack and the
 * benchmarks run the same consumer code the SQS → Lambda event source mapping runs on AWS:
 * - bodies travel as JSON (what cannot survive JSON fails here too), at most 256 KiB each;
 * - `delaySeconds` keeps a message invisible for a while after sending;
 * - a consumer gets batches of up to `batchSize` messages, with up to `concurrency` batches in flight;
 * - a received message is invisible for the visibility timeout; deleted when its batch succeeds;
 *   a failed id, a handler that throws, or a batch that outlives the timeout makes it visible again
 *   once the timeout (counted from the receive, as in SQS) has passed;
 * - receive counts; after `maxReceives` failed receives a message moves to the dead-letter list.
 *
 * Receives cost O(batch): visible messages wait in a FIFO, invisible ones in a timer heap, and one
 * timer is armed for the earliest of them.
 */
import { randomUUID } from 'node:crypto';
import type { BatchResult, Logger, Queue, ReceivedMessage } from '../../core/ports.js';
import {
  checkQueueDelay,
  encodeQueueBody,
  MAX_QUEUE_BATCH_ENTRIES,
  MAX_QUEUE_BODY_BYTES,
} from '../../core/queue-body.js';

/** Time as the queue sees it; tests pass a manual clock and advance it instead of waiting. */
export interface QueueTimers {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** Wall-clock time and `setTimeout`. */
export const systemTimers: QueueTimers = {
  now: () => Date.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** A message that failed `maxReceives` times, kept for inspection (the dead-letter queue). */
export interface DeadLetter<T> {
  messageId: string;
  body: T;
  receiveCount: number;
  sentAt: Date;
  deadLetteredAt: Date;
}

export type BatchHandler<T> = (messages: ReceivedMessage<T>[]) => Promise<BatchResult>;

export interface InProcessQueueOptions<T> {
  /** Messages per handler call, 1…10 (the SQS receive maximum). Default 10. */
  batchSize?: number;
  /** Batches in flight at once (the event source mapping's maximum concurrency). Default 1. */
  concurrency?: number;
  /** How long a received message stays invisible, in seconds. Default 30. */
  visibilityTimeoutSeconds?: number;
  /** Receives after which a message that still fails is dead-lettered. Default 5. */
  maxReceives?: number;
  /** Largest accepted body, as UTF-8 JSON bytes. Default 256 KiB, the SQS default. */
  maxBodyBytes?: number;
  timers?: QueueTimers;
  logger?: Logger;
  /** Called with each message as it is dead-lettered (e.g. to record it in the ledger). */
  onDeadLetter?: (letter: DeadLetter<T>) => void | Promise<void>;
}

/** `drain()` cannot finish: the queue was stopped or has no consumer. */
export class QueueStoppedError extends Error {
  override readonly name = 'QueueStoppedError';
}

type EntryState = 'delayed' | 'ready' | 'invisible';

interface Entry {
  messageId: string;
  json: string;
  sentAt: number;
  receiveCount: number;
  state: EntryState;
  /** The receipt of the current receive while invisible after a receive; stale results are ignored. */
  receipt: string | undefined;
  /** Bumped whenever the entry's pending heap slot becomes obsolete (lazy deletion). */
  generation: number;
}

interface Slot {
  at: number;
  seq: number;
  generation: number;
  entry: Entry;
}

/** Binary min-heap of timed slots ordered by time, then insertion. */
class SlotHeap {
  private readonly items: Slot[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Slot | undefined {
    return this.items[0];
  }

  push(slot: Slot): void {
    const items = this.items;
    items.push(slot);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(items[i]!, items[parent]!)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): Slot | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (top === undefined || last === undefined || items.length === 0) return top;
    items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < items.length && before(items[l]!, items[min]!)) min = l;
      if (r < items.length && before(items[r]!, items[min]!)) min = r;
      if (min === i) break;
      [items[i], items[min]] = [items[min]!, items[i]!];
      i = min;
    }
    return top;
  }
}

function before(a: Slot, b: Slot): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** FIFO of visible messages; amortized O(1) at both ends. */
class ReadyList {
  private items: Entry[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(entry: Entry): void {
    this.items.push(entry);
  }

  shift(): Entry | undefined {
    if (this.head >= this.items.length) return undefined;
    const entry = this.items[this.head];
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return entry;
  }
}

/** Counts for progress displays and benchmarks. */
export interface QueueStats {
  /** Visible, waiting for a consumer. */
  ready: number;
  /** Sent with a delay that has not passed yet. */
  delayed: number;
  /** Received and not yet deleted (in a running batch, or failed and waiting for visibility). */
  invisible: number;
  deadLettered: number;
  sent: number;
  received: number;
  deleted: number;
  /** Receives beyond the first (redeliveries). */
  redelivered: number;
}

/**
 * The in-process queue. Producers call {@link sendBatch}; one consumer is attached with
 * {@link start}. Messages sent before `start` wait, as they would in SQS.
 */
export class InProcessQueue<T> implements Queue<T> {
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly visibilityMs: number;
  private readonly maxReceives: number;
  private readonly maxBodyBytes: number;
  private readonly timers: QueueTimers;
  private readonly logger: Logger | undefined;
  private readonly onDeadLetter: ((letter: DeadLetter<T>) => void | Promise<void>) | undefined;

  private readonly entries = new Map<string, Entry>();
  private readonly ready = new ReadyList();
  private readonly heap = new SlotHeap();
  private readonly dead: DeadLetter<T>[] = [];
  private readonly running = new Set<Promise<void>>();
  private handler: BatchHandler<T> | undefined;
  private seq = 0;
  private timer: unknown;
  private timerAt = Number.POSITIVE_INFINITY;
  private pumpQueued = false;
  private drainWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private counts = { delayed: 0, invisible: 0, sent: 0, received: 0, deleted: 0, redelivered: 0 };

  constructor(options: InProcessQueueOptions<T> = {}) {
    this.batchSize = integerIn(
      'batchSize',
      options.batchSize ?? MAX_QUEUE_BATCH_ENTRIES,
      1,
      MAX_QUEUE_BATCH_ENTRIES,
    );
    this.concurrency = integerIn('concurrency', options.concurrency ?? 1, 1, 10_000);
    this.visibilityMs =
      1000 * numberIn('visibilityTimeoutSeconds', options.visibilityTimeoutSeconds ?? 30, 0, 43_200);
    this.maxReceives = integerIn('maxReceives', options.maxReceives ?? 5, 1, 1000);
    this.maxBodyBytes = integerIn('maxBodyBytes', options.maxBodyBytes ?? MAX_QUEUE_BODY_BYTES, 1, 2 ** 30);
    this.timers = options.timers ?? systemTimers;
    this.logger = options.logger;
    this.onDeadLetter = options.onDeadLetter;
  }

  /**
   * Enqueues bodies; like {@link SqsQueue}, more than 10 are sent as several batches of at most
   * 10. Every body is checked first (JSON, size, delay), so a refused call enqueues nothing.
   */
  async sendBatch(bodies: T[], options: { delaySeconds?: number } = {}): Promise<void> {
    const delaySeconds = checkQueueDelay(options.delaySeconds ?? 0);
    const jsons = bodies.map((body, index) => encodeQueueBody(body, index, this.maxBodyBytes).json);
    const now = this.timers.now();
    for (const json of jsons) {
      const entry: Entry = {
        messageId: randomUUID(),
        json,
        sentAt: now,
        receiveCount: 0,
        state: 'ready',
        receipt: undefined,
        generation: 0,
      };
      this.entries.set(entry.messageId, entry);
      this.counts.sent += 1;
      if (delaySeconds > 0) {
        entry.state = 'delayed';
        this.counts.delayed += 1;
        this.schedule(entry, now + delaySeconds * 1000);
      } else {
        this.ready.push(entry);
      }
    }
    this.armTimer();
    this.queuePump();
  }

  /** Attaches the consumer and starts delivering batches. */
  start(handler: BatchHandler<T>): void {
    if (this.handler) throw new Error('the queue already has a consumer');
    this.handler = handler;
    this.armTimer();
    this.queuePump();
  }

  /**
   * Stops delivering and waits for the batches in flight. Messages stay where they are, so a
   * later `start` carries on. Pending `drain()` calls reject.
   */
  async stop(): Promise<void> {
    this.handler = undefined;
    this.clearTimer();
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w.reject(new QueueStoppedError('the queue was stopped before it drained'));
    await Promise.allSettled([...this.running]);
  }

  /** Resolves once no message is left (ready, delayed or invisible) and no batch is running. */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    if (!this.handler) return Promise.reject(new QueueStoppedError('the queue has no consumer to drain it'));
    return new Promise((resolve, reject) => this.drainWaiters.push({ resolve, reject }));
  }

  /** The dead-letter list, oldest first. */
  deadLetters(): DeadLetter<T>[] {
    return [...this.dead];
  }

  stats(): QueueStats {
    return {
      ready: this.ready.length,
      delayed: this.counts.delayed,
      invisible: this.counts.invisible,
      deadLettered: this.dead.length,
      sent: this.counts.sent,
      received: this.counts.received,
      deleted: this.counts.deleted,
      redelivered: this.counts.redelivered,
    };
  }

  private schedule(entry: Entry, at: number): void {
    entry.generation += 1;
    this.seq += 1;
    this.heap.push({ at, seq: this.seq, generation: entry.generation, entry });
  }

  private queuePump(): void {
    if (this.pumpQueued || !this.handler) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pump(): void {
    const handler = this.handler;
    if (!handler) return;
    while (this.running.size < this.concurrency && this.ready.length > 0) {
      const now = this.timers.now();
      const batch: ReceivedMessage<T>[] = [];
      const receipts: Array<{ entry: Entry; receipt: string }> = [];
      while (batch.length < this.batchSize) {
        const entry = this.ready.shift();
        if (!entry) break;
        entry.receiveCount += 1;
        entry.state = 'invisible';
        entry.receipt = `${entry.messageId}#${entry.receiveCount}`;
        this.counts.invisible += 1;
        this.counts.received += 1;
        if (entry.receiveCount > 1) this.counts.redelivered += 1;
        this.schedule(entry, now + this.visibilityMs);
        batch.push({
          id: entry.receipt,
          body: JSON.parse(entry.json) as T,
          receiveCount: entry.receiveCount,
        });
        receipts.push({ entry, receipt: entry.receipt });
      }
      const run = this.runBatch(handler, batch, receipts);
      this.running.add(run);
      void run.finally(() => {
        this.running.delete(run);
        this.queuePump();
        this.checkDrained();
      });
    }
    this.armTimer();
  }

  private async runBatch(
    handler: BatchHandler<T>,
    batch: ReceivedMessage<T>[],
    receipts: Array<{ entry: Entry; receipt: string }>,
  ): Promise<void> {
    let failed: Set<string>;
    try {
      const result = await handler(batch);
      failed = new Set(result.failedIds);
    } catch (error) {
      // Like a Lambda that throws: the whole batch comes back after the visibility timeout.
      this.logger?.error('queue consumer failed; the batch will be delivered again', {
        messages: batch.length,
        error: error instanceof Error ? error.message : String(error),
      });
      failed = new Set(batch.map((m) => m.id));
    }
    for (const { entry, receipt } of receipts) {
      // A late answer about a receive that already timed out is ignored, as SQS ignores an
      // expired receipt handle: the message is delivered again.
      if (entry.receipt !== receipt) continue;
      if (failed.has(receipt)) continue; // stays invisible until its visibility slot fires
      this.entries.delete(entry.messageId);
      entry.generation += 1; // drops its visibility slot
      entry.receipt = undefined;
      this.counts.invisible -= 1;
      this.counts.deleted += 1;
    }
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.timers.now();
    for (let slot = this.heap.peek(); slot && slot.at <= now; slot = this.heap.peek()) {
      this.heap.pop();
      const entry = slot.entry;
      if (slot.generation !== entry.generation) continue;
      if (entry.state === 'delayed') {
        entry.state = 'ready';
        this.counts.delayed -= 1;
        this.ready.push(entry);
      } else if (entry.state === 'invisible') {
        this.counts.invisible -= 1;
        entry.receipt = undefined;
        if (entry.receiveCount >= this.maxReceives) this.deadLetter(entry, now);
        else {
          entry.state = 'ready';
          this.ready.push(entry);
        }
      }
    }
    this.armTimer();
    this.queuePump();
    this.checkDrained();
  }

  private deadLetter(entry: Entry, now: number): void {
    this.entries.delete(entry.messageId);
    entry.generation += 1;
    const letter: DeadLetter<T> = {
      messageId: entry.messageId,
      body: JSON.parse(entry.json) as T,
      receiveCount: entry.receiveCount,
      sentAt: new Date(entry.sentAt),
      deadLetteredAt: new Date(now),
    };
    this.dead.push(letter);
    this.logger?.warn('message dead-lettered', {
      messageId: entry.messageId,
      receiveCount: entry.receiveCount,
    });
    if (!this.onDeadLetter) return;
    const done = (async () => {
      try {
        await this.onDeadLetter?.(letter);
      } catch (error) {
        this.logger?.error('dead-letter callback failed', {
          messageId: entry.messageId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    })();
    // Counted as running so that drain() waits for the callback too.
    this.running.add(done);
    void done.finally(() => {
      this.running.delete(done);
      this.checkDrained();
    });
  }

  private armTimer(): void {
    // Skip slots made obsolete by deletes, so an idle queue holds no timer.
    let top = this.heap.peek();
    while (top && top.generation !== top.entry.generation) {
      this.heap.pop();
      top = this.heap.peek();
    }
    const next = this.heap.peek();
    if (!next || !this.handler) {
      this.clearTimer();
      return;
    }
    if (this.timer !== undefined && this.timerAt <= next.at) return;
    this.clearTimer();
    this.timerAt = next.at;
    this.timer = this.timers.setTimer(() => this.onTimer(), Math.max(0, next.at - this.timers.now()));
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimer(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private isIdle(): boolean {
    return this.entries.size === 0 && this.running.size === 0;
  }

  private checkDrained(): void {
    if (this.drainWaiters.length === 0 || !this.isIdle()) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w.resolve();
  }
}

function integerIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer within ${min}…${max}, got ${value}`);
  }
  return value;
}

function numberIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`${name} must be within ${min}…${max}, got ${value}`);
  }
  return value;
}
