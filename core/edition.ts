import type { Cadence, DigestCadence } from './model.js';

/** Where an edition stands. `done` once every planned delivery has an outcome. */
export type EditionState = 'sending' | 'paused' | 'done';

/** What started an edition. */
export type EditionTrigger = 'schedule' | 'editor' | 'publish';

/**
 * One rendering of an edition for one distinct set of posts (topic filtering): every
 * subscriber whose topics select the same posts gets the same variant.
 */
export interface EditionVariant {
  /** Stable key of the post set: a short hash of the sorted slugs, or `all`. */
  key: string;
  postSlugs: string[];
  subject: string;
  /** Object-store key of the rendered edition (JSON: subject, preheader, html, text with placeholders). */
  objectKey: string;
}

/** Progress of fan-out for one shard of the subscriber index. */
export interface ShardProgress {
  done: boolean;
  /** Recipients enqueued from this shard. */
  planned: number;
}

/**
 * One email rendered once for an audience. The id is deterministic (`weekly-2026-W48`,
 * `daily-2026-11-27`, `post-<slug>`), so creating it is a conditional write and a second
 * trigger finds the first.
 */
export interface Edition {
  id: string;
  cadence: Cadence;
  kind: 'digest' | 'post';
  /** Posts published in (windowStart, windowEnd] are in a digest. ISO instants. */
  windowStart: string;
  windowEnd: string;
  /** Every post of the edition, newest first. */
  postSlugs: string[];
  variants: EditionVariant[];
  state: EditionState;
  trigger: EditionTrigger;
  createdAt: string;
  /** Fan-out progress by shard (`"00"` … `"15"`); fan-out is complete when every shard is done. */
  shards: Record<string, ShardProgress>;
  /** Set when fan-out has finished every shard. */
  fannedOutAt?: string | undefined;
  pausedAt?: string | undefined;
  doneAt?: string | undefined;
}

/**
 * Outcome of one delivery (one edition to one subscriber). `sending` is the claim, written just
 * before the SES call; a `sending` row found by a later attempt may have been sent, so it becomes
 * `unknown` and is never re-sent automatically.
 */
export type DeliveryStatus = 'sending' | 'sent' | 'failed' | 'unknown' | 'skipped';

/** One row of the delivery ledger, keyed by (editionId, subscriberId). */
export interface Delivery {
  editionId: string;
  subscriberId: string;
  status: DeliveryStatus;
  /** Random id of the attempt that holds the claim. */
  attempt: string;
  /** SES MessageId once sent. */
  messageId?: string | undefined;
  /** Why it failed or was skipped. */
  reason?: string | undefined;
  updatedAt: string;
}

/** Counts an editor watches. */
export interface EditionProgress {
  editionId: string;
  state: EditionState;
  planned: number;
  sent: number;
  failed: number;
  unknown: number;
  /** Unsubscribed or suppressed since fan-out. */
  skipped: number;
  /** Claimed and not yet settled. */
  sending: number;
  /** Planned with no ledger row yet. */
  queued: number;
  /** Recipients whose queue message ended in the dead-letter queue. */
  deadLettered: number;
  fanOutComplete: boolean;
}

/** One recipient in a queue message: enough to re-read the subscriber and send. */
export interface Recipient {
  subscriberId: string;
  emailKey: string;
}

/** The body of one send-queue message: many recipients of one edition variant. */
export interface SendBatch {
  editionId: string;
  variantKey: string;
  recipients: Recipient[];
}

/**
 * What a digest schedule hands its handler: on AWS the EventBridge Scheduler target's input
 * (`scheduledTime` from `<aws.scheduler.scheduled-time>`), locally the in-process scheduler.
 */
export interface ScheduledEditionEvent {
  cadence: DigestCadence;
  /** When the schedule was due, ISO 8601 in UTC without fractions: `2026-11-27T08:00:00Z`. */
  scheduledTime: string;
}

/** What the hourly schedule hands the publish handler, so posts whose date has come appear. */
export interface PublishDueEvent {
  kind: 'publish-due';
  /** When the schedule was due, ISO 8601 in UTC without fractions. */
  scheduledTime: string;
}
