import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSesClient, DEFAULT_CLIENT_TUNING } from '../../../adapters/aws/clients.js';
import { SesMailer } from '../../../adapters/aws/ses-mailer.js';
import { MailerError } from '../../../core/mailer-error.js';
import type { OutgoingMail } from '../../../core/ports.js';
import { seededRandom } from '../../support/seeded-random.js';
import { type SesStandIn, startSesStandIn } from '../../support/ses-stand-in.js';

function mail(to: string, n = 0): OutgoingMail {
  const raw =
    `From: Gazette Dispatch <dispatch@example.com>\r\nTo: <${to}>\r\nSubject: Weekly ${n}\r\n` +
    'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello.\r\n';
  return {
    raw: new TextEncoder().encode(raw),
    from: 'dispatch@example.com',
    to: [to],
    tags: { edition: 'weekly-2026-W48', kind: 'digest' },
  };
}

async function failure(promise: Promise<unknown>): Promise<MailerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MailerError);
    return error as MailerError;
  }
  throw new Error('expected the send to fail');
}

describe('SES stand-in with the real SesMailer', () => {
  let standIn: SesStandIn;
  const mailerFor = (tuning: { maxAttempts?: number; requestTimeoutMs?: number } = {}) =>
    new SesMailer(
      createSesClient({
        region: 'us-east-1',
        endpoints: { ses: standIn.endpoint },
        ...DEFAULT_CLIENT_TUNING,
        maxAttempts: 1,
        ...tuning,
      }),
      { configurationSetName: 'gazette-events' },
    );

  beforeAll(async () => {
    standIn = await startSesStandIn();
  });
  afterAll(async () => {
    await standIn.close();
  });
  beforeEach(() => {
    standIn.configure({
      throttleRatio: 0,
      serverErrorRatio: 0,
      dropRatio: 0,
      hangRatio: 0,
      latencyMs: 0,
      maxSendRate: undefined,
      rejectRecipients: [],
    });
    standIn.reset();
  });

  it('records a sent mail with its recipients, tags, configuration set and raw bytes', async () => {
    const m = mail('Ada@example.org');
    const { messageId } = await mailerFor().send(m);
    const [recorded, ...rest] = standIn.mails();
    expect(rest).toEqual([]);
    expect(recorded).toMatchObject({
      messageId,
      to: ['Ada@example.org'],
      source: 'dispatch@example.com',
      tags: { edition: 'weekly-2026-W48', kind: 'digest' },
      configurationSet: 'gazette-events',
      outcome: 'answered',
    });
    expect(recorded!.raw.equals(Buffer.from(m.raw))).toBe(true);
    expect(standIn.sendsByRecipient.get('ada@example.org')).toBe(1);
    expect(standIn.counters).toMatchObject({ calls: 1, accepted: 1, throttled: 0 });
    expect(messageId).toMatch(/^[0-9a-f]{16}-[0-9a-f-]{36}-000000$/);
  });

  it('throttling: throttled and retryable, certainly not sent', async () => {
    standIn.configure({ throttleRatio: 1 });
    const error = await failure(mailerFor().send(mail('a@example.org')));
    expect(error).toMatchObject({ code: 'Throttling', throttled: true, retryable: true, maybeSent: false });
    expect(error.message).toContain('Maximum sending rate exceeded');
    expect(standIn.mails()).toEqual([]);
  });

  it('throttling is retried by the client, a dropped connection is not', async () => {
    standIn.configure({ throttleRatio: 1 });
    await failure(mailerFor({ maxAttempts: 3 }).send(mail('a@example.org')));
    expect(standIn.counters.calls).toBe(3);

    standIn.configure({ throttleRatio: 0, dropRatio: 1 });
    standIn.reset();
    const error = await failure(mailerFor({ maxAttempts: 3 }).send(mail('b@example.org')));
    expect(error).toMatchObject({ retryable: true, maybeSent: true });
    expect(standIn.counters).toMatchObject({ calls: 1, accepted: 1, dropped: 1 });
  });

  it('a 5xx answer: retryable, not throttled, not sent', async () => {
    standIn.configure({ serverErrorRatio: 1 });
    const error = await failure(mailerFor().send(mail('a@example.org')));
    expect(error).toMatchObject({
      code: 'InternalFailure',
      retryable: true,
      throttled: false,
      maybeSent: false,
    });
    expect(standIn.counters).toMatchObject({ serverErrors: 1, accepted: 0 });
  });

  it('a connection dropped after the mail was taken: maybe sent', async () => {
    standIn.configure({ dropRatio: 1 });
    const error = await failure(mailerFor().send(mail('a@example.org')));
    expect(error).toMatchObject({ retryable: true, maybeSent: true, throttled: false });
    expect(standIn.mails().map((m) => m.outcome)).toEqual(['dropped']);
  });

  it('a request never answered: a timeout that may have sent', async () => {
    standIn.configure({ hangRatio: 1 });
    const error = await failure(mailerFor({ requestTimeoutMs: 300 }).send(mail('a@example.org')));
    expect(error).toMatchObject({ code: 'TimeoutError', retryable: true, maybeSent: true });
    expect(standIn.counters).toMatchObject({ calls: 1, hung: 1 });
  });

  it('a rejected recipient: not retryable', async () => {
    standIn.configure({ rejectRecipients: ['bad@example.org'] });
    const error = await failure(mailerFor().send(mail('BAD@example.org')));
    expect(error).toMatchObject({ code: 'MessageRejected', retryable: false, maybeSent: false });
    expect(standIn.counters.rejected).toBe(1);
  });

  it('throttles beyond maxSendRate like SES', async () => {
    standIn.configure({ maxSendRate: 5 });
    const mailer = mailerFor();
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => mailer.send(mail(`r${i}@example.org`))),
    );
    const throttled = results.filter((r) => r.status === 'rejected' && (r.reason as MailerError).throttled);
    // A one-second bucket: at most 5 at once, plus whatever refilled while the calls ran.
    expect(standIn.counters.accepted).toBeGreaterThanOrEqual(5);
    expect(standIn.counters.accepted).toBeLessThan(12);
    expect(throttled.length).toBe(12 - standIn.counters.accepted);
  });

  it('injects faults at the configured ratio, reproducibly with a seed', async () => {
    standIn.configure({ throttleRatio: 0.2, random: seededRandom(42) });
    const mailer = mailerFor();
    let throttled = 0;
    for (let i = 0; i < 200; i += 1) {
      try {
        await mailer.send(mail(`r${i}@example.org`));
      } catch (error) {
        if ((error as MailerError).throttled) throttled += 1;
      }
    }
    const replay = seededRandom(42);
    const expected = Array.from({ length: 200 }, () => replay()).filter((r) => r < 0.2).length;
    expect(throttled).toBe(expected);
    expect(expected).toBeGreaterThan(20);
    expect(expected).toBeLessThan(60);
    expect(standIn.counters.accepted).toBe(200 - expected);
    expect(standIn.sendsByRecipient.size).toBe(200 - expected);
  });

  it('holds answers for the injected latency and counts calls in flight', async () => {
    standIn.configure({ latencyMs: 150 });
    const mailer = mailerFor();
    await Promise.all(Array.from({ length: 8 }, (_, i) => mailer.send(mail(`c${i}@example.org`))));
    expect(standIn.counters.maxConcurrency).toBe(8);
    expect(standIn.counters.inFlight).toBe(0);
  });

  it('reads recipients from the headers without Destinations, answers GetSendQuota, refuses other actions', async () => {
    const raw =
      'To: One <one@example.org>, two@example.org\r\nCc:\r\n three@example.org\r\nSubject: x\r\n\r\nbody';
    const form = new URLSearchParams({
      Action: 'SendRawEmail',
      'RawMessage.Data': Buffer.from(raw).toString('base64'),
    });
    const sent = await fetch(standIn.endpoint, { method: 'POST', body: form });
    expect(sent.status).toBe(200);
    expect(await sent.text()).toMatch(/<SendRawEmailResult><MessageId>[^<]+<\/MessageId>/);
    expect(standIn.mails()[0]!.to).toEqual(['one@example.org', 'two@example.org', 'three@example.org']);

    standIn.configure({ maxSendRate: 14 });
    const quota = await fetch(standIn.endpoint, {
      method: 'POST',
      body: new URLSearchParams({ Action: 'GetSendQuota' }),
    });
    expect(await quota.text()).toContain('<MaxSendRate>14</MaxSendRate>');
    const other = await fetch(standIn.endpoint, {
      method: 'POST',
      body: new URLSearchParams({ Action: 'SendEmail' }),
    });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('<Code>InvalidAction</Code>');
  });
});
