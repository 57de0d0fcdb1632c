import type { Delivery } from '../edition.js';
import type { Clock, DeliveryLedger, Logger } from '../ports.js';

/** The part of an SES event (configuration set → SNS/EventBridge) that settles a delivery. */
export interface SesDeliveryEvent {
  /** `eventType` / `notificationType`: `Send`, `Delivery`, `Bounce`, `Complaint`, `Reject`, … */
  type: string;
  /** SES's MessageId of the mail (`mail.messageId`). */
  messageId: string;
  /** `mail.tags`: SES gives lists of values; plain strings are accepted too. */
  tags?: Record<string, string | readonly string[] | undefined> | undefined;
}

export type SettleResult =
  | { ok: true; settled: 'sent' | 'failed'; editionId: string; subscriberId: string }
  | { ok: false; reason: 'not-a-delivery' | 'no-row' | 'already-settled' | 'ignored-event' };

/** Events that prove SES accepted the mail: it was sent, whatever happened next. */
const PROOF_OF_SEND = new Set([
  'Send',
  'Delivery',
  'Bounce',
  'Complaint',
  'DeliveryDelay',
  'Open',
  'Click',
  'Subscription',
]);

function firstTag(tags: SesDeliveryEvent['tags'], name: string): string | undefined {
  const value = tags?.[name];
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * Reconciles the ledger with what SES saw. A delivery claimed but never confirmed (`sending` or
 * `unknown`: the worker died or timed out around the call) becomes `sent`, with SES's MessageId,
 * as soon as an event proves the mail left (send, delivery, bounce, complaint…); a `Reject`
 * (SES refused it after accepting the call) makes it `failed`. Settled rows are left as they are.
 * The row is found by the `edition` and `subscriber` tags, else by MessageId. Test sends
 * (`kind=test`) have no row.
 */
export function createSesEventSettler(deps: {
  ledger: DeliveryLedger;
  clock: Clock;
  logger?: Logger | undefined;
}): (event: SesDeliveryEvent) => Promise<SettleResult> {
  return async (event) => {
    const proof = PROOF_OF_SEND.has(event.type);
    if (!proof && event.type !== 'Reject') return { ok: false, reason: 'ignored-event' };
    if (firstTag(event.tags, 'kind') === 'test') return { ok: false, reason: 'not-a-delivery' };
    const editionId = firstTag(event.tags, 'edition');
    const subscriberId = firstTag(event.tags, 'subscriber');
    let row: Delivery | undefined;
    if (editionId && subscriberId)
      row = (await deps.ledger.getMany(editionId, [subscriberId])).get(subscriberId);
    if (!row) row = await deps.ledger.findByMessageId(event.messageId);
    if (!row) return { ok: false, reason: editionId ? 'no-row' : 'not-a-delivery' };
    if (row.status !== 'sending' && row.status !== 'unknown') return { ok: false, reason: 'already-settled' };
    const settled = proof ? 'sent' : 'failed';
    const result = await deps.ledger.settle(
      row.editionId,
      row.subscriberId,
      proof
        ? { status: 'sent', messageId: event.messageId, at: deps.clock.now() }
        : { status: 'failed', messageId: event.messageId, reason: 'rejected by SES', at: deps.clock.now() },
      { fromStatus: row.status },
    );
    if (!result.ok) return { ok: false, reason: 'already-settled' };
    deps.logger?.info('delivery settled from SES event', {
      editionId: row.editionId,
      status: settled,
      type: event.type,
    });
    return { ok: true, settled, editionId: row.editionId, subscriberId: row.subscriberId };
  };
}
