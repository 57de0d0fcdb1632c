import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASON_PREFIX } from '../../../core/delivery/dead-letter.js';
import type { SendBatch } from '../../../core/edition.js';
import { variantObjectKey } from '../../../core/editions/edition-objects.js';
import { PLACEHOLDER_PREFIX } from '../../../core/email/placeholders.js';
import type { Subscriber } from '../../../core/subscriber.js';
import { renderedPost } from '../../support/fixtures.js';
import { createPipeline, type Pipeline } from './pipeline.js';

const START = '2026-11-25T12:00:00Z';
const POSTS = [renderedPost('first-note', '2026-11-23T08:00:00Z')];

async function withSubscribers(n: number, options: Partial<Parameters<typeof createPipeline>[0]> = {}) {
  const p = await createPipeline({ start: START, posts: POSTS, ...options });
  const active: Subscriber[] = Array.from({ length: n }, () => p.addSubscriber('active', 'weekly'));
  return { p, active };
}

async function send(p: Pipeline): Promise<string> {
  const result = await p.createEdition({ cadence: 'weekly' });
  if (!result.ok) throw new Error(result.reason);
  return result.edition.id;
}

/** Receives and handles every visible message once, on one process; returns how many were handled. */
async function oneRound(p: Pipeline): Promise<number> {
  const messages = p.queue.receive(100);
  if (messages.length === 0) return 0;
  const result = await p.newProcess().run(messages);
  p.queue.complete(messages, result);
  return messages.length;
}

describe('the mail each subscriber gets', () => {
  it('carries their own signed links, the list headers and the SES tags', async () => {
    const { p, active } = await withSubscribers(2);
    const id = await send(p);
    await p.drain();
    const s = active[0] as Subscriber;
    const mail = p.mailer.delivered.find((m) => m.to[0] === s.email);
    if (!mail) throw new Error('no mail');
    expect(mail.from).toBe('dispatch@news.example.com');
    expect(mail.tags).toEqual({ edition: id, subscriber: s.id, kind: 'edition' });

    const parsed = await PostalMime.parse(mail.raw);
    const header = (name: string) => parsed.headers.find((h) => h.key === name)?.value;
    const unsubscribe = /^<(https:\/\/news\.example\.com\/unsubscribe\?token=[A-Za-z0-9_.-]+)>$/.exec(
      header('list-unsubscribe') ?? '',
    )?.[1];
    expect(unsubscribe).toBeDefined();
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(header('list-id')).toBe('"Gazette Dispatch" <gazette-dispatch.news.example.com>');
    expect(parsed.to?.[0]?.address).toBe(s.email);
    expect(parsed.subject).toContain('Title of first-note');

    const token = new URL(unsubscribe as string).searchParams.get('token') ?? '';
    const check = p.signer.verify(token, 'unsubscribe', p.clock.now());
    expect(check).toEqual({
      ok: true,
      claims: { purpose: 'unsubscribe', emailKey: s.emailKey, subscriberId: s.id },
    });
    const preferences = /https:\/\/news\.example\.com\/preferences\?token=([A-Za-z0-9_.-]+)/.exec(
      parsed.text ?? '',
    )?.[1];
    expect(p.signer.verify(preferences ?? '', 'preferences', p.clock.now())).toMatchObject({
      ok: true,
      claims: { subscriberId: s.id },
    });
    expect(parsed.html).toContain(unsubscribe);
    expect(parsed.html).not.toContain(PLACEHOLDER_PREFIX);
    expect(parsed.text).not.toContain(PLACEHOLDER_PREFIX);
    // Nobody else's links.
    const other = active[1] as Subscriber;
    const otherMail = p.mailer.delivered.find((m) => m.to[0] === other.email);
    expect(new TextDecoder().decode(otherMail?.raw)).not.toContain(token.slice(0, 40));
  });

  it('keeps the configured rate (measured in virtual time)', async () => {
    const { p } = await withSubscribers(120, { config: { sendRatePerSecond: 20, burst: 5, concurrency: 4 } });
    await send(p);
    const before = p.clock.now().getTime();
    await p.drain();
    const elapsed = (p.clock.now().getTime() - before) / 1000;
    expect(p.mailer.delivered).toHaveLength(120);
    // 5 tokens at once, then 20 a second: at least (120 - 5) / 20 seconds.
    expect(elapsed).toBeGreaterThanOrEqual((120 - 5) / 20);
    expect(elapsed).toBeLessThan(120 / 20 + 2);
  });
});

