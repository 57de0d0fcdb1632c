import { describe, expect, it } from 'vitest';
import { DynamoSubscriberDirectory } from '../../../adapters/aws/dynamo-subscriber-directory.js';
import { emailKeyOf } from '../../../core/email-key.js';
import { exportSubscribersCsv } from '../../../core/subscribers-admin/export-subscribers.js';
import { importSubscribers } from '../../../core/subscribers-admin/import-subscribers.js';
import { searchSubscribers } from '../../../core/subscribers-admin/search-subscribers.js';
import { useLocalAws } from '../../support/emulators.js';
import { subscribeDepsOn } from './subscribe-deps.js';

const aws = useLocalAws();

describe('the subscriber list on DynamoDB (dynalite)', () => {
  it('is read page by page, every record once, with the index key left out', async () => {
    const deps = subscribeDepsOn(aws);
    const emails = Array.from({ length: 57 }, (_, i) => `reader${String(i).padStart(2, '0')}@example.org`);
    const report = await importSubscribers(
      deps,
      emails.map((email, i) => ({ row: i + 2, email, cadence: 'weekly', topics: [] })),
      {
        consented: true,
      },
    );
    expect(report.added).toHaveLength(57);

    const directory = new DynamoSubscriberDirectory(aws.doc, aws.tables.subscribers);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await directory.page(cursor, 10);
      pages += 1;
      expect(page.subscribers.length).toBeLessThanOrEqual(10);
      for (const s of page.subscribers) {
        expect(s).not.toHaveProperty('fanoutKey');
        seen.push(s.email);
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(seen.sort()).toEqual(emails);
    await expect(directory.page('not-a-cursor', 10)).rejects.toThrow(/not one this directory made/);
  });

  it('imports, finds and exports through the real adapters', async () => {
    const deps = subscribeDepsOn(aws);
    await importSubscribers(
      deps,
      [
        { row: 2, email: 'ann@example.org', cadence: 'daily', topics: ['europe'] },
        { row: 3, email: 'bob@example.org', cadence: 'weekly', topics: [] },
      ],
      { consented: false },
    );
    expect((await aws.subscribers.get(emailKeyOf('ann@example.org')))?.status).toBe('pending');
    const mails = await aws.sesEmails();
    expect(mails.flatMap((m) => m.destination.to).sort()).toEqual(['ann@example.org', 'bob@example.org']);
    expect(mails[0]?.body.text).toContain('http://127.0.0.1:3000/confirm?token=');

    const directory = new DynamoSubscriberDirectory(aws.doc, aws.tables.subscribers);
    const found = await searchSubscribers(
      { store: aws.subscribers, directory, suppressions: aws.suppressions },
      'ann@',
    );
    expect(found).toMatchObject({ ok: true, subscribers: [{ email: 'ann@example.org', cadence: 'daily' }] });
    let csv = '';
    for await (const chunk of exportSubscribersCsv(directory)) csv += chunk;
    expect(
      csv
        .split('\r\n')
        .slice(1, 3)
        .map((l) => l.split(',').slice(0, 4).join(',')),
    ).toEqual(['ann@example.org,daily,europe,pending', 'bob@example.org,weekly,,pending']);
  });
});
