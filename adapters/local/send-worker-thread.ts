/**
 * One send worker in a worker thread of a {@link SendWorkerPool} (send-worker-pool.ts starts it):
 * built as the send function builds one on AWS, with `createDeliveryWorker` over its own DynamoDB,
 * S3 and SES clients, its own token bucket at its share of the rate, and its caches. It handles
 * the batches the pool hands it and answers their results. What lives only in the pool's thread
 * (the in-process queue, the logger, an in-memory object store, the outbox) is reached through
 * calls over the thread's port.
 *
 * Importing this module elsewhere does nothing: it serves only in a thread the pool started.
 */
import { isMainThread, type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { SendWorker } from '../../core/delivery/send-worker.js';
import type { SendWorkerConfig } from '../../core/delivery/send-worker-config.js';
import type { SendBatch } from '../../core/edition.js';
import type { Publication } from '../../core/model.js';
import type { Logger, Mailer, ObjectStore, Queue, StoredObject } from '../../core/ports.js';
import {
  type AwsClientsConfig,
  createDynamoDocumentClient,
  createS3Client,
  createSesClient,
} from '../aws/clients.js';
import { DynamoDeliveryLedger } from '../aws/dynamo-delivery-ledger.js';
import { DynamoEditionStore } from '../aws/dynamo-edition-store.js';
import { DynamoSubscriberIndex } from '../aws/dynamo-subscriber-index.js';
import { S3ObjectStore } from '../aws/s3-object-store.js';
import { SesMailer } from '../aws/ses-mailer.js';
import { tableNames } from '../aws/tables.js';
import { createDeliveryWorker } from '../compose/create-delivery-worker.js';
import { HmacTokenSigner, type SigningKey } from '../crypto/hmac-token-signer.js';
import type { SentMail } from './local-outbox.js';
import { RecordingMailer } from './recording-mailer.js';
import {
  type FromThread,
  fromWireError,
  type LentCall,
  SEND_THREAD_KIND,
  type SendThreadData,
  type ToThread,
  toWireError,
} from './send-worker-pool.js';
import { type SendTiming, TimedMailer } from './timed-mailer.js';
import { TimerSleeper } from './timer-sleeper.js';

/** What every thread of a pool builds its send worker from: plain data, copied into each thread. */
export interface SendWorkerThreadSettings {
  /** SDK settings: region, emulator endpoints, timeouts and retries (the pool sets the sockets). */
  clients: AwsClientsConfig;
  /** The prefix of Gazette's table names (see `tableNames`). */
  tablePrefix: string;
  /** The site bucket holding the rendered variants, on S3 (`clients.endpoints.s3`); not with a lent store. */
  siteBucket?: string | undefined;
  /** The SES configuration set attached to every mail. */
  sesConfigurationSet?: string | undefined;
  /** The keys that sign each recipient's links. */
  signingKeys: { current: SigningKey; retired?: SigningKey[] | undefined };
  /** Sender, reply-to, title (List-Id) and URL (the base of every recipient's links). */
  publication: Pick<Publication, 'title' | 'url' | 'email'>;
  /** The worker's pacing and retries, per thread; the rate is the pool's to set. */
  worker?: Omit<Partial<SendWorkerConfig>, 'sendRatePerSecond'> | undefined;
}

/** Which thread a decorated mailer runs in: `generation` is 0 for a slot's first thread, then 1, 2… */
export interface MailerDecoratorContext {
  thread: number;
  generation: number;
}

/** What a pool's `mailerDecorator` module exports as `decorateMailer`. */
export type MailerDecorator = (mailer: Mailer, context: MailerDecoratorContext) => Mailer;

const TIMING_FLUSH_MS = 200;

function isSendThreadData(data: unknown): data is SendThreadData {
  return typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === SEND_THREAD_KIND;
}

/** Calls into the pool's thread, answered by `reply` messages. */
class PoolCalls {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();

  constructor(private readonly port: MessagePort) {}

  call<T>(lent: LentCall): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.port.postMessage({ type: 'call', id, ...lent } satisfies FromThread);
    });
  }

  answer(reply: Extract<ToThread, { type: 'reply' }>): void {
    const waiting = this.waiting.get(reply.id);
    this.waiting.delete(reply.id);
    if (reply.ok) waiting?.resolve(reply.value);
    else waiting?.reject(fromWireError(reply.error));
  }
}

class LentQueue implements Queue<SendBatch> {
  constructor(private readonly calls: PoolCalls) {}
  sendBatch(bodies: SendBatch[], options?: { delaySeconds?: number }): Promise<void> {
    return this.calls.call({ target: 'queue.sendBatch', args: [bodies, options] });
  }
}

class LentObjectStore implements ObjectStore {
  constructor(private readonly calls: PoolCalls) {}
  get(key: string): Promise<StoredObject | undefined> {
    return this.calls.call({ target: 'objects.get', args: [key] });
  }
  put(key: string, body: Uint8Array | string, options: { contentType: string; cacheControl?: string }) {
    return this.calls.call<void>({ target: 'objects.put', args: [key, body, options] });
  }
  list(prefix?: string): Promise<Array<{ key: string; etag: string }>> {
    return this.calls.call({ target: 'objects.list', args: [prefix] });
  }
  delete(keys: string[]): Promise<void> {
    return this.calls.call({ target: 'objects.delete', args: [keys] });
  }
}