describe('errors', () => {
  it('a non-retryable error marks the delivery failed with the reason, and it is not retried', async () => {
    const { p, active } = await withSubscribers(5);
    const victim = active[2] as Subscriber;
    p.mailer.script(victim.email, 'reject');
    const id = await send(p);
    await p.drain();
    const row = p.ledger.rowsOf(id).find((r) => r.subscriberId === victim.id);
    expect(row).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^MessageRejected: .*not verified/),
    });
    expect(p.mailer.faults).toEqual([{ to: victim.email, fault: 'reject' }]);
    expect(await p.progress(id)).toMatchObject({ sent: 4, failed: 1, deadLettered: 0, state: 'done' });
  });

  it('a recipient that fails on every receive is dead-lettered, visible in progress; the others are sent once', async () => {
    const { p, active } = await withSubscribers(8, {
      config: { maxSendAttempts: 2, maxReceives: 3 },
      queue: { visibilityTimeoutSeconds: 60, maxReceives: 3 },
    });
    const victim = active[4] as Subscriber;
    p.mailer.script(victim.email, ...Array.from({ length: 20 }, () => 'server-error' as const));
    const id = await send(p);
    await p.drain();
    expect(p.queue.deadLetters).toHaveLength(1);
    expect(p.queue.deadLetters[0]?.receiveCount).toBe(3);
    const row = p.ledger.rowsOf(id).find((r) => r.subscriberId === victim.id);
    expect(row?.status).toBe('failed');
    expect(row?.reason).toMatch(new RegExp(`^${DEAD_LETTER_REASON_PREFIX}ServiceUnavailable`));
    const counts = p.mailer.countsByAddress();
    for (const s of active) expect(counts.get(s.email)).toBe(s === victim ? undefined : 1);
    expect(p.mailer.faults).toHaveLength(6); // two attempts on each of three receives
    expect(await p.progress(id)).toMatchObject({
      sent: 7,
      failed: 1,
      deadLettered: 1,
      queued: 0,
      state: 'done',
    });
  });

  it('a message whose variant is missing is dead-lettered with all its recipients', async () => {
    const { p, active } = await withSubscribers(6, {
      queue: { visibilityTimeoutSeconds: 60, maxReceives: 5 },
    });
    const id = await send(p);
    await p.objects.delete([variantObjectKey(id, 'all')]);
    await p.drain();
    expect(p.mailer.delivered).toHaveLength(0);
    expect(p.queue.deadLetters.length).toBeGreaterThan(0);
    const rows = p.ledger.rowsOf(id);
    expect(rows).toHaveLength(active.length);
    for (const r of rows) expect(r.reason).toMatch(/^dead-lettered: VariantUnavailableError/);
    expect(await p.progress(id)).toMatchObject({ failed: 6, deadLettered: 6, queued: 0, state: 'done' });
  });

  it('a malformed message fails without stopping the others, and ends in the dead-letter list', async () => {
    const { p, active } = await withSubscribers(3);
    await send(p);
    await p.queue.sendBatch([
      { editionId: 'weekly-2026-W48', variantKey: '../x', recipients: [] } as SendBatch,
    ]);
    await p.queue.sendBatch([{ nonsense: true } as unknown as SendBatch]);
    await p.drain();
    expect(p.queue.deadLetters).toHaveLength(2);
    for (const s of active) expect(p.mailer.countsByAddress().get(s.email)).toBe(1);
    expect(
      p.logger.lines.some((l) => l.level === 'error' && /variantKey/.test(String(l.fields?.error))),
    ).toBe(true);
  });
});

