import { describe, expect, it } from 'vitest';
import { emailKeyOf } from '../../../core/email-key.js';
import { parseSesNotification } from '../../../core/subscriptions/parse-ses-notification.js';
import { recordSesFeedback } from '../../../core/subscriptions/record-ses-feedback.js';
import { subscribe } from '../../../core/subscriptions/subscribe.js';
import { createMemorySubscriptionDeps } from '../../support/memory-adapters.js';
import { loadSesNotification } from '../../support/ses-notifications/load-ses-notification.js';

async function withSubscribers(...emails: string[]) {
  const harness = createMemorySubscriptionDeps();
  for (const email of emails) {
    await subscribe(harness.deps, {
      email,
      cadence: 'weekly',
      topics: [],
      form: 'api',
      ipHash: '',
      userAgent: 'UA',
    });
  }
  return harness;
}

describe('parseSesNotification', () => {
  it('reads the SNS envelope, the bare notification, Lambda records and EventBridge events', () => {
    const sns = parseSesNotification(loadSesNotification('bounce-permanent.sns.json'));
    expect(sns).toMatchObject({
      ok: true,
      feedback: {
        type: 'bounce',
        bounceType: 'Permanent',
        recipients: [{ address: 'gone@example.com', diagnostic: 'smtp; 550 5.1.1 user unknown' }],
        mail: { tags: { edition: 'weekly-2026-W47', kind: 'edition' } },
      },
    });
    const bare = parseSesNotification(loadSesNotification('bounce-transient.notification.json'));
    expect(bare).toMatchObject({
      ok: true,
      feedback: { type: 'bounce', bounceType: 'Transient', mail: { tags: {} } },
    });
    const lambda = loadSesNotification('lambda-event.json') as { Records: unknown[] };
    expect(lambda.Records.map((r) => parseSesNotification(r))).toMatchObject([
      { ok: true, feedback: { type: 'bounce' } },
      { ok: true, feedback: { type: 'complaint', feedbackType: 'abuse' } },
    ]);
    const inner = JSON.parse((loadSesNotification('complaint.sns.json') as { Message: string }).Message);
    expect(
      parseSesNotification({ source: 'aws.ses', 'detail-type': 'Email Complaint Received', detail: inner }),
    ).toMatchObject({
      ok: true,
      feedback: { type: 'complaint' },
    });
    expect(parseSesNotification(JSON.stringify(inner))).toMatchObject({
      ok: true,
      feedback: { type: 'complaint' },
    });
  });

  it('understands other event types as nothing to do', () => {
    const inner = JSON.parse((loadSesNotification('delivery.sns.json') as { Message: string }).Message);
    expect(parseSesNotification({ ...inner, eventType: 'Open' })).toMatchObject({
      ok: true,
      feedback: { type: 'other', eventType: 'Open' },
    });
  });

  it.each([
    ['malformed-message-not-json.sns.json', 'not JSON'],
    ['malformed-bounce-no-recipients.json', 'bounce.bouncedRecipients'],
    ['malformed-no-type.json', 'neither eventType nor notificationType'],
    ['subscription-confirmation.sns.json', 'SubscriptionConfirmation'],
  ])('reports %s as malformed: %s', (name, reason) => {
    const parsed = parseSesNotification(loadSesNotification(name));
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });

  it.each([
    [null],
    [42],
    [[]],
    ['[]'],
    [{ Type: 'Notification' }],
    [{ eventType: 'Bounce' }],
    [{ eventType: 'Bounce', mail: { messageId: 'm' } }],
  ])('never throws on %j', (input) => {
    expect(parseSesNotification(input).ok).toBe(false);
  });
});

