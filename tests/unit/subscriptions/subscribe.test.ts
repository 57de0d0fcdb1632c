import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import { FANOUT_SHARDS } from '../../../core/subscriber.js';
import { confirmSubscription } from '../../../core/subscriptions/confirm.js';
import { deleteSubscriber } from '../../../core/subscriptions/delete-subscriber.js';
import {
  CONFIRMATION_RESEND_INTERVAL_MS,
  shardOf,
  subscribe,
} from '../../../core/subscriptions/subscribe.js';
import { subscriberLink } from '../../../core/subscriptions/subscriber-links.js';
import {
  ConfirmationNotSentError,
  SubscriberConflictError,
} from '../../../core/subscriptions/subscription-errors.js';
import { unsubscribe } from '../../../core/subscriptions/unsubscribe.js';
import { createMemorySubscriptionDeps } from '../../support/memory-adapters.js';

const input = {
  email: 'ann@example.com',
  cadence: 'weekly' as const,
  topics: ['rust'],
  form: 'subscribe-page' as const,
  ipHash: 'a'.repeat(64),
  userAgent: 'TestBrowser/1.0',
};
const key = emailKeyOf('ann@example.com');
const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';

describe('subscribe', () => {
  it('creates a pending record with a consent record and sends one confirmation', async () => {
    const { deps, confirmations, clock } = createMemorySubscriptionDeps();
    const result = await subscribe(deps, input);
    expect(result).toEqual({ action: 'created', mailed: true });
    const [record] = deps.store.all();
    expect(record).toMatchObject({
      emailKey: key,
      email: 'ann@example.com',
      status: 'pending',
      cadence: 'weekly',
      topics: ['rust'],
      version: 1,
      softBounces: 0,
      confirmationSentAt: clock.now().toISOString(),
      consent: {
        at: clock.now().toISOString(),
        form: 'subscribe-page',
        ipHash: input.ipHash,
        userAgent: 'TestBrowser/1.0',
      },
    });
    expect(record?.consent.confirmedAt).toBeUndefined();
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]?.to).toBe('ann@example.com');
    expect(confirmations[0]?.confirmUrl).toMatch(/^https:\/\/news\.example\.org\/confirm\?token=/);
  });

  it('signs a confirmation token that expires after seven days', async () => {
    const { deps, confirmations, clock } = createMemorySubscriptionDeps();
    await subscribe(deps, input);
    const token = tokenOf(confirmations[0]!.confirmUrl);
    const sixDays = new Date(clock.now().getTime() + 6 * 86_400_000);
    const eightDays = new Date(clock.now().getTime() + 8 * 86_400_000);
    expect(deps.signer.verify(token, 'confirm', sixDays).ok).toBe(true);
    expect(deps.signer.verify(token, 'confirm', eightDays)).toEqual({ ok: false, reason: 'expired' });
  });

  it('resends to a pending address at most once per ten minutes, and keeps the latest choices', async () => {
    const { deps, confirmations, clock } = createMemorySubscriptionDeps();
    await subscribe(deps, input);
    clock.advance(60_000);
    expect(await subscribe(deps, { ...input, cadence: 'daily' })).toEqual({
      action: 'throttled',
      mailed: false,
    });
    expect(confirmations).toHaveLength(1);
    expect(deps.store.all()[0]?.cadence).toBe('daily');
    clock.advance(CONFIRMATION_RESEND_INTERVAL_MS);
    expect(await subscribe(deps, input)).toEqual({ action: 'resent', mailed: true });
    expect(confirmations).toHaveLength(2);
    expect(deps.store.all()[0]?.id).toBe('sub-0001');
  });

  it('sends nothing and changes nothing for an active subscriber', async () => {
    const { deps, confirmations } = createMemorySubscriptionDeps();
    await subscribe(deps, input);
    await confirmSubscription(deps, tokenOf(confirmations[0]!.confirmUrl));
    const before = deps.store.all();
    expect(await subscribe(deps, { ...input, cadence: 'immediate', topics: [] })).toEqual({
      action: 'already-active',
      mailed: false,
    });
    expect(deps.store.all()).toEqual(before);
    expect(confirmations).toHaveLength(1);
  });

  it('turns an unsubscribed record back to pending with a fresh consent and mails it', async () => {
    const { deps, confirmations, clock } = createMemorySubscriptionDeps();
    await subscribe(deps, input);
    await confirmSubscription(deps, tokenOf(confirmations[0]!.confirmUrl));
    const record = deps.store.all()[0]!;
    const unsub = subscriberLink(deps.signer, deps.baseUrl, 'unsubscribe', record, clock.now());
    await unsubscribe(deps, tokenOf(unsub));
    clock.advance(60_000);
    expect(await subscribe(deps, { ...input, form: 'archive' })).toEqual({
      action: 'resubscribed',
      mailed: true,
    });
    const again = deps.store.all()[0]!;
    expect(again).toMatchObject({
      status: 'pending',
      id: record.id,
      consent: { form: 'archive', at: clock.now().toISOString() },
    });
    expect(again.unsubscribedAt).toBeUndefined();
    expect(confirmations).toHaveLength(2);
  });

  it('is silent for an address suppressed by a bounce or a complaint, with or without a record', async () => {
    for (const reason of ['bounce', 'complaint'] as const) {
      const { deps, confirmations } = createMemorySubscriptionDeps();
      await deps.suppressions.put({ emailKey: key, reason, at: '2026-01-01T00:00:00.000Z' });
      expect(await subscribe(deps, input)).toEqual({ action: 'suppressed', mailed: false });
      expect(deps.store.all()).toEqual([]);
      expect(confirmations).toEqual([]);
    }
    const { deps, confirmations } = createMemorySubscriptionDeps();
    await subscribe(deps, input);
    const record = deps.store.all()[0]!;
    deps.store.seed({ ...record, status: 'suppressed' });
    expect(await subscribe(deps, input)).toEqual({ action: 'suppressed', mailed: false });
    expect(confirmations).toHaveLength(1);
  });

  it('gives an address that deleted itself a fresh record with a new id; old links stay dead', async () => {
    const { deps, confirmations, clock } = createMemorySubscriptionDeps();
    await subscribe(deps, input);
    const oldConfirm = tokenOf(confirmations[0]!.confirmUrl);
    const old = deps.store.all()[0]!;
    const prefs = subscriberLink(deps.signer, deps.baseUrl, 'preferences', old, clock.now());
    await deleteSubscriber(deps, tokenOf(prefs));
    expect(deps.store.all()).toEqual([]);
    expect(await subscribe(deps, input)).toEqual({ action: 'recreated', mailed: true });
    const fresh = deps.store.all()[0]!;
    expect(fresh.id).not.toBe(old.id);
    expect(fresh.status).toBe('pending');
    expect(await confirmSubscription(deps, oldConfirm)).toEqual({ ok: false, reason: 'unknown-subscriber' });
    expect(deps.store.all()[0]?.status).toBe('pending');
    // The deleted suppression goes only once the new record is confirmed.
    expect((await deps.suppressions.get(key))?.reason).toBe('deleted');
    await confirmSubscription(deps, tokenOf(confirmations[1]!.confirmUrl));
    expect(await deps.suppressions.get(key)).toBeUndefined();
  });

  it('retries after a concurrent write and succeeds', async () => {
    const { deps, confirmations } = createMemorySubscriptionDeps();
    await subscribe(deps, input);
    const record = deps.store.all()[0]!;
    let interfered = false;
    deps.store.beforeWrite = () => {
      if (interfered) return;
      interfered = true;
      deps.store.seed({ ...record, updatedAt: '2026-11-27T10:00:30.000Z', version: record.version + 1 });
    };
    await subscribe(deps, { ...input, cadence: 'daily' });
    expect(interfered).toBe(true);
    expect(deps.store.all()[0]).toMatchObject({ cadence: 'daily', version: record.version + 2 });
    expect(confirmations).toHaveLength(1);
  });

  it('gives up with a SubscriberConflictError when the record keeps changing', async () => {
    const { deps } = createMemorySubscriptionDeps();
    await subscribe(deps, input);
    deps.store.beforeWrite = () => {
      const current = deps.store.all()[0]!;
      deps.store.seed({ ...current, version: current.version + 1 });
    };
    await expect(subscribe(deps, input)).rejects.toBeInstanceOf(SubscriberConflictError);
  });

  it('does not throttle a retry after the confirmation mail failed', async () => {
    const { deps, confirmations } = createMemorySubscriptionDeps();
    const send = deps.sendConfirmation;
    deps.sendConfirmation = async () => {
      throw new Error('provider down');
    };
    const failure = await subscribe(deps, input).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfirmationNotSentError);
    expect((failure as ConfirmationNotSentError).cause).toMatchObject({ message: 'provider down' });
    expect((failure as ConfirmationNotSentError).subscriberId).toBe(deps.store.all()[0]?.id);
    expect(deps.store.all()[0]?.confirmationSentAt).toBeUndefined();
    deps.sendConfirmation = send;
    expect(await subscribe(deps, input)).toEqual({ action: 'resent', mailed: true });
    expect(confirmations).toHaveLength(1);
  });

  it('spreads records over the fan-out shards', () => {
    const shards = new Set(Array.from({ length: 200 }, (_, i) => shardOf(`id-${i}`)));
    expect(shards.size).toBe(FANOUT_SHARDS);
    for (const s of shards) expect(s).toBeGreaterThanOrEqual(0);
  });
});
