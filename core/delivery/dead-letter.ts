import type { Delivery, SendBatch } from '../edition.js';
import type { Clock, DeliveryLedger } from '../ports.js';

/**
 * Reason prefix of a delivery given up with its queue message (the message went to the
 * dead-letter queue). Ledger adapters count `failed` rows with this prefix as `deadLettered`.
 */
export const DEAD_LETTER_REASON_PREFIX = 'dead-lettered: ';

/** True for a row failed because its queue message was dead-lettered. */
export function isDeadLettered(row: Pick<Delivery, 'status' | 'reason'>): boolean {
  return row.status === 'failed' && (row.reason ?? '').startsWith(DEAD_LETTER_REASON_PREFIX);
}

export interface DeadLetterDeps {
  ledger: DeliveryLedger;
  clock: Clock;
  newId(): string;
}

/**
 * Gives up the recipients of a queue message that ends in the dead-letter queue, so the loss is
 * visible in the edition's progress: every recipient without a row gets a `failed` row whose
 * reason starts with {@link DEAD_LETTER_REASON_PREFIX}; a claim older than `claimLeaseMs` (its
 * holder is gone, and may have sent) becomes `unknown`. Settled rows and fresh claims are left
 * alone. Returns how many rows were marked dead-lettered.
 */
export async function settleDeadLetter(
  deps: DeadLetterDeps,
  batch: SendBatch,
  reason: string,
  claimLeaseMs: number,
): Promise<number> {
  const ids = batch.recipients.map((r) => r.subscriberId);
  const rows = await deps.ledger.getMany(batch.editionId, ids);
  const now = deps.clock.now();
  const attempt = deps.newId();
  let marked = 0;
  for (const subscriberId of ids) {
    const row = rows.get(subscriberId);
    if (!row) {
      const claimed = await deps.ledger.claim({
        editionId: batch.editionId,
        subscriberId,
        status: 'failed',
        attempt,
        reason: `${DEAD_LETTER_REASON_PREFIX}${reason}`.slice(0, 500),
        updatedAt: now.toISOString(),
      });
      if (claimed.ok) marked += 1;
    } else if (row.status === 'sending' && now.getTime() - Date.parse(row.updatedAt) >= claimLeaseMs) {
      await deps.ledger.settle(
        batch.editionId,
        subscriberId,
        { status: 'unknown', reason: 'claimed, never confirmed, then dead-lettered', at: now },
        { fromStatus: 'sending' },
      );
    }
  }
  return marked;
}