describe('claims left by other attempts', () => {
  it('a claim older than the lease (its worker died) becomes unknown and is not re-sent', async () => {
    const { p, active } = await withSubscribers(3);
    const id = await send(p);
    const victim = active[1] as Subscriber;
    p.ledger.seed({
      editionId: id,
      subscriberId: victim.id,
      status: 'sending',
      attempt: 'dead-attempt',
      updatedAt: new Date(p.clock.now().getTime() - 31_000).toISOString(),
    });
    await p.drain();
    expect(p.mailer.countsByAddress().get(victim.email)).toBeUndefined();
    expect(p.ledger.rowsOf(id).find((r) => r.subscriberId === victim.id)?.status).toBe('unknown');
  });

  it('a fresh claim of another attempt is left to it; the message comes back later', async () => {
    const { p, active } = await withSubscribers(3);
    const id = await send(p);
    const victim = active[1] as Subscriber;
    p.ledger.seed({
      editionId: id,
      subscriberId: victim.id,
      status: 'sending',
      attempt: 'live-attempt',
      updatedAt: p.clock.now().toISOString(),
    });
    expect(await oneRound(p)).toBeGreaterThan(0);
    expect(p.ledger.rowsOf(id).find((r) => r.subscriberId === victim.id)?.status).toBe('sending');
    expect(p.queue.depth).toBe(1);
    // The other attempt confirms its send meanwhile.
    await p.ledger.markSent(
      id,
      [{ subscriberId: victim.id, messageId: 'elsewhere', attempt: 'live-attempt' }],
      p.clock.now(),
    );
    await p.drain();
    expect(p.queue.depth).toBe(0);
    expect(p.mailer.countsByAddress().get(victim.email)).toBeUndefined();
    expect(await p.progress(id)).toMatchObject({ sent: 3, state: 'done' });
  });
});

describe('pause and resume', () => {
  it('a paused edition claims nothing; its messages wait on the queue; resume finishes it once', async () => {
    const { p, active } = await withSubscribers(30);
    const id = await send(p);
    expect(await p.pause(id)).toEqual({ ok: true, state: 'paused' });
    for (let round = 0; round < 4; round++) {
      await oneRound(p);
      p.clock.advance(31_000);
    }
    expect(p.mailer.calls).toBe(0);
    expect(p.ledger.rowsOf(id)).toHaveLength(0);
    expect(p.queue.depth).toBeGreaterThan(0);
    expect(p.queue.deadLetters).toHaveLength(0);
    expect(await p.progress(id)).toMatchObject({ state: 'paused', queued: 30 });

    expect(await p.resume(id)).toEqual({ ok: true, state: 'sending' });
    await p.drain();
    const counts = p.mailer.countsByAddress();
    for (const s of active) expect(counts.get(s.email)).toBe(1);
    expect(await p.progress(id)).toMatchObject({ sent: 30, state: 'done' });
    expect(await p.pause(id)).toEqual({ ok: false, reason: 'done' });
    expect(await p.pause('weekly-1999-W01')).toEqual({ ok: false, reason: 'missing' });
  });

  it('a pause reaches a worker in the middle of a message within the cache time', async () => {
    const { p, active } = await withSubscribers(40, {
      config: { sendRatePerSecond: 5, burst: 1, concurrency: 1, editionCacheMs: 2_000 },
    });
    const id = await send(p);
    p.mailer.afterSend = async (_mail, accepted) => {
      if (accepted === 3) await p.pause(id);
    };
    await oneRound(p);
    const sentWhileRunning = p.mailer.delivered.length;
    // Within about two seconds at five a second, the worker stopped claiming.
    expect(sentWhileRunning).toBeGreaterThanOrEqual(3);
    expect(sentWhileRunning).toBeLessThanOrEqual(3 + 5 * 2 + 1);
    expect(p.ledger.rowsOf(id)).toHaveLength(sentWhileRunning);
    // Everyone not yet claimed is back on the queue, waiting.
    const waiting = p.queue.bodies().flatMap((b) => b.recipients.map((r) => r.subscriberId));
    expect(waiting.sort()).toEqual(
      active
        .filter((s) => !p.ledger.rowsOf(id).some((r) => r.subscriberId === s.id))
        .map((s) => s.id)
        .sort(),
    );
    p.mailer.afterSend = undefined;
    await p.resume(id);
    await p.drain();
    const counts = p.mailer.countsByAddress();
    for (const s of active) expect(counts.get(s.email), s.email).toBe(1);
  });
});
