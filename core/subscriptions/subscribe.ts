import { emailKeyOf } from '../email-key.js';
import type { Cadence } from '../model.js';
import { FANOUT_SHARDS, type Subscriber } from '../subscriber.js';
import type { SubscribeForm } from './parse-subscribe-request.js';
import { subscriberLink } from './subscriber-links.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { ConfirmationNotSentError } from './subscription-errors.js';
import { updateWithRetry } from './update-with-retry.js';

/** A pending address gets at most one confirmation mail per this interval, however often it is entered. */
export const CONFIRMATION_RESEND_INTERVAL_MS = 10 * 60 * 1000;

/** Sends the double opt-in mail with its confirmation link. */
export type SendConfirmation = (mail: { to: string; confirmUrl: string }) => Promise<{ messageId: string }>;

/** The subscription ports plus what a confirmation mail needs. */
export interface SubscribeDeps extends SubscriptionDeps {
  sendConfirmation: SendConfirmation;
  /** Base URL of the web app's pages, ending with `/`. */
  baseUrl: string;
  /** A new random record id. */
  newId(): string;
}

/** One validated request (see parseSubscribeRequest) and where it came from. */
export interface SubscribeInput {
  /** Normalized, validated address. */
  email: string;
  cadence: Cadence;
  topics: string[];
  form: SubscribeForm;
  /** Hash of the client's IP, for the consent record. */
  ipHash: string;
  userAgent: string;
}

/**
 * What happened, for logs and tests. Callers must answer every case the same way: the difference
 * between them is exactly what an address enumeration would look for.
 */
export type SubscribeAction =
  /** A new record, pending, confirmation sent. */
  | 'created'
  /** The address had deleted itself: a new record with a new id, pending, confirmation sent. */
  | 'recreated'
  /** An unsubscribed record back to pending, confirmation sent. */
  | 'resubscribed'
  /** Still pending and the last mail is old enough: sent again. */
  | 'resent'
  /** Still pending and the last mail is recent: nothing sent (no mail bombing through the form). */
  | 'throttled'
  /** Already active: nothing changes and nothing is sent, not even a "you are subscribed" note, for the same reason. */
  | 'already-active'
  /** Hard bounce or complaint on record: never mailed again. */
  | 'suppressed';

/** What was done, for logs and tests only: see {@link SubscribeAction}. */
export interface SubscribeResult {
  action: SubscribeAction;
  mailed: boolean;
}

/**
 * Double opt-in, step one. New and unsubscribed addresses become `pending` and get a confirmation
 * mail; pending ones get it again at most once per {@link CONFIRMATION_RESEND_INTERVAL_MS}; active and
 * suppressed ones get nothing. A request also records consent (when, which form, hashed IP, user
 * agent) and, for pending records, the cadence and topics asked for last. A mail that cannot be sent
 * throws a ConfirmationNotSentError (its `cause` is the mailer's error); records changing under the
 * request too often throw a SubscriberConflictError.
 */
export async function subscribe(deps: SubscribeDeps, input: SubscribeInput): Promise<SubscribeResult> {
  const emailKey = emailKeyOf(input.email);
  const now = deps.clock.now();
  const at = now.toISOString();
  const suppression = await deps.suppressions.get(emailKey);
  const consent = { at, form: input.form, ipHash: input.ipHash, userAgent: input.userAgent };
  const wanted = { cadence: input.cadence, topics: input.topics, consent, updatedAt: at };

  const applied = await updateWithRetry<SubscribeAction>(deps, emailKey, (current) => {
    if (suppression && suppression.reason !== 'deleted') return { result: 'suppressed' };
    if (!current) {
      const id = deps.newId();
      const record: Subscriber = {
        emailKey,
        id,
        email: input.email,
        status: 'pending',
        ...wanted,
        createdAt: at,
        confirmationSentAt: at,
        softBounces: 0,
        shard: shardOf(id),
        version: 1,
      };
      return { write: record, result: suppression ? 'recreated' : 'created' };
    }
    switch (current.status) {
      case 'suppressed':
        return { result: 'suppressed' };
      case 'active':
        return { result: 'already-active' };
      case 'unsubscribed':
        return {
          write: {
            ...current,
            ...wanted,
            email: input.email,
            status: 'pending',
            unsubscribedAt: undefined,
            confirmationSentAt: at,
          },
          result: 'resubscribed',
        };
      case 'pending': {
        const last = current.confirmationSentAt ? Date.parse(current.confirmationSentAt) : Number.NaN;
        const recent = now.getTime() - last < CONFIRMATION_RESEND_INTERVAL_MS;
        return {
          write: { ...current, ...wanted, confirmationSentAt: recent ? current.confirmationSentAt : at },
          result: recent ? 'throttled' : 'resent',
        };
      }
    }
  });

  const action = applied.result;
  const record = applied.written;
  if (!record || action === 'throttled') return { action, mailed: false };

  const confirmUrl = subscriberLink(deps.signer, deps.baseUrl, 'confirm', record, now);
  try {
    await deps.sendConfirmation({ to: record.email, confirmUrl });
  } catch (error) {
    // Let a retry send at once instead of being throttled for a mail that never left.
    await forgetSentAt(deps, record).catch(() => undefined);
    throw new ConfirmationNotSentError(record.id, { cause: error });
  }
  deps.logger?.info('confirmation sent', { action, subscriberId: record.id });
  return { action, mailed: true };
}

async function forgetSentAt(deps: SubscribeDeps, record: Subscriber): Promise<void> {
  await deps.store.update(
    { ...record, confirmationSentAt: undefined, version: record.version + 1 },
    record.version,
  );
}

/** A stable shard for the fan-out index from the random id (FNV-1a). */
export function shardOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % FANOUT_SHARDS;
}
