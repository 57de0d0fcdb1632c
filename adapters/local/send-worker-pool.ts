/**
 * Send workers on worker threads for the in-process queue: locally, what the Lambda instances of
 * the send function are on AWS. Each thread builds its own send worker with `createDeliveryWorker`
 * (its own SDK clients, token bucket, concurrency limit and caches) at
 * `perWorkerRate(total, 1, threads)`, so together they keep the total rate without talking to each
 * other, and the rate is no longer capped by what one event loop can send.
 *
 * The queue stays in this thread: give {@link SendWorkerPool.handle} to `InProcessQueue.start`.
 * Each batch goes to the thread with the fewest batches in flight. A thread that dies (an uncaught
 * error, an exit) fails the batches it held, so the queue delivers them again after the visibility
 * timeout, as SQS does after a Lambda crash, and a new thread takes its place; the delivery ledger
 * keeps the redelivery from sending anything twice.
 *
 * Threads reach back into this thread for what lives only here: the queue (a paused edition's
 * messages go back on it), the logger, and optionally an in-memory object store and a recorder of
 * sent mails (the local outbox).
 */

import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { perWorkerRate } from '../../core/delivery/send-rate.js';
import { resolveSendWorkerConfig } from '../../core/delivery/send-worker-config.js';
import type { SendBatch } from '../../core/edition.js';
import { ConfigError } from '../../core/errors.js';
import type { BatchResult, Logger, ObjectStore, Queue, ReceivedMessage } from '../../core/ports.js';
import { QueueSendError } from '../../core/queue-body.js';
import type { MailRecorder } from './recording-mailer.js';
import type { SendWorkerThreadSettings } from './send-worker-thread.js';
import type { SendTiming } from './timed-mailer.js';

export interface SendWorkerPoolOptions {
  /** Worker threads, as many as the send function's maximum concurrency would be (one per core is plenty). */
  threads: number;
  /** Sends per second of all threads together; each takes `perWorkerRate(total, 1, threads)`. */
  totalSendRate: number;
  /** What each thread builds its worker from (plain data: it is copied into every thread). */
  settings: SendWorkerThreadSettings;
  /** The send queue, in this thread: where a paused edition's messages go back. */
  queue: Queue<SendBatch>;
  /**
   * The store of the rendered variants when it lives in this thread's memory (tests, benchmarks):
   * threads read it through this thread. Without it, threads read `settings.siteBucket` on S3.
   */
  objects?: ObjectStore | undefined;
  /** Records every mail sent, in this thread (the local outbox), as a RecordingMailer would. */
  recorder?: MailRecorder | undefined;
  /** Where the threads' logs go, each with its `thread` number. */
  logger?: Logger | undefined;
  /** Called with the timing of every SES call the threads make, a few at a time. */
  onSendTimings?: ((timings: readonly SendTiming[]) => void) | undefined;
  /**
   * A module every thread loads, whose `decorateMailer` (see `MailerDecorator`) wraps the thread's
   * mailer: fault injection in tests. A file URL or an absolute path.
   */
  mailerDecorator?: string | URL | undefined;
}

/** How one thread slot is doing. A slot keeps its number when its thread is replaced. */
export interface SendThreadStats {
  thread: number;
  /** Threads started in this slot, the first included. */
  starts: number;
  crashes: number;
  batchesHandled: number;
  batchesInFlight: number;
  /** CPU time of the slot's current thread since it started, in µs (`Worker.cpuUsage`). */
  cpu: { user: number; system: number };
  /** Event loop of the current thread since it started: ms active and idle. */
  eventLoop: { active: number; idle: number };
  /** The current thread's JavaScript heap in use, in bytes (garbage included). */
  heapUsed: number;
}

