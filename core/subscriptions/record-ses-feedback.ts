import { emailKeyOf } from '../email-key.js';
import { emailProblem, normalizeEmail } from '../normalize-email.js';
import type { SuppressionReason } from '../subscriber.js';
import { parseSesNotification } from './parse-ses-notification.js';
import type { SubscriptionDeps } from './subscription-deps.js';
import { updateWithRetry } from './update-with-retry.js';

/**
 * One event about a sent message, as the delivery ledger wants it: the SES MessageId, who it
 * concerns, and the message tags (`edition`, `kind`) the sender attached.
 */
export interface SendingEvent {
  type: 'delivery' | 'bounce' | 'complaint';
  messageId: string;
  recipients: string[];
  tags: Record<string, string>;
  /** For bounces: whether the address is now suppressed (a permanent bounce). */
  permanent?: boolean | undefined;
  at: string;
}

/** What a batch of notifications did: counts for logs, events for the delivery ledger. */
export interface FeedbackReport {
  /** Notifications understood (including types with nothing to do). */
  processed: number;
  /** Notifications skipped as malformed, by their index in the batch. */
  skipped: Array<{ index: number; reason: string }>;
  /** Addresses newly or again put on the suppression list. */
  suppressed: number;
  softBounces: number;
  /** Delivery, bounce and complaint events, for the delivery ledger to settle its rows. */
  events: SendingEvent[];
}

/** The ports feedback handling writes through (no signer, no mailer). */
export type FeedbackDeps = Pick<SubscriptionDeps, 'store' | 'suppressions' | 'clock' | 'logger'>;

/**
 * Applies a batch of SES notifications (Bounce, Complaint, Delivery, through SNS or EventBridge):
 * a permanent bounce or a complaint puts the address on the suppression list and marks its record
 * `suppressed` with the reason and time, so it is never mailed again; a transient or undetermined
 * bounce increments the record's soft-bounce count. Malformed notifications are logged and skipped;
 * storage failures are thrown, so the batch is retried (suppression is idempotent).
 */
export async function recordSesFeedback(
  deps: FeedbackDeps,
  notifications: readonly unknown[],
): Promise<FeedbackReport> {
  const report: FeedbackReport = { processed: 0, skipped: [], suppressed: 0, softBounces: 0, events: [] };
  for (const [index, notification] of notifications.entries()) {
    const parsed = parseSesNotification(notification);
    if (!parsed.ok) {
      report.skipped.push({ index, reason: parsed.reason });
      deps.logger?.warn('SES notification skipped', { index, reason: parsed.reason });
      continue;
    }
    const feedback = parsed.feedback;
    report.processed++;
    if (feedback.type === 'other') continue;
    const recipients = feedback.recipients.map((r) => r.address);
    const base = {
      messageId: feedback.mail.messageId,
      recipients,
      tags: feedback.mail.tags,
      at: feedback.at,
    };

    if (feedback.type === 'delivery') {
      report.events.push({ type: 'delivery', ...base });
      continue;
    }
    if (feedback.type === 'complaint') {
      for (const address of recipients) {
        if (await suppress(deps, address, 'complaint', feedback.feedbackType, index)) report.suppressed++;
      }
      report.events.push({ type: 'complaint', ...base });
      continue;
    }
    const permanent = feedback.bounceType === 'Permanent';
    for (const r of feedback.recipients) {
      if (permanent) {
        const detail = [feedback.bounceSubType, r.diagnostic].filter(Boolean).join(': ');
        if (await suppress(deps, r.address, 'bounce', detail || undefined, index)) report.suppressed++;
      } else if (await countSoftBounce(deps, r.address, index)) {
        report.softBounces++;
      }
    }
    report.events.push({ type: 'bounce', ...base, permanent });
  }
  return report;
}

/** `Jane <jane@example.com>` or `jane@example.com` → the normalized address, or undefined. */
function addressKey(deps: FeedbackDeps, raw: string, index: number): string | undefined {
  const inner = /<([^<>]*)>\s*$/.exec(raw)?.[1] ?? raw;
  const address = normalizeEmail(inner);
  if (emailProblem(address)) {
    deps.logger?.warn('SES notification names an unusable address', { index });
    return undefined;
  }
  return emailKeyOf(address);
}

async function suppress(
  deps: FeedbackDeps,
  raw: string,
  reason: Exclude<SuppressionReason, 'deleted'>,
  detail: string | undefined,
  index: number,
): Promise<boolean> {
  const emailKey = addressKey(deps, raw, index);
  if (!emailKey) return false;
  const at = deps.clock.now().toISOString();
  const existing = await deps.suppressions.get(emailKey);
  // The first bounce or complaint is kept as the reason; a `deleted` entry yields to the stronger one.
  if (!existing || existing.reason === 'deleted') {
    await deps.suppressions.put({
      emailKey,
      reason,
      at,
      ...(detail ? { detail: detail.slice(0, 500) } : {}),
    });
  }
  await updateWithRetry(deps, emailKey, (current) => {
    if (!current || current.status === 'suppressed') return { result: undefined };
    return {
      write: { ...current, status: 'suppressed', suppressedAt: at, suppressionReason: reason, updatedAt: at },
      result: undefined,
    };
  });
  deps.logger?.info('address suppressed', { reason, index });
  return true;
}

async function countSoftBounce(deps: FeedbackDeps, raw: string, index: number): Promise<boolean> {
  const emailKey = addressKey(deps, raw, index);
  if (!emailKey) return false;
  const at = deps.clock.now().toISOString();
  const applied = await updateWithRetry(deps, emailKey, (current) => {
    if (!current) return { result: false };
    return { write: { ...current, softBounces: current.softBounces + 1, updatedAt: at }, result: true };
  });
  return applied.result;
}
