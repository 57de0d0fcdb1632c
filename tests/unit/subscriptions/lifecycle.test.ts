import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import type { TokenPurpose } from '../../../core/ports.js';
import { confirmSubscription } from '../../../core/subscriptions/confirm.js';
import { deleteSubscriber } from '../../../core/subscriptions/delete-subscriber.js';
import { exportSubscriberData } from '../../../core/subscriptions/export-subscriber-data.js';
import { subscribe } from '../../../core/subscriptions/subscribe.js';
import { subscriberLink } from '../../../core/subscriptions/subscriber-links.js';
import { unsubscribe } from '../../../core/subscriptions/unsubscribe.js';
import { updatePreferences } from '../../../core/subscriptions/update-preferences.js';
import { createMemorySubscriptionDeps } from '../../support/memory-adapters.js';

const rules = { cadences: ['immediate', 'daily', 'weekly'] as const, knownTopics: ['rust', 'go', 'web'] };
const key = emailKeyOf('ann@example.com');

async function pendingSubscriber() {
  const harness = createMemorySubscriptionDeps();
  await subscribe(harness.deps, {
    email: 'ann@example.com',
    cadence: 'weekly',
    topics: [],
    form: 'subscribe-page',
    ipHash: 'b'.repeat(64),
    userAgent: 'UA',
  });
  const confirmToken = new URL(harness.confirmations[0]!.confirmUrl).searchParams.get('token')!;
  const tokenFor = (purpose: TokenPurpose) => {
    const record = harness.deps.store.all()[0]!;
    const url = subscriberLink(
      harness.deps.signer,
      harness.deps.baseUrl,
      purpose,
      record,
      harness.clock.now(),
    );
    return new URL(url).searchParams.get('token')!;
  };
  return { ...harness, confirmToken, tokenFor };
}

