import { expect } from 'vitest';
import type { RenderedPost } from '../../../core/model.js';
import type { DeliveryLedger } from '../../../core/ports.js';
import type { Subscriber } from '../../../core/subscriber.js';
import { renderedPost } from '../../support/fixtures.js';
import type { SesStandIn } from '../../support/ses-stand-in.js';

/** A published, rendered post dated `hoursAgo` hours before now. */
export function recentPost(slug: string, hoursAgo: number, tags: string[] = ['europe']): RenderedPost {
  return renderedPost(slug, new Date(Date.now() - hoursAgo * 3_600_000), tags);
}

/**
 * Exactly once per active subscriber, counted on both sides: SES took one mail for each address
 * (the stand-in counts by recipient) and the ledger holds one `sent` row per subscriber; nobody
 * else got anything.
 */
export async function expectExactlyOnce(
  standIn: SesStandIn,
  ledger: DeliveryLedger,
  editionId: string,
  active: readonly Subscriber[],
  others: readonly Subscriber[],
): Promise<void> {
  for (const s of active) expect(standIn.sendsByRecipient.get(s.email), s.email).toBe(1);
  for (const s of others) expect(standIn.sendsByRecipient.get(s.email), s.email).toBeUndefined();
  const mine = standIn.mails().filter((m) => m.tags.edition === editionId);
  expect(mine).toHaveLength(active.length);
  const rows = await ledger.getMany(
    editionId,
    active.map((s) => s.id),
  );
  for (const s of active) {
    const row = rows.get(s.id);
    expect(row?.status, s.email).toBe('sent');
    // The row names the MessageId SES answered for that very recipient.
    expect(mine.find((m) => m.messageId === row?.messageId)?.to, s.email).toEqual([s.email]);
  }
  const counts = await ledger.count(editionId);
  expect(counts).toMatchObject({ sent: active.length, sending: 0, unknown: 0, failed: 0, deadLettered: 0 });
}
