/**
 * The delivery engine as the local stack runs it, for the integration tests: the services wired
 * by createDeliveryServices over the real DynamoDB adapters (dynalite), the site bucket
 * (s3rver), the in-process queue, and SesMailer pointed at an SES stand-in (fault injection)
 * or at aws-ses-v2-local; the web app with the editor API served over HTTP on 127.0.0.1.
 *
 * Send workers run as "processes", one per batch in flight, reused when idle (as Lambda reuses
 * warm containers). A process can be made to die at a chosen point: every call it still makes
 * then hangs, nothing it held is released or confirmed, and its batch comes back after the
 * visibility timeout, exactly as after a killed container.
 */
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createSesClient } from '../../../adapters/aws/clients.js';
import { DynamoDeliveryLedger } from '../../../adapters/aws/dynamo-delivery-ledger.js';
import { DynamoEditionStore } from '../../../adapters/aws/dynamo-edition-store.js';
import { SesMailer } from '../../../adapters/aws/ses-mailer.js';
import {
  createDeliveryServices,
  type DeliveryServices,
} from '../../../adapters/compose/create-delivery-services.js';
import { createDeliveryWorker } from '../../../adapters/compose/create-delivery-worker.js';
import type { DeliveryPorts, WorkerOptions } from '../../../adapters/compose/delivery-ports.js';
import { HmacTokenSigner } from '../../../adapters/crypto/hmac-token-signer.js';
import { InProcessQueue } from '../../../adapters/local/in-process-queue.js';
import { TimerSleeper } from '../../../adapters/local/timer-sleeper.js';
import type { SendWorker } from '../../../core/delivery/send-worker.js';
import type { SendWorkerConfig } from '../../../core/delivery/send-worker-config.js';
import type { SendBatch } from '../../../core/edition.js';
import type { Cadence, Publication, RenderedPost } from '../../../core/model.js';
import type { BatchResult, Mailer, OutgoingMail, Queue, ReceivedMessage } from '../../../core/ports.js';
import type { Subscriber, SubscriberStatus } from '../../../core/subscriber.js';
import { createApp } from '../../../web/create-app.js';
import type { EditorAuth } from '../../../web/editor/editor-deps.js';
import type { LocalAws } from '../../support/emulators.js';
import { emailTemplates, makeSubscriber, publicationAt, siteTemplates } from '../../support/fixtures.js';
import { MemoryLogger, TEST_SECRET } from '../../support/memory-adapters.js';
import { MortalProcess } from '../../support/mortal-process.js';
import type { SesStandIn } from '../../support/ses-stand-in.js';

export const EDITOR_TOKEN = 'integration-editor-token-0123456789abcdef';

/** The worker settings of the tests: fast backoff, a short claim lease, a paused delay of 1 s. */
export const TEST_WORKER: Partial<SendWorkerConfig> & Pick<SendWorkerConfig, 'sendRatePerSecond'> = {
  sendRatePerSecond: 300,
  concurrency: 16,
  backoffBaseMs: 20,
  backoffCapMs: 200,
  editionCacheMs: 100,
  claimLeaseMs: 3_000,
  maxReceives: 10,
  pausedDelaySeconds: 1,
};

/** Where a worker process dies: once, for the given subscriber ids. */
export interface CrashPlan {
  /** Before its claim is written: nothing is held, the redelivery sends. */
  beforeClaim?: Set<string>;
  /** After the claim, before the SES call: the mail never leaves, the row becomes `unknown`. */
  beforeSend?: Set<string>;
  /** After SES took the mail, before the answer is read: the row becomes `unknown`. */
  afterSend?: Set<string>;
}

export interface DeliveryStackOptions {
  posts: RenderedPost[];
  /** `stand-in` (default) or the aws-ses-v2-local emulator of `aws`. */
  ses?: 'stand-in' | 'emulator';
  editorAuth?: EditorAuth;
  /** Start consuming the queue at once (default), or later with `startWorkers()`. */
  startWorkers?: boolean;
  /** Every message the fan-out sends arrives twice (SQS delivers at least once). */
  duplicateMessages?: boolean;
  crash?: CrashPlan;
  worker?: Partial<SendWorkerConfig>;
  schedule?: Publication['schedule'];
}

class ProcessDied extends Error {
  override readonly name = 'ProcessDied';
}