describe('recordSesFeedback', () => {
  it('suppresses on a permanent bounce: suppression list and record, with reason and time', async () => {
    const { deps, clock } = await withSubscribers('gone@example.com', 'stays@example.com');
    const report = await recordSesFeedback(deps, [loadSesNotification('bounce-permanent.sns.json')]);
    expect(report).toMatchObject({ processed: 1, skipped: [], suppressed: 1, softBounces: 0 });
    const key = emailKeyOf('gone@example.com');
    expect(await deps.suppressions.get(key)).toEqual({
      emailKey: key,
      reason: 'bounce',
      at: clock.now().toISOString(),
      detail: 'General: smtp; 550 5.1.1 user unknown',
    });
    const records = deps.store.all();
    expect(records.find((r) => r.emailKey === key)).toMatchObject({
      status: 'suppressed',
      suppressionReason: 'bounce',
      suppressedAt: clock.now().toISOString(),
    });
    expect(records.find((r) => r.email === 'stays@example.com')?.status).toBe('pending');
    expect(report.events).toEqual([
      {
        type: 'bounce',
        permanent: true,
        messageId: '0100019a2b3c4d5e-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-000000',
        recipients: ['gone@example.com'],
        tags: expect.objectContaining({ edition: 'weekly-2026-W47' }),
        at: '2026-11-20T08:00:02.669Z',
      },
    ]);
  });

  it('suppresses on a complaint, and a suppressed address gets no confirmation mail afterwards', async () => {
    const { deps, confirmations } = await withSubscribers('angry@example.com');
    const report = await recordSesFeedback(deps, [loadSesNotification('complaint.sns.json')]);
    expect(report.suppressed).toBe(1);
    expect((await deps.suppressions.get(emailKeyOf('angry@example.com')))?.reason).toBe('complaint');
    expect(deps.store.all()[0]?.status).toBe('suppressed');
    const result = await subscribe(deps, {
      email: 'angry@example.com',
      cadence: 'weekly',
      topics: [],
      form: 'api',
      ipHash: '',
      userAgent: 'UA',
    });
    expect(result).toEqual({ action: 'suppressed', mailed: false });
    expect(confirmations).toHaveLength(1);
  });

  it('suppresses an address without a record too (e.g. a test send)', async () => {
    const { deps } = createMemorySubscriptionDeps();
    await recordSesFeedback(deps, [loadSesNotification('bounce-permanent.sns.json')]);
    expect((await deps.suppressions.get(emailKeyOf('gone@example.com')))?.reason).toBe('bounce');
    expect(deps.store.all()).toEqual([]);
  });

  it('counts transient bounces without changing the status, display names included', async () => {
    const { deps } = await withSubscribers('full@example.com');
    const notification = loadSesNotification('bounce-transient.notification.json');
    const report = await recordSesFeedback(deps, [notification, notification]);
    expect(report).toMatchObject({ processed: 2, softBounces: 2, suppressed: 0 });
    expect(deps.store.all()[0]).toMatchObject({ status: 'pending', softBounces: 2 });
    expect(await deps.suppressions.list()).toEqual([]);
    expect(report.events.map((e) => e.permanent)).toEqual([false, false]);
  });

  it('reports deliveries for the ledger and changes no status', async () => {
    const { deps } = await withSubscribers('reader@example.com');
    const before = deps.store.all();
    const report = await recordSesFeedback(deps, [loadSesNotification('delivery.sns.json')]);
    expect(report.events).toEqual([
      {
        type: 'delivery',
        messageId: '0100019a2b3c4d61-aaaaaaaa-bbbb-cccc-dddd-000000000002-000000',
        recipients: ['reader@example.com', 'other@example.com'],
        tags: expect.objectContaining({ edition: 'weekly-2026-W47', kind: 'edition' }),
        at: '2026-11-20T08:00:02.100Z',
      },
    ]);
    expect(deps.store.all()).toEqual(before);
  });

  it('logs and skips malformed notifications without losing the good ones in the batch', async () => {
    const { deps } = await withSubscribers('gone@example.com', 'angry@example.com');
    const report = await recordSesFeedback(deps, [
      loadSesNotification('malformed-message-not-json.sns.json'),
      loadSesNotification('bounce-permanent.sns.json'),
      loadSesNotification('subscription-confirmation.sns.json'),
      loadSesNotification('malformed-bounce-no-recipients.json'),
      'garbage',
      loadSesNotification('complaint.sns.json'),
    ]);
    expect(report.processed).toBe(2);
    expect(report.suppressed).toBe(2);
    expect(report.skipped.map((s) => s.index)).toEqual([0, 2, 3, 4]);
    expect(deps.logger.lines.filter((l) => l.level === 'warn')).toHaveLength(4);
    expect(deps.store.all().map((r) => r.status)).toEqual(['suppressed', 'suppressed']);
  });

  it('keeps the first reason when a bounce follows a complaint, and replaces a deleted entry', async () => {
    const { deps } = createMemorySubscriptionDeps();
    const key = emailKeyOf('gone@example.com');
    await deps.suppressions.put({ emailKey: key, reason: 'deleted', at: '2026-01-01T00:00:00.000Z' });
    await recordSesFeedback(deps, [loadSesNotification('bounce-permanent.sns.json')]);
    expect((await deps.suppressions.get(key))?.reason).toBe('bounce');
    const complaint = JSON.parse((loadSesNotification('complaint.sns.json') as { Message: string }).Message);
    complaint.complaint.complainedRecipients = [{ emailAddress: 'gone@example.com' }];
    await recordSesFeedback(deps, [complaint]);
    expect((await deps.suppressions.get(key))?.reason).toBe('bounce');
  });
});