/** A thread died while it held a batch: the batch is to be delivered again. */
export class SendWorkerThreadError extends Error {
  override readonly name = 'SendWorkerThreadError';
  constructor(
    message: string,
    readonly thread: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The pool was closed: it takes no batch, and those it held are delivered again. */
export class SendWorkerPoolClosedError extends Error {
  override readonly name = 'SendWorkerPoolClosedError';
}

// ------------------------------------------------------------------------------------------------
// Between this thread and the worker threads (send-worker-thread.ts speaks the other side).
// ------------------------------------------------------------------------------------------------

/** Marks a worker thread started by this pool (workerData.kind). */
export const SEND_THREAD_KIND = 'gazette-send-worker';

/** What a thread is started with. */
export interface SendThreadData {
  kind: typeof SEND_THREAD_KIND;
  thread: number;
  /** 0 for the slot's first thread, then 1, 2… after crashes. */
  generation: number;
  settings: SendWorkerThreadSettings;
  /** This thread's share of the total rate. */
  sendRatePerSecond: number;
  lendsObjects: boolean;
  records: boolean;
  timesSends: boolean;
  mailerDecorator: string | undefined;
}

/** Calls a thread makes to what lives in this thread. */
export type LentCall =
  | { target: 'queue.sendBatch'; args: [bodies: SendBatch[], options: { delaySeconds?: number } | undefined] }
  | { target: 'objects.get'; args: [key: string] }
  | {
      target: 'objects.put';
      args: [key: string, body: Uint8Array | string, options: { contentType: string; cacheControl?: string }];
    }
  | { target: 'objects.list'; args: [prefix: string | undefined] }
  | { target: 'objects.delete'; args: [keys: string[]] }
  | { target: 'recorder.record'; args: Parameters<MailRecorder['record']> };

/** An error as it crosses between threads (class, cause and custom fields are lost otherwise). */
export interface WireError {
  name: string;
  message: string;
  stack?: string | undefined;
  problems?: string[] | undefined;
  retryable?: boolean | undefined;
}

export type ToThread =
  | { type: 'batch'; id: number; messages: ReceivedMessage<SendBatch>[] }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: WireError };

export type FromThread =
  | { type: 'ready' }
  | { type: 'init-failed'; error: WireError }
  | { type: 'result'; id: number; ok: true; result: BatchResult }
  | { type: 'result'; id: number; ok: false; error: WireError }
  | ({ type: 'call'; id: number } & LentCall)
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string; fields?: Record<string, unknown> }
  | { type: 'timings'; timings: SendTiming[] };

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const wire: WireError = { name: error.name, message: error.message, stack: error.stack };
  if (error instanceof ConfigError) wire.problems = [...error.problems];
  const retryable = (error as { retryable?: unknown }).retryable;
  if (typeof retryable === 'boolean') wire.retryable = retryable;
  return wire;
}

/** The error again, as the class the caller tests with `instanceof` where Gazette has one. */
export function fromWireError(wire: WireError): Error {
  let error: Error;
  if (wire.name === 'ConfigError' && wire.problems) error = new ConfigError(wire.problems);
  else if (wire.name === 'QueueSendError')
    error = new QueueSendError(wire.message, { retryable: !!wire.retryable });
  else {
    error = new Error(wire.message);
    Object.defineProperty(error, 'name', { value: wire.name, configurable: true, writable: true });
  }
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}

// ------------------------------------------------------------------------------------------------

/** SDK sockets per host a thread's clients need: every send in flight, plus the ledger's batch calls. */
export function socketsFor(concurrency: number): number {
  return Math.max(50, concurrency + 16);
}

/**
 * The checked per-thread rate and worker configuration for a pool, or a ConfigError listing every
 * problem (threads, rate, worker settings, where the variants are read).
 */
