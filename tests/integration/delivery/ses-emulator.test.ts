/**
 * One edition through the whole local pipeline into aws-ses-v2-local, the SES emulator the local
 * stack runs: the emulator receives one mail per active subscriber, and the ledger names the
 * MessageIds it answered.
 */
import { describe, expect, it } from 'vitest';
import { useLocalAws } from '../../support/emulators.js';
import { startDeliveryStack } from './delivery-stack.js';
import { recentPost } from './expect-delivery.js';

const aws = useLocalAws();

describe('delivery into the SES emulator', () => {
  it('delivers one mail per active subscriber, none to anyone else', async () => {
    const stack = await startDeliveryStack(aws, undefined, {
      ses: 'emulator',
      posts: [recentPost('harbour-strike', 5, ['trade']), recentPost('border-talks', 2)],
    });
    try {
      const readers = await stack.addSubscribers(12);
      const others = [
        ...(await stack.addSubscribers(3, 'pending')),
        ...(await stack.addSubscribers(2, 'unsubscribed')),
      ];
      const created = await stack.api('POST', '/editor/editions', { cadence: 'weekly' });
      expect(created.status).toBe(201);
      const editionId = String(created.body.editionId);
      await stack.drain();

      const mails = await aws.sesEmails();
      const recipients = mails.flatMap((m) => m.destination.to).sort();
      expect(recipients).toEqual(readers.map((r) => r.email).sort());
      for (const other of others) expect(recipients).not.toContain(other.email);
      expect(new Set(mails.map((m) => m.subject))).toEqual(
        new Set(['Gazette Dispatch — Weekly digest: Title of border-talks and 1 more']),
      );
      const rows = await stack.ledger.getMany(
        editionId,
        readers.map((r) => r.id),
      );
      expect([...rows.values()].map((r) => r.messageId).sort()).toEqual(mails.map((m) => m.messageId).sort());
      expect(await stack.ledger.count(editionId)).toMatchObject({ sent: 12, unknown: 0, failed: 0 });
    } finally {
      await stack.stop();
    }
  });
});
