import { describe, expect, it } from 'vitest';
import { createSesEventSettler } from '../../../core/delivery/settle-from-ses-event.js';
import type { Delivery } from '../../../core/edition.js';
import { ManualClock, MemoryDeliveryLedger } from '../../support/memory-delivery.js';

const AT = '2026-11-27T10:00:00.000Z';

function setUp(rows: Array<Partial<Delivery> & Pick<Delivery, 'subscriberId' | 'status'>>) {
  const ledger = new MemoryDeliveryLedger();
  for (const r of rows) ledger.seed({ editionId: 'weekly-2026-W48', attempt: 'a1', updatedAt: AT, ...r });
  const settle = createSesEventSettler({ ledger, clock: new ManualClock(AT) });
  const tags = (subscriber: string) => ({
    edition: ['weekly-2026-W48'],
    subscriber: [subscriber],
    kind: ['edition'],
  });
  return { ledger, settle, tags };
}

describe('settling deliveries from SES events', () => {
  it.each(['Delivery', 'Send', 'Bounce', 'Complaint', 'DeliveryDelay'])(
    'a %s event proves an unknown delivery was sent',
    async (type) => {
      const { ledger, settle, tags } = setUp([{ subscriberId: 's1', status: 'unknown' }]);
      expect(await settle({ type, messageId: 'ses-1', tags: tags('s1') })).toEqual({
        ok: true,
        settled: 'sent',
        editionId: 'weekly-2026-W48',
        subscriberId: 's1',
      });
      expect(ledger.rowsOf('weekly-2026-W48')[0]).toMatchObject({ status: 'sent', messageId: 'ses-1' });
    },
  );

  it('settles a claim still marked sending, and a Reject makes it failed', async () => {
    const { ledger, settle, tags } = setUp([
      { subscriberId: 's1', status: 'sending' },
      { subscriberId: 's2', status: 'unknown' },
    ]);
    expect(await settle({ type: 'Delivery', messageId: 'ses-1', tags: tags('s1') })).toMatchObject({
      settled: 'sent',
    });
    expect(await settle({ type: 'Reject', messageId: 'ses-2', tags: tags('s2') })).toMatchObject({
      settled: 'failed',
    });
    const rows = new Map(ledger.rowsOf('weekly-2026-W48').map((r) => [r.subscriberId, r]));
    expect(rows.get('s2')).toMatchObject({ status: 'failed', reason: 'rejected by SES' });
  });

  it('finds the row by MessageId when the tags are missing', async () => {
    const { ledger, settle } = setUp([{ subscriberId: 's1', status: 'unknown', messageId: 'ses-9' }]);
    expect(await settle({ type: 'Delivery', messageId: 'ses-9' })).toMatchObject({
      ok: true,
      subscriberId: 's1',
    });
    expect(ledger.rowsOf('weekly-2026-W48')[0]?.status).toBe('sent');
  });

  it('leaves settled rows, test sends, unrelated mail and other events alone', async () => {
    const { ledger, settle, tags } = setUp([
      { subscriberId: 's1', status: 'sent', messageId: 'ses-1' },
      { subscriberId: 's2', status: 'skipped', reason: 'unsubscribed' },
    ]);
    expect(await settle({ type: 'Bounce', messageId: 'ses-1', tags: tags('s1') })).toEqual({
      ok: false,
      reason: 'already-settled',
    });
    expect(await settle({ type: 'Delivery', messageId: 'x', tags: tags('s2') })).toEqual({
      ok: false,
      reason: 'already-settled',
    });
    expect(await settle({ type: 'Delivery', messageId: 'x', tags: { edition: 'e', kind: 'test' } })).toEqual({
      ok: false,
      reason: 'not-a-delivery',
    });
    expect(await settle({ type: 'Delivery', messageId: 'confirmation-mail' })).toEqual({
      ok: false,
      reason: 'not-a-delivery',
    });
    expect(await settle({ type: 'Delivery', messageId: 'x', tags: tags('nobody') })).toEqual({
      ok: false,
      reason: 'no-row',
    });
    expect(await settle({ type: 'Rendering Failure', messageId: 'x', tags: tags('s1') })).toEqual({
      ok: false,
      reason: 'ignored-event',
    });
    expect(ledger.rowsOf('weekly-2026-W48').map((r) => r.status)).toEqual(['sent', 'skipped']);
  });
});