export function planSendThreads(
  options: Pick<SendWorkerPoolOptions, 'threads' | 'totalSendRate' | 'settings' | 'objects'>,
): { sendRatePerSecond: number; concurrency: number } {
  const problems: string[] = [];
  const { threads, totalSendRate, settings } = options;
  if (!Number.isInteger(threads) || threads < 1 || threads > 256) {
    problems.push(`send worker pool: threads must be a whole number within 1…256, got ${threads}`);
  }
  let rate: number | undefined;
  try {
    rate = perWorkerRate(totalSendRate, 1, Number.isInteger(threads) && threads >= 1 ? threads : 1);
  } catch (error) {
    problems.push(...(error instanceof ConfigError ? error.problems : [String(error)]));
  }
  let concurrency = 1;
  if (rate !== undefined) {
    try {
      concurrency = resolveSendWorkerConfig({ ...settings.worker, sendRatePerSecond: rate }).concurrency;
    } catch (error) {
      problems.push(...(error instanceof ConfigError ? error.problems : [String(error)]));
    }
  }
  if (options.objects && settings.siteBucket !== undefined) {
    problems.push('send worker pool: give either an object store or settings.siteBucket, not both');
  } else if (!options.objects && !settings.siteBucket) {
    problems.push(
      'send worker pool: no place to read the rendered variants (settings.siteBucket, or an object store)',
    );
  }
  if (problems.length > 0 || rate === undefined) throw new ConfigError(problems);
  return { sendRatePerSecond: rate, concurrency };
}

/** Among slots, the one to give the next batch: a ready thread first, then the fewest batches in flight, then the next in turn. */
export function pickLeastBusy(
  slots: ReadonlyArray<{ inFlight: number; state: 'starting' | 'ready' | 'failed' }>,
  after: number,
): number {
  const penalty = { ready: 0, starting: 0.5, failed: 1_000_000 } as const;
  let best = -1;
  let bestScore = Number.POSITIVE_INFINITY;
  for (let k = 1; k <= slots.length; k++) {
    const i = (after + k) % slots.length;
    const slot = slots[i];
    if (!slot) continue;
    const score = slot.inFlight + penalty[slot.state];
    if (score < bestScore) {
      best = i;
      bestScore = score;
    }
  }
  return best;
}

interface Deferred<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

interface Thread {
  worker: Worker;
  generation: number;
  state: 'starting' | 'ready' | 'failed';
  ready: Promise<void>;
  pending: Map<number, Deferred<BatchResult>>;
  /** The uncaught error that ended it, if any. */
  fault: Error | undefined;
  exited: boolean;
}

interface Slot {
  index: number;
  thread: Thread;
  starts: number;
  crashes: number;
  /** Threads in a row that died before they were ready: the restart waits longer each time. */
  failedStarts: number;
  handled: number;
  inFlight: number;
  restartTimer: ReturnType<typeof setTimeout> | undefined;
}

const THREAD_EXTENSION = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const THREAD_ENTRY = new URL(`./send-worker-thread${THREAD_EXTENSION}`, import.meta.url);
/** A thread runs TypeScript through tsx's loader when this module is TypeScript itself. */
const THREAD_EXEC_ARGV =
  THREAD_EXTENSION === '.ts'
    ? ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href]
    : [];
const MAX_RESTART_DELAY_MS = 30_000;

/** N send workers on worker threads, fed by the in-process queue. Start with {@link SendWorkerPool.start}. */
export class SendWorkerPool {
  private readonly slots: Slot[] = [];
  private readonly data: Omit<SendThreadData, 'thread' | 'generation'>;
  private nextId = 0;
  private lastPicked = -1;
  private closed = false;

  /** The rate each thread sends at. */
  readonly sendRatePerThread: number;
  /** Sends each thread keeps in flight at most. */
  readonly concurrencyPerThread: number;

  private constructor(private readonly options: SendWorkerPoolOptions) {
    const plan = planSendThreads(options);
    this.sendRatePerThread = plan.sendRatePerSecond;
    this.concurrencyPerThread = plan.concurrency;
    const { settings } = options;
    this.data = {
      kind: SEND_THREAD_KIND,
      settings: {
        ...settings,
        clients: {
          ...settings.clients,
          maxSockets: settings.clients.maxSockets ?? socketsFor(plan.concurrency),
        },
      },
      sendRatePerSecond: plan.sendRatePerSecond,
      lendsObjects: options.objects !== undefined,
      records: options.recorder !== undefined,
      timesSends: options.onSendTimings !== undefined,
      mailerDecorator:
        options.mailerDecorator === undefined
          ? undefined
          : options.mailerDecorator instanceof URL
            ? options.mailerDecorator.href
            : options.mailerDecorator.startsWith('file:')
              ? options.mailerDecorator
              : pathToFileURL(options.mailerDecorator).href,
    };
  }

