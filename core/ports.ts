/**
 * Every port the core talks through. Adapters implement them (adapters/aws, adapters/local,
 * adapters/fs, adapters/crypto); handlers and the CLI wire them together.
 */
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
  /** SES message tags (name → value): `edition`, `kind`. Values [A-Za-z0-9_.-] only. */
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