describe('confirmSubscription', () => {
  it('activates a pending record and stamps the consent; a second confirmation is harmless', async () => {
    const { deps, confirmToken, clock } = await pendingSubscriber();
    clock.advance(3_600_000);
    const first = await confirmSubscription(deps, confirmToken);
    expect(first).toMatchObject({ ok: true, status: 'confirmed' });
    const record = deps.store.all()[0]!;
    expect(record.status).toBe('active');
    expect(record.consent.confirmedAt).toBe(clock.now().toISOString());
    clock.advance(60_000);
    expect(await confirmSubscription(deps, confirmToken)).toMatchObject({
      ok: true,
      status: 'already-confirmed',
    });
    expect(deps.store.all()[0]).toEqual(record);
  });

  it('refuses expired, forged, tampered and wrong-purpose tokens without changing anything', async () => {
    const { deps, confirmToken, clock, tokenFor } = await pendingSubscriber();
    const before = deps.store.all();
    const tampered = `${confirmToken.slice(0, -2)}${confirmToken.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await confirmSubscription(deps, undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(await confirmSubscription(deps, 'not-a-token')).toEqual({ ok: false, reason: 'malformed' });
    expect((await confirmSubscription(deps, tampered)).ok).toBe(false);
    expect(await confirmSubscription(deps, tokenFor('unsubscribe'))).toEqual({
      ok: false,
      reason: 'wrong-purpose',
    });
    clock.advance(7 * 86_400_000 + 1000);
    expect(await confirmSubscription(deps, confirmToken)).toEqual({ ok: false, reason: 'expired' });
    expect(deps.store.all()).toEqual(before);
  });

  it('does not resubscribe an unsubscribed record through an old confirmation link', async () => {
    const { deps, confirmToken, tokenFor } = await pendingSubscriber();
    await confirmSubscription(deps, confirmToken);
    await unsubscribe(deps, tokenFor('unsubscribe'));
    expect(await confirmSubscription(deps, confirmToken)).toEqual({ ok: false, reason: 'not-pending' });
    expect(deps.store.all()[0]?.status).toBe('unsubscribed');
  });
});

describe('unsubscribe', () => {
  it('stops mail at once with the time, and is idempotent', async () => {
    const { deps, confirmToken, tokenFor, clock } = await pendingSubscriber();
    await confirmSubscription(deps, confirmToken);
    clock.advance(86_400_000);
    expect(await unsubscribe(deps, tokenFor('unsubscribe'))).toMatchObject({
      ok: true,
      status: 'unsubscribed',
    });
    const record = deps.store.all()[0]!;
    expect(record).toMatchObject({ status: 'unsubscribed', unsubscribedAt: clock.now().toISOString() });
    clock.advance(1000);
    expect(await unsubscribe(deps, tokenFor('unsubscribe'))).toMatchObject({
      ok: true,
      status: 'already-unsubscribed',
    });
    expect(deps.store.all()[0]).toEqual(record);
  });

  it('unsubscribes a pending record too, and leaves a suppressed one suppressed', async () => {
    const { deps, tokenFor } = await pendingSubscriber();
    expect(await unsubscribe(deps, tokenFor('unsubscribe'))).toMatchObject({
      ok: true,
      status: 'unsubscribed',
    });
    const record = deps.store.all()[0]!;
    deps.store.seed({ ...record, status: 'suppressed' });
    expect(await unsubscribe(deps, tokenFor('unsubscribe'))).toMatchObject({
      status: 'already-unsubscribed',
    });
    expect(deps.store.all()[0]?.status).toBe('suppressed');
  });

  it('refuses a confirm or preferences token', async () => {
    const { deps, confirmToken, tokenFor } = await pendingSubscriber();
    expect(await unsubscribe(deps, confirmToken)).toEqual({ ok: false, reason: 'wrong-purpose' });
    expect(await unsubscribe(deps, tokenFor('preferences'))).toEqual({ ok: false, reason: 'wrong-purpose' });
    expect(deps.store.all()[0]?.status).toBe('pending');
  });
});

describe('updatePreferences', () => {
  it('changes cadence and topics, deduplicated, and leaves the status alone', async () => {
    const { deps, confirmToken, tokenFor } = await pendingSubscriber();
    await confirmSubscription(deps, confirmToken);
    const result = await updatePreferences(
      deps,
      tokenFor('preferences'),
      { cadence: 'daily', topics: ['go', 'rust', 'go', ''] },
      rules,
    );
    expect(result).toMatchObject({
      ok: true,
      subscriber: { cadence: 'daily', topics: ['go', 'rust'], status: 'active' },
    });
    expect(deps.store.all()[0]).toMatchObject({ cadence: 'daily', topics: ['go', 'rust'], status: 'active' });
  });

  it('accepts a single topic as a string and no topics as everything', async () => {
    const { deps, tokenFor } = await pendingSubscriber();
    expect(
      await updatePreferences(deps, tokenFor('preferences'), { cadence: 'immediate', topics: 'web' }, rules),
    ).toMatchObject({
      ok: true,
      subscriber: { topics: ['web'] },
    });
    expect(
      await updatePreferences(deps, tokenFor('preferences'), { cadence: 'immediate' }, rules),
    ).toMatchObject({
      ok: true,
      subscriber: { topics: [] },
    });
  });

  it.each([
    [{ topics: ['rust'] }, 'cadence', 'is required'],
    [{ cadence: 'hourly' }, 'cadence', 'unknown cadence "hourly"'],
    [{ cadence: 'daily', topics: ['rust', 'cobol'] }, 'topics', 'unknown topic "cobol"'],
    [{ cadence: 'daily', topics: [3] }, 'topics', 'must be a list'],
    [{ cadence: 'daily\r\nBcc: x@example.com' }, 'cadence', 'line breaks'],
  ])('refuses %j naming %s, changing nothing', async (fields, field, message) => {
    const { deps, tokenFor } = await pendingSubscriber();
    const before = deps.store.all();
    const result = await updatePreferences(deps, tokenFor('preferences'), fields, rules);
    expect(result).toMatchObject({ ok: false, reason: 'invalid', problem: { field } });
    expect(result.ok === false && 'problem' in result ? result.problem.message : '').toContain(message);
    expect(deps.store.all()).toEqual(before);
  });

  it('refuses an unsubscribe token', async () => {
    const { deps, tokenFor } = await pendingSubscriber();
    expect(await updatePreferences(deps, tokenFor('unsubscribe'), { cadence: 'daily' }, rules)).toEqual({
      ok: false,
      reason: 'wrong-purpose',
    });
  });
});

describe('exportSubscriberData and deleteSubscriber', () => {
  it('exports the whole record and the suppression state', async () => {
    const { deps, tokenFor, clock } = await pendingSubscriber();
    const result = await exportSubscriberData(deps, tokenFor('preferences'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.subscriber).toEqual(deps.store.all()[0]);
    expect(result.data.subscriber.consent).toMatchObject({
      form: 'subscribe-page',
      ipHash: 'b'.repeat(64),
      userAgent: 'UA',
    });
    expect(result.data.suppression).toBeNull();
    expect(result.data.exportedAt).toBe(clock.now().toISOString());
    expect(JSON.parse(JSON.stringify(result.data))).toEqual(result.data);
  });

  it('erases the record, keeps only a deleted suppression hash, and kills the links', async () => {
    const { deps, tokenFor } = await pendingSubscriber();
    const prefs = tokenFor('preferences');
    const unsub = tokenFor('unsubscribe');
    expect(await deleteSubscriber(deps, prefs)).toMatchObject({ ok: true });
    expect(deps.store.all()).toEqual([]);
    const suppressions = await deps.suppressions.list();
    expect(suppressions).toEqual([{ emailKey: key, reason: 'deleted', at: expect.any(String) }]);
    expect(JSON.stringify(suppressions)).not.toContain('ann@');
    expect(await deleteSubscriber(deps, prefs)).toEqual({ ok: false, reason: 'unknown-subscriber' });
    expect(await exportSubscriberData(deps, prefs)).toEqual({ ok: false, reason: 'unknown-subscriber' });
    expect(await unsubscribe(deps, unsub)).toEqual({ ok: false, reason: 'unknown-subscriber' });
  });

  it('keeps a bounce suppression as the reason when a suppressed subscriber deletes itself', async () => {
    const { deps, tokenFor } = await pendingSubscriber();
    await deps.suppressions.put({ emailKey: key, reason: 'bounce', at: '2026-11-01T00:00:00.000Z' });
    await deleteSubscriber(deps, tokenFor('preferences'));
    expect((await deps.suppressions.get(key))?.reason).toBe('bounce');
  });
});

describe('confirmSubscription after a bounce', () => {
  it('does not activate an address suppressed while it was pending', async () => {
    const { deps, confirmToken } = await pendingSubscriber();
    await deps.suppressions.put({ emailKey: key, reason: 'bounce', at: '2026-11-27T10:05:00.000Z' });
    expect(await confirmSubscription(deps, confirmToken)).toEqual({ ok: false, reason: 'not-pending' });
    expect(deps.store.all()[0]?.status).toBe('pending');
  });
});
