/**
 * Every port the core talks through. Adapters implement them (adapters/aws, adapters/local,
 * adapters/fs, adapters/crypto); handlers and the CLI wire them together.
 */
import type {
  Delivery,
  DeliveryStatus,
  Edition,
  EditionState,
  EditionVariant,
  ShardProgress,
} from './edition.js';
import type { Cadence } from './model.js';
import type { Subscriber, SubscriberStatus, Suppression } from './subscriber.js';

/** The only source of "now" the core knows. */
export interface Clock {
  now(): Date;
}

/** Outcome of a conditional write: expected outcomes are data, not exceptions. */
export type WriteResult = { ok: true } | { ok: false; reason: 'exists' | 'missing' | 'conflict' };

/** Subscribers, one record per normalized address. */
export interface SubscriberStore {
  /** Strongly consistent read by the address hash. */
  get(emailKey: string): Promise<Subscriber | undefined>;
  /** Creates the record only if none exists for the address. */
  create(subscriber: Subscriber): Promise<WriteResult>;
  /**
   * Replaces the record only if the stored one still has `expectedVersion`
   * (the caller increments `version`). `conflict` when someone wrote in between,
   * `missing` when the record is gone.
   */
  update(subscriber: Subscriber, expectedVersion: number): Promise<WriteResult>;
  /** Erases the record (right to erasure). */
  delete(emailKey: string): Promise<void>;
  /** Counts by status and cadence (editor console). */
  count(): Promise<Record<SubscriberStatus, Record<string, number>>>;
}

/**
 * The whole subscriber list, page by page, in no particular order: the editor's export and
 * search. A scan: never on a hot path.
 */
export interface SubscriberDirectory {
  /** Up to `limit` records after `cursor` (opaque; undefined = from the start), and the next cursor. */
  page(
    cursor: string | undefined,
    limit: number,
  ): Promise<{ subscribers: Subscriber[]; cursor: string | undefined }>;
}

/** Addresses never to mail, kept as hashes. */
export interface SuppressionList {
  get(emailKey: string): Promise<Suppression | undefined>;
  put(suppression: Suppression): Promise<void>;
  remove(emailKey: string): Promise<void>;
  list(): Promise<Suppression[]>;
}

/** One outgoing message, MIME already built. */
export interface OutgoingMail {
  /** The complete RFC 5322 message, as SES SendRawEmail takes it. */
  raw: Uint8Array;
  /** Envelope sender address. */
  from: string;
  /** Envelope recipients. */
  to: string[];
  /** SES message tags (name → value): `edition`, `kind`. Both [A-Za-z0-9_-]{1,256}: SES refuses dots. */
  tags: Record<string, string>;
}

export interface Mailer {
  /** Sends one message; resolves with the provider's message id. Throws a MailerError on failure. */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

export interface StoredObject {
  body: Uint8Array;
  contentType: string;
  /** Quoted entity tag, as HTTP sends it: `"abc…"`. */
  etag: string;
  lastModified: Date;
}

/** The site bucket: archive pages, feeds, rendered editions. */
export interface ObjectStore {
  get(key: string): Promise<StoredObject | undefined>;
  put(
    key: string,
    body: Uint8Array | string,
    options: { contentType: string; cacheControl?: string },
  ): Promise<void>;
  /** Keys under a prefix with their entity tags (for writing only what changed). */
  list(prefix?: string): Promise<Array<{ key: string; etag: string }>>;
  delete(keys: string[]): Promise<void>;
}

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the current window ends, when not allowed. */
  retryAfterSeconds: number;
}

/** Fixed-window counters with expiry. */
export interface RateLimiter {
  hit(key: string, limit: number, windowSeconds: number, now: Date): Promise<RateDecision>;
}

/** What a signed link lets its holder do. */
export type TokenPurpose = 'confirm' | 'unsubscribe' | 'preferences';

export interface TokenClaims {
  purpose: TokenPurpose;
  /** The subscriber's address hash. */
  emailKey: string;
  /** The subscriber record's random id: links die with the record. */
  subscriberId: string;
  /** Expiry, seconds since the epoch; absent = does not expire. */
  exp?: number | undefined;
}

