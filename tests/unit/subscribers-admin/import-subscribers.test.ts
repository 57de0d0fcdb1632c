import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import { MailerError } from '../../../core/mailer-error.js';
import type { Subscriber } from '../../../core/subscriber.js';
import { countSubscribers } from '../../../core/subscribers-admin/count-subscribers.js';
import { exportRow, exportSubscribersCsv } from '../../../core/subscribers-admin/export-subscribers.js';
import { importSubscribers } from '../../../core/subscribers-admin/import-subscribers.js';
import { parseImport } from '../../../core/subscribers-admin/parse-import.js';
import { searchSubscribers } from '../../../core/subscribers-admin/search-subscribers.js';
import { createMemorySubscriptionDeps, MemoryDirectory } from '../../support/memory-adapters.js';

const row = (n: number, email: string) => ({ row: n, email, cadence: 'weekly' as const, topics: [] });

function existing(email: string, status: Subscriber['status']): Subscriber {
  return {
    emailKey: emailKeyOf(email),
    id: `old-${email}`,
    email,
    status,
    cadence: 'daily',
    topics: ['europe'],
    consent: { at: '2026-01-01T00:00:00Z', form: 'subscribe-page', ipHash: 'abc', userAgent: 'ua' },
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    softBounces: 0,
    shard: 3,
    version: 1,
  };
}

describe('importSubscribers', () => {
  it('adds new addresses as pending with a confirmation mail and an import consent record', async () => {
    const { deps, confirmations } = createMemorySubscriptionDeps();
    const report = await importSubscribers(deps, [row(2, 'a@example.org'), row(3, 'b@example.org')], {
      consented: false,
    });
    expect(report.added).toEqual([
      { row: 2, email: 'a@example.org', status: 'pending', confirmation: 'sent' },
      { row: 3, email: 'b@example.org', status: 'pending', confirmation: 'sent' },
    ]);
    expect(confirmations.map((c) => c.to)).toEqual(['a@example.org', 'b@example.org']);
    expect(confirmations[0]?.confirmUrl).toMatch(/^https:\/\/news\.example\.org\/confirm\?token=/);
    const record = await deps.store.get(emailKeyOf('a@example.org'));
    expect(record).toMatchObject({
      status: 'pending',
      cadence: 'weekly',
      consent: { form: 'import', importedConsent: false, ipHash: '', at: '2026-11-27T10:00:00.000Z' },
      confirmationSentAt: '2026-11-27T10:00:00.000Z',
    });
  });

  it('makes them active at once when the editor states consent, and records that', async () => {
    const { deps, confirmations } = createMemorySubscriptionDeps();
    await deps.store.create(existing('pending@example.org', 'pending'));
    const report = await importSubscribers(deps, [row(2, 'new@example.org'), row(3, 'pending@example.org')], {
      consented: true,
    });
    expect(report.added.map((a) => [a.email, a.status, a.confirmation])).toEqual([
      ['new@example.org', 'active', 'none'],
      ['pending@example.org', 'active', 'none'],
    ]);
    expect(confirmations).toEqual([]);
    expect(await deps.store.get(emailKeyOf('new@example.org'))).toMatchObject({
      status: 'active',
      consent: { form: 'import', importedConsent: true },
    });
    // Their own request stays on record and their choices stand.
    expect(await deps.store.get(emailKeyOf('pending@example.org'))).toMatchObject({
      status: 'active',
      cadence: 'daily',
      topics: ['europe'],
      consent: { form: 'subscribe-page', ipHash: 'abc', importedConsent: true },
    });
  });

  it('never overrides what the list knows: active, unsubscribed, suppressed, erased', async () => {
    const { deps, confirmations } = createMemorySubscriptionDeps();
    for (const [email, status] of [
      ['active@example.org', 'active'],
      ['left@example.org', 'unsubscribed'],
      ['bounced@example.org', 'suppressed'],
      ['waiting@example.org', 'pending'],
    ] as const) {
      await deps.store.create(existing(email, status));
    }
    await deps.suppressions.put({
      emailKey: emailKeyOf('complained@example.org'),
      reason: 'complaint',
      at: '2026-01-01T00:00:00Z',
    });
    await deps.suppressions.put({
      emailKey: emailKeyOf('erased@example.org'),
      reason: 'deleted',
      at: '2026-01-01T00:00:00Z',
    });
    const emails = ['active', 'left', 'bounced', 'waiting', 'complained', 'erased'].map(
      (n) => `${n}@example.org`,
    );
    for (const consented of [false, true]) {
      const report = await importSubscribers(
        deps,
        emails.map((e, i) => row(i + 2, e)),
        { consented },
      );
      const reasons = Object.fromEntries(report.skipped.map((s) => [s.email, s.reason]));
      expect(reasons['active@example.org']).toBe('already active: their own choices are kept');
      expect(reasons['left@example.org']).toBe('unsubscribed: only they can subscribe again');
      expect(reasons['bounced@example.org']).toMatch(/^suppressed/);
      expect(reasons['complained@example.org']).toBe('suppressed after a complaint: never mailed again');
      expect(reasons['erased@example.org']).toBe(
        'erased at its own request: only its owner can subscribe again',
      );
      if (!consented) expect(reasons['waiting@example.org']).toMatch(/already pending/);
    }
    expect(confirmations).toEqual([]);
    expect((await deps.store.get(emailKeyOf('left@example.org')))?.status).toBe('unsubscribed');
    expect(await deps.store.get(emailKeyOf('complained@example.org'))).toBeUndefined();
  });

  it('keeps a row whose confirmation mail failed as pending, says so, and lets it be mailed again', async () => {
    const { deps } = createMemorySubscriptionDeps();
    const failing = {
      ...deps,
      sendConfirmation: async () => {
        throw new MailerError('Maximum sending rate exceeded', {
          code: 'Throttling',
          retryable: true,
          throttled: true,
        });
      },
    };
    const report = await importSubscribers(failing, [row(2, 'a@example.org')], { consented: false });
    expect(report.added).toEqual([
      {
        row: 2,
        email: 'a@example.org',
        status: 'pending',
        confirmation: 'failed',
        problem: 'Throttling: Maximum sending rate exceeded',
      },
    ]);
    expect((await deps.store.get(emailKeyOf('a@example.org')))?.confirmationSentAt).toBeUndefined();
  });
});

