import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import type { Suppression } from '../../../core/subscriber.js';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws();

const bounce: Suppression = {
  emailKey: emailKeyOf('bounced@example.com'),
  reason: 'bounce',
  at: '2026-11-27T10:00:00.000Z',
  detail: 'smtp; 550 5.1.1 user unknown',
};

describe('DynamoSuppressionList', () => {
  it('stores and reads a suppression', async () => {
    await aws.suppressions.put(bounce);
    expect(await aws.suppressions.get(bounce.emailKey)).toEqual(bounce);
    expect(await aws.suppressions.get(emailKeyOf('fine@example.com'))).toBeUndefined();
  });

  it('keeps one entry per address: a later put replaces the earlier one', async () => {
    await aws.suppressions.put(bounce);
    const complaint: Suppression = {
      emailKey: bounce.emailKey,
      reason: 'complaint',
      at: '2026-11-28T09:00:00.000Z',
    };
    await aws.suppressions.put(complaint);
    expect(await aws.suppressions.get(bounce.emailKey)).toEqual(complaint);
    expect(await aws.suppressions.list()).toEqual([complaint]);
  });

  it('removes an entry, and removing an unknown one is harmless', async () => {
    await aws.suppressions.put(bounce);
    await aws.suppressions.remove(bounce.emailKey);
    expect(await aws.suppressions.get(bounce.emailKey)).toBeUndefined();
    await expect(aws.suppressions.remove(bounce.emailKey)).resolves.toBeUndefined();
  });

  it('lists every entry across scan pages', async () => {
    // Large details push the scan past one 1 MB page.
    const detail = 'x'.repeat(50_000);
    const all = Array.from({ length: 30 }, (_, i) => ({
      emailKey: emailKeyOf(`s${i}@example.com`),
      reason: 'deleted' as const,
      at: '2026-11-27T10:00:00.000Z',
      detail,
    }));
    await Promise.all(all.map((s) => aws.suppressions.put(s)));
    const firstPage = await aws.doc.send(new ScanCommand({ TableName: aws.tables.suppressions }));
    expect(firstPage.LastEvaluatedKey, 'the data should span more than one scan page').toBeDefined();
    const listed = await aws.suppressions.list();
    expect(listed.map((s) => s.emailKey).sort()).toEqual(all.map((s) => s.emailKey).sort());
  });
});
