import { describe, expect, it } from 'vitest';
import type { SentMail } from '../../../../adapters/local/local-outbox.js';
import { RecordingMailer } from '../../../../adapters/local/recording-mailer.js';
import { MailerError } from '../../../../core/mailer-error.js';
import type { Mailer, OutgoingMail } from '../../../../core/ports.js';

const clock = { now: () => new Date('2026-11-27T10:00:00Z') };
const mail: OutgoingMail = {
  raw: new TextEncoder().encode('Subject: Hi\r\n\r\nBody'),
  from: 'news@example.com',
  to: ['ann@example.com'],
  tags: { kind: 'confirm' },
};

describe('RecordingMailer', () => {
  it('records each successful send with the provider id and passes the result through', async () => {
    const recorded: SentMail[] = [];
    const inner: Mailer = { send: async () => ({ messageId: 'm-1' }) };
    const mailer = new RecordingMailer(inner, { record: async (m) => void recorded.push(m) }, clock);
    expect(await mailer.send(mail)).toEqual({ messageId: 'm-1' });
    expect(recorded).toEqual([
      { messageId: 'm-1', at: '2026-11-27T10:00:00.000Z', from: mail.from, to: mail.to, raw: mail.raw },
    ]);
  });

  it('records nothing when the send fails, and rethrows the same error', async () => {
    const recorded: SentMail[] = [];
    const failure = new MailerError('rejected', { code: 'MessageRejected', retryable: false });
    const inner: Mailer = {
      send: async () => {
        throw failure;
      },
    };
    const mailer = new RecordingMailer(inner, { record: async (m) => void recorded.push(m) }, clock);
    await expect(mailer.send(mail)).rejects.toBe(failure);
    expect(recorded).toEqual([]);
  });

  it('does not fail a send that went out when recording fails', async () => {
    const reported: unknown[] = [];
    const inner: Mailer = { send: async () => ({ messageId: 'm-2' }) };
    const broken = {
      record: async () => {
        throw new Error('disk full');
      },
    };
    const mailer = new RecordingMailer(inner, broken, clock, (e) => reported.push(e));
    expect(await mailer.send(mail)).toEqual({ messageId: 'm-2' });
    expect(reported).toHaveLength(1);
    expect(String(reported[0])).toMatch(/disk full/);
  });
});