describe('export, search and counts', () => {
  it('exports every subscriber as CSV that imports back', async () => {
    const { deps } = createMemorySubscriptionDeps();
    await importSubscribers(deps, [row(2, '-odd@example.org'), row(3, 'b@example.org')], { consented: true });
    const directory = new MemoryDirectory(deps.store);
    let csv = '';
    for await (const chunk of exportSubscribersCsv(directory)) csv += chunk;
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'email,cadence,topics,status,created_at,updated_at,consent_at,consent_form,confirmed_at,imported_consent,unsubscribed_at,suppressed_at,suppression_reason,soft_bounces',
    );
    expect(lines[1]).toMatch(/^'-odd@example\.org,weekly,,active,/);
    const back = parseImport(csv, {
      cadences: ['immediate', 'daily', 'weekly'],
      defaultCadence: 'weekly',
      knownTopics: [],
    });
    expect(back.ok && back.rows.map((r) => r.email)).toEqual(['-odd@example.org', 'b@example.org']);
    expect(exportRow((await deps.store.get(emailKeyOf('b@example.org')))!).slice(7, 10)).toEqual([
      'import',
      '',
      'true',
    ]);
  });

  it('finds by a whole address (with its suppression) or a part of one', async () => {
    const { deps } = createMemorySubscriptionDeps();
    await importSubscribers(
      deps,
      [row(2, 'ann@example.org'), row(3, 'annette@other.org'), row(4, 'bob@example.org')],
      { consented: true },
    );
    await deps.suppressions.put({
      emailKey: emailKeyOf('gone@example.org'),
      reason: 'bounce',
      at: '2026-01-01T00:00:00Z',
    });
    const search = (q: string) =>
      searchSubscribers({ ...deps, directory: new MemoryDirectory(deps.store) }, q);
    expect(await search('ANN')).toMatchObject({
      ok: true,
      subscribers: [{ email: 'ann@example.org' }, { email: 'annette@other.org' }],
    });
    expect(await search('Ann@Example.org')).toMatchObject({
      ok: true,
      subscribers: [{ email: 'ann@example.org' }],
    });
    expect(await search('gone@example.org')).toMatchObject({
      ok: true,
      subscribers: [],
      suppression: { reason: 'bounce' },
    });
    expect(await search('an')).toEqual({
      ok: false,
      problem: 'q: give at least 3 characters of the address',
    });
    expect(await search('a\nb@x')).toEqual({ ok: false, problem: 'q: must not contain control characters' });
  });

  it('counts every status and cadence, zeros included', async () => {
    const { deps } = createMemorySubscriptionDeps();
    await importSubscribers(deps, [row(2, 'a@example.org'), row(3, 'b@example.org')], { consented: true });
    await importSubscribers(deps, [{ row: 2, email: 'c@example.org', cadence: 'daily', topics: [] }], {
      consented: false,
    });
    const counts = await countSubscribers(deps.store);
    expect(counts.total).toBe(3);
    expect(counts.byStatus.active).toEqual({ total: 2, byCadence: { immediate: 0, daily: 0, weekly: 2 } });
    expect(counts.byStatus.pending.byCadence.daily).toBe(1);
    expect(counts.byStatus.suppressed.total).toBe(0);
  });
});