/** Logs in the pool's logger. Fields that cannot be copied between threads go as their JSON. */
function lentLogger(port: MessagePort): Logger {
  const post = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => {
    try {
      port.postMessage({ type: 'log', level, message, fields } satisfies FromThread);
    } catch {
      const plain = JSON.parse(
        JSON.stringify(fields ?? {}, (_k, v: unknown) =>
          v instanceof Error ? `${v.name}: ${v.message}` : typeof v === 'bigint' ? String(v) : v,
        ),
      ) as Record<string, unknown>;
      port.postMessage({ type: 'log', level, message, fields: plain } satisfies FromThread);
    }
  };
  return {
    info: (message, fields) => post('info', message, fields),
    warn: (message, fields) => post('warn', message, fields),
    error: (message, fields) => post('error', message, fields),
  };
}

async function buildWorker(
  data: SendThreadData,
  calls: PoolCalls,
  logger: Logger,
  timed: ((timing: SendTiming) => void) | undefined,
): Promise<SendWorker> {
  const { settings } = data;
  const clock = { now: () => new Date() };
  const db = createDynamoDocumentClient(settings.clients);
  const tables = tableNames(settings.tablePrefix);
  let objects: ObjectStore;
  if (data.lendsObjects) objects = new LentObjectStore(calls);
  else if (settings.siteBucket)
    objects = new S3ObjectStore(createS3Client(settings.clients), settings.siteBucket);
  else throw new Error('send worker thread: no site bucket and no lent object store');

  let mailer: Mailer = new SesMailer(createSesClient(settings.clients), {
    configurationSetName: settings.sesConfigurationSet,
  });
  if (data.mailerDecorator !== undefined) {
    const module = (await import(data.mailerDecorator)) as { decorateMailer?: MailerDecorator };
    if (typeof module.decorateMailer !== 'function') {
      throw new Error(`send worker thread: ${data.mailerDecorator} exports no decorateMailer function`);
    }
    mailer = module.decorateMailer(mailer, { thread: data.thread, generation: data.generation });
  }
  if (data.records) {
    const recorder = {
      record: (mail: SentMail) => calls.call<void>({ target: 'recorder.record', args: [mail] }),
    };
    mailer = new RecordingMailer(mailer, recorder, clock, (error) =>
      logger.error('local outbox: could not record a sent message', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }
  if (timed) mailer = new TimedMailer(mailer, data.thread, timed);

  return createDeliveryWorker(
    {
      editions: new DynamoEditionStore(db, tables.editions),
      ledger: new DynamoDeliveryLedger(db, tables.deliveries),
      subscribers: new DynamoSubscriberIndex(db, tables.subscribers),
      objects,
      queue: new LentQueue(calls),
      mailer,
      signer: new HmacTokenSigner(settings.signingKeys.current, settings.signingKeys.retired ?? []),
      clock,
      sleeper: new TimerSleeper(),
      logger,
    },
    {
      publication: settings.publication,
      worker: { ...settings.worker, sendRatePerSecond: data.sendRatePerSecond },
    },
  );
}

async function serve(port: MessagePort, data: SendThreadData): Promise<void> {
  const calls = new PoolCalls(port);
  const logger = lentLogger(port);
  let timings: SendTiming[] = [];
  const flushTimings = () => {
    if (timings.length === 0) return;
    port.postMessage({ type: 'timings', timings } satisfies FromThread);
    timings = [];
  };
  let built: SendWorker | undefined;

  port.on('message', (message: ToThread) => {
    if (message.type === 'reply') {
      calls.answer(message);
      return;
    }
    const worker = built;
    if (!worker) {
      const error = toWireError(new Error('send worker thread: a batch arrived before the worker was built'));
      port.postMessage({ type: 'result', id: message.id, ok: false, error } satisfies FromThread);
      return;
    }
    worker.handleSendBatches(message.messages).then(
      (result) => {
        // Timings first: when the pool sees the result, it has seen every call of the batch.
        flushTimings();
        port.postMessage({ type: 'result', id: message.id, ok: true, result } satisfies FromThread);
      },
      (error: unknown) => {
        flushTimings();
        port.postMessage({
          type: 'result',
          id: message.id,
          ok: false,
          error: toWireError(error),
        } satisfies FromThread);
      },
    );
  });

  try {
    built = await buildWorker(data, calls, logger, data.timesSends ? (t) => timings.push(t) : undefined);
  } catch (error) {
    port.postMessage({ type: 'init-failed', error: toWireError(error) } satisfies FromThread);
    return;
  }
  if (data.timesSends) setInterval(flushTimings, TIMING_FLUSH_MS).unref();
  port.postMessage({ type: 'ready' } satisfies FromThread);
}

if (!isMainThread && parentPort && isSendThreadData(workerData)) {
  await serve(parentPort, workerData);
}
