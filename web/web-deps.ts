import type { EmailTemplates } from '../core/email/rendered-mail.js';
import type { Publication } from '../core/model.js';
import type {
  Clock,
  Logger,
  Mailer,
  ObjectStore,
  RateLimiter,
  SubscriberStore,
  SuppressionList,
  TokenSigner,
} from '../core/ports.js';
import type { SiteTemplates } from '../core/site/site-templates.js';
import type { PacingOptions } from './answer-pacer.js';
import type { ConsoleDeps } from './console/console-deps.js';
import type { EditorDeps } from './editor/editor-deps.js';

/** A fixed-window limit: at most `limit` hits per `windowSeconds`. */
export interface RateRule {
  limit: number;
  windowSeconds: number;
}

/** One message the local outbox kept, raw MIME included. */
export interface OutboxMessage {
  messageId: string;
  to: readonly string[];
  subject: string;
  at: Date | string;
  raw: Uint8Array | string;
}

/** The local outbox as the web app reads it (`LocalOutbox` fits); any order, the pages show newest first. */
export interface OutboxReader {
  list(): Promise<readonly OutboxMessage[]> | readonly OutboxMessage[];
}

/** Everything the web app talks to. Handlers and the local server build it; nothing here reads the environment. */
export interface WebDeps {
  publication: Publication;
  /** Public base URL of this app, ending with `/`, used in links (locally `http://127.0.0.1:PORT/`). */
  baseUrl: string;
  store: SubscriberStore;
  suppressions: SuppressionList;
  rateLimiter: RateLimiter;
  signer: TokenSigner;
  mailer: Mailer;
  clock: Clock;
  logger: Logger;
  siteTemplates: SiteTemplates;
  emailTemplates: EmailTemplates;
  /** Tags of the published posts: the topics a subscriber may follow. Asked per request, so it can change. */
  topics(): Promise<readonly string[]> | readonly string[];
  /**
   * Key for hashing client IPs (consent record, rate limits); without it, plain SHA-256. Rate
   * limits count an IPv6 client by its /64 (see networkOf).
   */
  ipHashKey?: string | undefined;
  /**
   * On AWS: the value CloudFront sends in `X-Gazette-Origin-Verify`. Requests carrying it are
   * counted and recorded by the reader's address from `CloudFront-Viewer-Address` (see clientAddress).
   */
  originVerify?: string | undefined;
  /** Defaults: 5 per 10 minutes per IP, 3 per hour per address. */
  rateLimits?:
    | { subscribePerIp?: RateRule | undefined; subscribePerAddress?: RateRule | undefined }
    | undefined;
  /**
   * How POST /subscribe evens out its answer time, so that timing does not tell whether a mail was
   * sent (see createAnswerPacer; defaults in DEFAULT_PACING). Tests pass a virtual timer.
   */
  subscribePacing?: PacingOptions | undefined;
  /** Largest request body accepted, in bytes (default 16 KiB). */
  maxBodyBytes?: number | undefined;
  /** New subscriber ids (default: random UUIDs). */
  newId?: (() => string) | undefined;
  /** Local mode only: the outbox pages and the site served from its bucket. */
  local?: { outbox: OutboxReader; site: ObjectStore } | undefined;
  /** The editor API under `/editor/editions` (its auth and use cases); not served without it. */
  editor?: EditorDeps | undefined;
  /** The editors' console under `/editor/console` and the subscriber admin API; served with `editor` only. */
  console?: ConsoleDeps | undefined;
}

export const DEFAULT_RATE_LIMITS = {
  subscribePerIp: { limit: 5, windowSeconds: 600 },
  subscribePerAddress: { limit: 3, windowSeconds: 3600 },
} as const satisfies Record<string, RateRule>;

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
