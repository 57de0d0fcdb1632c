import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { batchPutAll } from '../../../adapters/aws/dynamo-batch.js';
import { DynamoDeliveryLedger } from '../../../adapters/aws/dynamo-delivery-ledger.js';
import { DEAD_LETTER_REASON_PREFIX } from '../../../core/delivery/dead-letter.js';
import type { Delivery } from '../../../core/edition.js';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws();
const E = 'weekly-2026-W48';
const AT = '2026-11-27T08:00:00.000Z';

/** The real document client, counting the commands it sends (by name). */
function countingClient(): { doc: DynamoDBDocumentClient; sent: Map<string, number> } {
  const sent = new Map<string, number>();
  const real = aws.doc;
  const doc = new Proxy(real, {
    get(target, property, receiver) {
      if (property === 'send') {
        return (command: { constructor: { name: string } }) => {
          sent.set(command.constructor.name, (sent.get(command.constructor.name) ?? 0) + 1);
          return target.send(command as never);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return { doc, sent };
}

const ledger = () => new DynamoDeliveryLedger(aws.doc, aws.tables.deliveries);

function claimRow(subscriberId: string, attempt: string, overrides: Partial<Delivery> = {}): Delivery {
  return { editionId: E, subscriberId, status: 'sending', attempt, updatedAt: AT, ...overrides };
}

describe('DynamoDeliveryLedger', () => {
  it('lets exactly one of many concurrent claims win', async () => {
    const l = ledger();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => l.claim(claimRow('s-1', `attempt-${i}`))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual(Array(11).fill({ ok: false, reason: 'exists' }));
    const winner = results.findIndex((r) => r.ok);
    const rows = await l.getMany(E, ['s-1']);
    expect(rows.get('s-1')).toEqual(claimRow('s-1', `attempt-${winner}`));
  });

  it('settles only under its guard: the holding attempt, or the status seen', async () => {
    const l = ledger();
    await l.claim(claimRow('s-1', 'a1'));
    const at = new Date('2026-11-27T08:00:03Z');
    expect(await l.settle(E, 's-1', { status: 'failed', reason: 'x', at }, { attempt: 'a2' })).toEqual({
      ok: false,
      reason: 'conflict',
    });
    expect(
      await l.settle(E, 's-1', { status: 'unknown', reason: 'TimeoutError: t', at }, { attempt: 'a1' }),
    ).toEqual({
      ok: true,
    });
    // Settled, the row is no longer held, not even by the attempt that claimed it.
    expect(await l.settle(E, 's-1', { status: 'failed', at }, { attempt: 'a1' })).toEqual({
      ok: false,
      reason: 'conflict',
    });
    expect(await l.settle(E, 's-1', { status: 'failed', at }, { fromStatus: 'sending' })).toEqual({
      ok: false,
      reason: 'conflict',
    });
    // An SES delivery event settles the unknown row.
    expect(
      await l.settle(E, 's-1', { status: 'sent', messageId: 'ses-123', at }, { fromStatus: 'unknown' }),
    ).toEqual({ ok: true });
    const row = (await l.getMany(E, ['s-1'])).get('s-1');
    expect(row).toEqual({
      editionId: E,
      subscriberId: 's-1',
      status: 'sent',
      attempt: 'a1',
      messageId: 'ses-123',
      updatedAt: at.toISOString(),
    });
    expect(await l.findByMessageId('ses-123')).toEqual(row);
    expect(await l.settle(E, 'nobody', { status: 'failed', at }, { attempt: 'a1' })).toEqual({
      ok: false,
      reason: 'missing',
    });
    await expect(l.settle(E, 's-1', { status: 'failed', at }, {})).rejects.toThrow(/needs a guard/);
  });

  it('releases a claim only for the attempt that holds it, and only while sending', async () => {
    const l = ledger();
    await l.claim(claimRow('s-1', 'a1'));
    await l.claim(claimRow('s-2', 'a1'));
    expect(await l.release(E, 's-1', 'a2')).toEqual({ ok: false, reason: 'conflict' });
    expect(await l.release(E, 's-1', 'a1')).toEqual({ ok: true });
    expect(await l.release(E, 's-1', 'a1')).toEqual({ ok: false, reason: 'missing' });
    await l.markSent(E, [{ subscriberId: 's-2', messageId: 'm-2', attempt: 'a1' }], new Date(AT));
    expect(await l.release(E, 's-2', 'a1')).toEqual({ ok: false, reason: 'conflict' });
    expect([...(await l.getMany(E, ['s-1', 's-2'])).keys()]).toEqual(['s-2']);
    // Released, the delivery can be claimed again.
    expect(await l.claim(claimRow('s-1', 'a3'))).toEqual({ ok: true });
  });

  it('marks more than 25 rows sent in batches and reads more than 100 rows back', async () => {
    const { doc, sent } = countingClient();
    const l = new DynamoDeliveryLedger(doc, aws.tables.deliveries);
    const ids = Array.from({ length: 260 }, (_, i) => `s-${String(i).padStart(4, '0')}`);
    await Promise.all(ids.map((id) => l.claim(claimRow(id, 'a1'))));
    const rows = ids.map((subscriberId, i) => ({ subscriberId, messageId: `m-${i}`, attempt: 'a1' }));
    await l.markSent(E, [...rows, rows[0]!], new Date('2026-11-27T08:05:00Z'));
    expect(sent.get('BatchWriteCommand')).toBe(Math.ceil(260 / 25));

    const read = await l.getMany(E, [...ids, 'missing-1', 'missing-2', ids[5]!]);
    expect(read.size).toBe(260);
    expect(sent.get('BatchGetCommand')).toBe(3);
    expect(read.get('s-0007')).toEqual({
      editionId: E,
      subscriberId: 's-0007',
      status: 'sent',
      attempt: 'a1',
      messageId: 'm-7',
      updatedAt: '2026-11-27T08:05:00.000Z',
    });
    expect(read.has('missing-1')).toBe(false);
    expect((await l.findByMessageId('m-259'))?.subscriberId).toBe('s-0259');
    expect(await l.findByMessageId('m-nope')).toBeUndefined();
  });

  it('counts rows by status, dead-lettered failures apart, across result pages', async () => {
    const { doc, sent } = countingClient();
    const l = new DynamoDeliveryLedger(doc, aws.tables.deliveries);
    const pad = 'x'.repeat(2000); // large rows, so one edition spans several 1 MB Query pages
    const plan: Array<[Delivery['status'], number, string | undefined]> = [
      ['sent', 2200, undefined],
      ['failed', 300, `MessageRejected: ${pad}`],
      ['failed', 150, `${DEAD_LETTER_REASON_PREFIX}${pad}`],
      ['unknown', 40, `TimeoutError: ${pad}`],
      ['skipped', 25, 'unsubscribed'],
      ['sending', 7, pad],
    ];
    const rows: Record<string, unknown>[] = [];
    for (const [status, n, reason] of plan) {
      for (let i = 0; i < n; i += 1) {
        rows.push({
          editionId: E,
          subscriberId: `${status}-${reason?.slice(0, 4)}-${i}`,
          status,
          attempt: 'a',
          reason,
          updatedAt: AT,
        });
      }
    }
    await batchPutAll(aws.doc, aws.tables.deliveries, rows);
    await l.claim({ ...claimRow('other-edition-row', 'a'), editionId: 'weekly-2026-W47' });

    expect(await l.count(E)).toEqual({
      sending: 7,
      sent: 2200,
      failed: 450,
      unknown: 40,
      skipped: 25,
      deadLettered: 150,
    });
    expect(sent.get('QueryCommand')).toBeGreaterThan(1);
    expect(await l.count('weekly-2099-W01')).toEqual({
      sending: 0,
      sent: 0,
      failed: 0,
      unknown: 0,
      skipped: 0,
      deadLettered: 0,
    });
  });
});