export type TokenCheck =
  | { ok: true; claims: TokenClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' | 'wrong-purpose' };

export interface TokenSigner {
  sign(claims: TokenClaims): string;
  /** Verifies signature (constant time), expiry against `now`, and purpose. */
  verify(token: string, purpose: TokenPurpose, now: Date): TokenCheck;
}

/** Structured logs: a message and fields. Powertools' Logger and console-like sinks fit. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

// ---------------------------------------------------------------------------------------------
// Delivery engine: editions, the delivery ledger, fan-out reads and the send queue.
// ---------------------------------------------------------------------------------------------

/** Editions, created once by their deterministic id. */
export interface EditionStore {
  get(id: string): Promise<Edition | undefined>;
  /** Creates the edition only if no edition has that id. */
  create(edition: Edition): Promise<WriteResult>;
  /** The edition of a cadence with the latest window end, if any (where the next window starts). */
  latest(cadence: Cadence): Promise<Edition | undefined>;
  /** Newest first, for the editor. */
  list(limit: number): Promise<Edition[]>;
  /** Records one shard's fan-out; idempotent (a repeated call overwrites the same numbers). */
  recordShard(id: string, shard: string, progress: ShardProgress): Promise<void>;
  /** Sets state (and the matching timestamp) unconditionally. */
  setState(id: string, state: EditionState, at: Date): Promise<void>;
  /** Marks fan-out complete. */
  markFannedOut(id: string, at: Date): Promise<void>;
  /**
   * Records a rendered variant on the edition, once per key: a no-op when the edition already
   * has a variant with that key (fan-out retries and concurrent fan-outs render the same sets).
   */
  addVariant(id: string, variant: EditionVariant): Promise<void>;
}

/** The delivery ledger: one row per (edition, subscriber). Single-item conditional writes only. */
export interface DeliveryLedger {
  /** Rows for these subscribers of an edition (missing ones are absent from the map). */
  getMany(editionId: string, subscriberIds: string[]): Promise<Map<string, Delivery>>;
  /** Writes the row only if none exists (the claim). `exists` when another attempt has it. */
  claim(row: Delivery): Promise<WriteResult>;
  /**
   * Moves a row to a new status only if it is still held by `attempt` (or, with
   * `fromStatus`, only if it still has that status). `conflict` otherwise.
   */
  settle(
    editionId: string,
    subscriberId: string,
    change: { status: DeliveryStatus; messageId?: string; reason?: string; at: Date },
    guard: { attempt?: string; fromStatus?: DeliveryStatus },
  ): Promise<WriteResult>;
  /** Marks many claimed rows sent in one go (rows this attempt holds). */
  markSent(
    editionId: string,
    rows: Array<{ subscriberId: string; messageId: string; attempt: string }>,
    at: Date,
  ): Promise<void>;
  /** Deletes a claim this attempt holds (the send certainly did not happen, e.g. throttled). */
  release(editionId: string, subscriberId: string, attempt: string): Promise<WriteResult>;
  /** Counts rows by status (and dead-lettered failures). */
  count(editionId: string): Promise<Record<DeliveryStatus, number> & { deadLettered: number }>;
  /** Finds a row by SES MessageId (to settle by SES events). */
  findByMessageId(messageId: string): Promise<Delivery | undefined>;
}

/** One active subscriber as fan-out sees it. */
export interface FanOutEntry {
  subscriberId: string;
  emailKey: string;
  topics: string[];
}

/** Pages through active subscribers of a cadence, shard by shard (a sparse, sharded index). */
export interface SubscriberIndex {
  page(
    cadence: Cadence,
    shard: number,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ entries: FanOutEntry[]; cursor: string | undefined }>;
  /** Strongly consistent reads of several subscribers at once (missing ones are absent). */
  getMany(emailKeys: string[]): Promise<Map<string, Subscriber>>;
}

/** A message as the queue hands it to a consumer. */
export interface ReceivedMessage<T> {
  /** Unique per delivery of the message (SQS receipt/message id). */
  id: string;
  body: T;
  /** 1 on first delivery. */
  receiveCount: number;
}

/** What a consumer answers for a batch: the ids to deliver again (SQS partial batch failure). */
export interface BatchResult {
  failedIds: string[];
}

/** The send queue: SQS on AWS, in-process locally. */
export interface Queue<T> {
  /** Enqueues bodies in batches of at most 10 per call. */
  sendBatch(bodies: T[], options?: { delaySeconds?: number }): Promise<void>;
}

/** Waiting, as a port so tests and benchmarks control time. */
export interface Sleeper {
  sleep(ms: number): Promise<void>;
}