  /**
   * Starts the threads and resolves once every one has built its worker. Settings are checked
   * first (a ConfigError lists every problem); a thread that cannot build its worker rejects the
   * start with its error, and the threads already started are stopped.
   */
  static async start(options: SendWorkerPoolOptions): Promise<SendWorkerPool> {
    const pool = new SendWorkerPool(options);
    for (let i = 0; i < options.threads; i++) {
      const slot: Slot = {
        index: i,
        thread: undefined as unknown as Thread,
        starts: 0,
        crashes: 0,
        failedStarts: 0,
        handled: 0,
        inFlight: 0,
        restartTimer: undefined,
      };
      pool.slots.push(slot);
      pool.spawn(slot);
    }
    try {
      await Promise.all(pool.slots.map((s) => s.thread.ready));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Number of threads. */
  get threads(): number {
    return this.slots.length;
  }

  /**
   * The queue's batch handler: sends the batch to the least busy thread and answers its result.
   * Rejects (the whole batch is delivered again) when the thread dies or the pool closes first.
   */
  readonly handle = async (messages: ReceivedMessage<SendBatch>[]): Promise<BatchResult> => {
    if (this.closed) throw new SendWorkerPoolClosedError('the send worker pool is closed');
    const index = pickLeastBusy(
      this.slots.map((s) => ({ inFlight: s.inFlight, state: s.thread.state })),
      this.lastPicked,
    );
    const slot = this.slots[index];
    if (!slot) throw new SendWorkerPoolClosedError('the send worker pool has no thread');
    this.lastPicked = index;
    slot.inFlight += 1;
    try {
      const thread = slot.thread;
      await thread.ready;
      if (this.closed) throw new SendWorkerPoolClosedError('the send worker pool closed before the batch');
      if (thread.exited) throw this.crashError(slot, thread);
      const id = ++this.nextId;
      const result = new Promise<BatchResult>((resolve, reject) =>
        thread.pending.set(id, { resolve, reject }),
      );
      thread.worker.postMessage({ type: 'batch', id, messages } satisfies ToThread);
      return await result;
    } finally {
      slot.inFlight -= 1;
      slot.handled += 1;
    }
  };

  /** How each thread is doing: batches, restarts, CPU and event loop of its current thread. */
  async stats(): Promise<SendThreadStats[]> {
    return Promise.all(
      this.slots.map(async (slot) => {
        const { worker, exited } = slot.thread;
        const elu = exited ? { active: 0, idle: 0 } : worker.performance.eventLoopUtilization();
        // A thread may die while it is being asked: it then counts as having used nothing.
        const [cpu, heap] = exited
          ? [undefined, undefined]
          : await Promise.all([
              worker.cpuUsage().catch(() => undefined),
              worker.getHeapStatistics().catch(() => undefined),
            ]);
        return {
          thread: slot.index,
          starts: slot.starts,
          crashes: slot.crashes,
          batchesHandled: slot.handled,
          batchesInFlight: slot.inFlight,
          cpu: { user: cpu?.user ?? 0, system: cpu?.system ?? 0 },
          eventLoop: { active: elu.active, idle: elu.idle },
          heapUsed: heap?.used_heap_size ?? 0,
        };
      }),
    );
  }

  /**
   * Stops every thread at once. Batches still in a thread fail (the queue delivers them again);
   * stop the queue first (`await queue.stop()`) to let them finish.
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.restartTimer) clearTimeout(slot.restartTimer);
        const thread = slot.thread;
        for (const waiting of thread.pending.values()) {
          waiting.reject(new SendWorkerPoolClosedError('the send worker pool closed during the batch'));
        }
        thread.pending.clear();
        if (!thread.exited) await thread.worker.terminate();
      }),
    );
  }

  private spawn(slot: Slot): void {
    slot.restartTimer = undefined;
    const generation = slot.starts;
    slot.starts += 1;
    const data: SendThreadData = { ...this.data, thread: slot.index, generation };
    const worker = new Worker(THREAD_ENTRY, {
      workerData: data,
      execArgv: THREAD_EXEC_ARGV,
      name: `send-worker-${slot.index}`,
    });
    let markReady!: () => void;
    let failStart!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    // A start that fails is reported to whoever waits for it; nobody waiting is fine too.
    ready.catch(() => undefined);
    const thread: Thread = {
      worker,
      generation,
      state: 'starting',
      ready,
      pending: new Map(),
      fault: undefined,
      exited: false,
    };
    slot.thread = thread;

    worker.on('message', (message: FromThread) => {
      switch (message.type) {
        case 'ready':
          thread.state = 'ready';
          slot.failedStarts = 0;
          markReady();
          break;
        case 'init-failed':
          thread.fault = fromWireError(message.error);
          void worker.terminate();
          break;
        case 'result': {
          const waiting = thread.pending.get(message.id);
          thread.pending.delete(message.id);
          if (message.ok) waiting?.resolve(message.result);
          else waiting?.reject(fromWireError(message.error));
          break;
        }
        case 'call':
          void this.serve(thread, message);
          break;
        case 'log':
          this.options.logger?.[message.level](message.message, { ...message.fields, thread: slot.index });
          break;
        case 'timings':
          this.options.onSendTimings?.(message.timings);
          break;
      }
    });
    worker.on('error', (error) => {
      thread.fault ??= error;
    });
    worker.on('messageerror', (error) => {
      this.options.logger?.error('send worker thread: a message could not be read', {
        thread: slot.index,
        error: error.message,
      });
    });
    worker.on('exit', (code) => {
      thread.exited = true;
      if (slot.thread !== thread || this.closed) return;
      const crash = this.crashError(slot, thread, code);
      for (const waiting of thread.pending.values()) waiting.reject(crash);
      thread.pending.clear();
      if (thread.state === 'ready') {
        slot.crashes += 1;
        this.options.logger?.error('send worker thread died; its batches will be delivered again', {
          thread: slot.index,
          exitCode: code,
          error: thread.fault?.message,
        });
        this.spawn(slot);
        return;
      }
      // It never got ready: its settings or what it needs at start are wrong; retry, slower each time.
      thread.state = 'failed';
      failStart(thread.fault ?? crash);
      slot.failedStarts += 1;
      const delay = Math.min(MAX_RESTART_DELAY_MS, 1000 * 2 ** (slot.failedStarts - 1));
      this.options.logger?.error('send worker thread could not start', {
        thread: slot.index,
        error: (thread.fault ?? crash).message,
        retryInMs: delay,
      });
      slot.restartTimer = setTimeout(() => this.spawn(slot), delay);
      slot.restartTimer.unref();
    });
  }

  private crashError(slot: Slot, thread: Thread, code?: number): SendWorkerThreadError {
    const how = thread.fault ? `: ${thread.fault.message}` : code === undefined ? '' : ` (exit code ${code})`;
    return new SendWorkerThreadError(`send worker thread ${slot.index} stopped${how}`, slot.index, {
      cause: thread.fault,
    });
  }

  private async serve(thread: Thread, call: { id: number } & LentCall): Promise<void> {
    let reply: ToThread;
    try {
      reply = { type: 'reply', id: call.id, ok: true, value: await this.lent(call) };
    } catch (error) {
      reply = { type: 'reply', id: call.id, ok: false, error: toWireError(error) };
    }
    if (!thread.exited) thread.worker.postMessage(reply);
  }

  private async lent(call: LentCall): Promise<unknown> {
    const objects = (): ObjectStore => {
      if (!this.options.objects) throw new Error('this send worker pool lends no object store');
      return this.options.objects;
    };
    switch (call.target) {
      case 'queue.sendBatch':
        return this.options.queue.sendBatch(call.args[0], call.args[1]);
      case 'objects.get':
        return objects().get(call.args[0]);
      case 'objects.put':
        return objects().put(...call.args);
      case 'objects.list':
        return objects().list(call.args[0]);
      case 'objects.delete':
        return objects().delete(call.args[0]);
      case 'recorder.record':
        if (!this.options.recorder) throw new Error('this send worker pool records no mail');
        return this.options.recorder.record(...call.args);
    }
  }
}
