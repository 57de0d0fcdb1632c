import type { Cadence } from './model.js';

/** `pending` → `active` → `unsubscribed`; `suppressed` after a hard bounce or a complaint. */
export type SubscriberStatus = 'pending' | 'active' | 'unsubscribed' | 'suppressed';
export const SUBSCRIBER_STATUSES: readonly SubscriberStatus[] = [
  'pending',
  'active',
  'unsubscribed',
  'suppressed',
];

/** How and when the subscriber agreed to receive mail. */
export interface ConsentRecord {
  /** ISO instant of the subscription request. */
  at: string;
  /** Which form or path: `subscribe-page`, `archive`, `api`, `import`. */
  form: string;
  /** SHA-256 of the client IP, hex; empty when unknown (imports). */
  ipHash: string;
  userAgent: string;
  /** ISO instant of the confirmation (double opt-in), once confirmed. */
  confirmedAt?: string | undefined;
  /** For imports: the editor stated that consent was obtained elsewhere. */
  importedConsent?: boolean | undefined;
}

/**
 * One subscriber. Keyed by `emailKey` (the SHA-256 of the normalized address), which keeps one
 * record per address without transactions; `id` is random and changes when a deleted address
 * subscribes anew, so links minted for an earlier record stop working.
 */
export interface Subscriber {
  emailKey: string;
  id: string;
  email: string;
  status: SubscriberStatus;
  cadence: Cadence;
  /** Tags followed; empty = everything. */
  topics: string[];
  consent: ConsentRecord;
  createdAt: string;
  updatedAt: string;
  /** Last time a confirmation mail was sent (resend throttle). */
  confirmationSentAt?: string | undefined;
  unsubscribedAt?: string | undefined;
  suppressedAt?: string | undefined;
  suppressionReason?: string | undefined;
  /** Transient (soft) bounces counted. */
  softBounces: number;
  /** Fan-out shard, fixed at creation: 0 … FANOUT_SHARDS-1. */
  shard: number;
  /** Optimistic concurrency: incremented on every write. */
  version: number;
}

/** Number of shards of the fan-out index; fan-out reads them in parallel. */
export const FANOUT_SHARDS = 16;

/** Why an address is on the suppression list. */
export type SuppressionReason = 'bounce' | 'complaint' | 'deleted';

/** An address that must not be mailed, kept as a hash only. */
export interface Suppression {
  emailKey: string;
  reason: SuppressionReason;
  at: string;
  /** Free text from the bounce or complaint notification, when there is one. */
  detail?: string | undefined;
}
