/**
 * What the delivery engine is built from, as the composition roots (the Lambda functions, the
 * local stack, the benchmarks) hand it over: ports already made, and the publication's content.
 * Nothing here reads the environment.
 */
import type { SendWorkerConfig } from '../../core/delivery/send-worker-config.js';
import type { SendBatch } from '../../core/edition.js';
import type { EmailTemplates } from '../../core/email/rendered-mail.js';
import type { Publication, RenderedPost } from '../../core/model.js';
import type {
  Clock,
  DeliveryLedger,
  EditionStore,
  Logger,
  Mailer,
  ObjectStore,
  Queue,
  Sleeper,
  SubscriberIndex,
  TokenSigner,
} from '../../core/ports.js';

/** The ports of the delivery engine. */
export interface DeliveryPorts {
  editions: EditionStore;
  ledger: DeliveryLedger;
  /** The fan-out index of active subscribers (and consistent reads of whole records). */
  subscribers: SubscriberIndex;
  /** The site bucket: rendered variants and the public web copy of each edition. */
  objects: ObjectStore;
  /** The send queue: SQS on AWS, an InProcessQueue locally. */
  queue: Queue<SendBatch>;
  mailer: Mailer;
  /** Signs each recipient's unsubscribe and preferences links: only a process that sends needs it. */
  signer?: TokenSigner | undefined;
  clock: Clock;
  /** Waits for send tokens and backoff (a TimerSleeper outside tests). */
  sleeper: Sleeper;
  logger?: Logger | undefined;
}

/** The ports of a process that sends. */
export type WorkerPorts = DeliveryPorts & { signer: TokenSigner };

/** What the send worker needs besides the ports. */
export interface WorkerOptions {
  /** Sender, reply-to, title (List-Id) and URL (the base of every recipient's links). */
  publication: Pick<Publication, 'title' | 'url' | 'email'>;
  /** Pacing and retries; only the rate is required (see `resolveSendWorkerConfig`). */
  worker: Partial<SendWorkerConfig> & Pick<SendWorkerConfig, 'sendRatePerSecond'>;
  /** A new random id per attempt (default: random UUIDs). */
  newId?: (() => string) | undefined;
  /** A random number in [0, 1) for backoff jitter (default: Math.random). */
  random?: (() => number) | undefined;
}

/** What the whole delivery engine needs besides the ports. */
export interface DeliveryOptions extends Omit<WorkerOptions, 'worker'> {
  publication: Publication;
  /** The send worker's pacing; needed only by a process that sends (see `DeliveryServices.sendWorker`). */
  worker?: WorkerOptions['worker'] | undefined;
  /**
   * Every post as published now, rendered; asked at each use, so it may change between calls
   * (the local stack republishes as content/ changes).
   */
  loadPosts(): Promise<readonly RenderedPost[]>;
  /** The email templates (MJML + Liquid), or a function that gives the current ones. */
  emailTemplates: EmailTemplates | (() => EmailTemplates | Promise<EmailTemplates>);
}