export async function startDeliveryStack(
  aws: LocalAws,
  standIn: SesStandIn | undefined,
  options: DeliveryStackOptions,
) {
  const logger = new MemoryLogger();
  const clock = { now: () => new Date() };
  const signer = new HmacTokenSigner({ id: 'test', secret: TEST_SECRET });
  const editions = new DynamoEditionStore(aws.doc, aws.tables.editions);
  const ledger = new DynamoDeliveryLedger(aws.doc, aws.tables.deliveries);
  const queue = new InProcessQueue<SendBatch>({
    visibilityTimeoutSeconds: 3,
    maxReceives: TEST_WORKER.maxReceives,
    concurrency: 4,
    logger,
  });
  const sendQueue: Queue<SendBatch> = options.duplicateMessages
    ? { sendBatch: (bodies, o) => queue.sendBatch([...bodies, ...bodies], o) }
    : queue;
  const mailer =
    options.ses === 'emulator'
      ? aws.mailer
      : new SesMailer(
          createSesClient({
            ...aws.config,
            endpoints: { ses: requireStandIn(standIn).endpoint },
            requestTimeoutMs: 1_500,
            maxAttempts: 1,
          }),
          { configurationSetName: 'gazette-events' },
        );

  // The server listens first, so the publication's URL (every link in the mail) is this app.
  let fetchHandler: (request: Request) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: (r) => fetchHandler(r), port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    ) as Server;
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const served = publicationAt(baseUrl);
  const publication: Publication = { ...served, schedule: options.schedule ?? served.schedule };

  const ports: DeliveryPorts = {
    editions,
    ledger,
    subscribers: aws.subscriberIndex,
    objects: aws.objects,
    queue: sendQueue,
    mailer,
    signer,
    clock,
    sleeper: new TimerSleeper(),
    logger,
  };
  const worker = { ...TEST_WORKER, ...options.worker };
  const services = createDeliveryServices(ports, {
    publication,
    loadPosts: async () => options.posts,
    emailTemplates,
    worker,
  });

  const crash = options.crash ?? {};
  const processes = new WorkerPool(() => {
    const process = new WorkerProcess();
    const dieIf = (set: Set<string> | undefined, id: string) => {
      if (set?.delete(id)) process.kill(`died at a planned point for ${id}`);
    };
    const crashingLedger = new Proxy(ledger, {
      get(target, prop, receiver) {
        if (prop !== 'claim') return Reflect.get(target, prop, receiver);
        return async (row: Parameters<typeof ledger.claim>[0]) => {
          if (row.status === 'sending') dieIf(crash.beforeClaim, row.subscriberId);
          return target.claim(row);
        };
      },
    });
    const crashingMailer: Mailer = {
      async send(mail: OutgoingMail) {
        const id = mail.tags.subscriber ?? '';
        dieIf(crash.beforeSend, id);
        const sent = await mailer.send(mail);
        dieIf(crash.afterSend, id);
        return sent;
      },
    };
    const mortal = process.mortalPorts({ ...ports, ledger: crashingLedger, mailer: crashingMailer });
    const options: WorkerOptions = { publication, worker, newId: () => `attempt-${randomUUID()}` };
    process.worker = createDeliveryWorker({ ...mortal, signer }, options);
    return process;
  });
  const startWorkers = () => queue.start((messages) => processes.run(messages));
  if (options.startWorkers ?? true) startWorkers();

  const app = createApp({
    publication,
    baseUrl,
    store: aws.subscribers,
    suppressions: aws.suppressions,
    rateLimiter: aws.rateLimiter,
    signer,
    mailer,
    clock,
    logger,
    siteTemplates,
    emailTemplates,
    topics: () => ['trade', 'europe', 'science'],
    rateLimits: {
      subscribePerIp: { limit: 1000, windowSeconds: 600 },
      subscribePerAddress: { limit: 1000, windowSeconds: 3600 },
    },
    editor: { auth: options.editorAuth ?? { kind: 'bearer', token: EDITOR_TOKEN }, services },
  });
  fetchHandler = app.fetch;

  let added = 0;
  const prefix = randomUUID().slice(0, 8);
  return {
    baseUrl,
    publication,
    services: services as DeliveryServices,
    ports,
    editions,
    ledger,
    queue,
    signer,
    logger,
    processes,
    startWorkers,
    /** Waits until the queue is empty and no batch runs. */
    drain: () => queue.drain(),
    /** An editor API call over HTTP; `auth: null` sends no Authorization header. */
    async api(method: string, path: string, body?: unknown, auth: string | null = `Bearer ${EDITOR_TOKEN}`) {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (auth !== null) headers.authorization = auth;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(new URL(path, baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      return {
        status: res.status,
        headers: res.headers,
        body: (await res.json()) as Record<string, unknown>,
      };
    },
    /** Writes subscribers to the subscribers table (the fan-out index sees the active ones). */
    async addSubscribers(
      count: number,
      status: SubscriberStatus = 'active',
      cadence: Cadence = 'weekly',
      topics: string[] = [],
    ) {
      const made: Subscriber[] = [];
      for (let i = 0; i < count; i++) {
        added += 1;
        const id = `sub-${prefix}-${String(added).padStart(4, '0')}`;
        const at = new Date(Date.now() - 86_400_000).toISOString();
        made.push(
          makeSubscriber(`reader-${prefix}-${added}@example.org`, id, at, { status, cadence, topics }),
        );
      }
      await Promise.all(made.map((s) => aws.subscribers.create(s)));
      return made;
    },
    async stop() {
      await queue.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export type DeliveryStack = Awaited<ReturnType<typeof startDeliveryStack>>;

function requireStandIn(standIn: SesStandIn | undefined): SesStandIn {
  if (!standIn) throw new Error('the stand-in SES is needed unless ses: "emulator"');
  return standIn;
}

/** One send worker "process" (see MortalProcess); a planned crash kills it with ProcessDied. */
class WorkerProcess extends MortalProcess {
  worker: SendWorker | undefined;

  constructor() {
    super((error): error is ProcessDied => error instanceof ProcessDied);
  }

  kill(why: string): never {
    const error = new ProcessDied(why);
    void this.die(error);
    throw error;
  }

  run(messages: ReceivedMessage<SendBatch>[]): Promise<BatchResult> {
    if (!this.worker) throw new Error('process without a worker');
    return this.race(this.worker.handleSendBatches(messages));
  }
}

/** Processes reused while alive and idle; a dead one is dropped and its batch fails (redelivered). */
class WorkerPool {
  private readonly idle: WorkerProcess[] = [];
  crashes = 0;
  started = 0;

  constructor(private readonly make: () => WorkerProcess) {}

  async run(messages: ReceivedMessage<SendBatch>[]): Promise<BatchResult> {
    const process = this.idle.pop() ?? this.spawn();
    try {
      const result = await process.run(messages);
      this.idle.push(process);
      return result;
    } catch (error) {
      if (!(error instanceof ProcessDied)) throw error;
      this.crashes += 1;
      // Like a Lambda that died: no answer, the whole batch comes back after the visibility timeout.
      throw error;
    }
  }

  private spawn(): WorkerProcess {
    this.started += 1;
    return this.make();
  }
}
