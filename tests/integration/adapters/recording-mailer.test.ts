import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalOutbox } from '../../../adapters/local/local-outbox.js';
import { RecordingMailer } from '../../../adapters/local/recording-mailer.js';
import { MailerError } from '../../../core/mailer-error.js';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws();
const clock = { now: () => new Date('2026-11-27T10:00:00Z') };

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-outbox-it-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function raw(subject: string): Promise<Uint8Array> {
  return new Uint8Array(
    await new MailComposer({
      from: 'Gazette <news@example.com>',
      to: 'ann@example.com',
      subject,
      text: 'Please confirm',
      headers: {
        'List-Unsubscribe': '<https://example.com/unsubscribe?token=t1>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    })
      .compile()
      .build(),
  );
}

describe('RecordingMailer over SesMailer, into a LocalOutbox', () => {
  it('keeps the full message, custom headers included, under the id SES answered', async () => {
    const outbox = new LocalOutbox(dir);
    const mailer = new RecordingMailer(aws.mailer, outbox, clock);
    const { messageId } = await mailer.send({
      raw: await raw('Confirm your subscription to Café Gazette'),
      from: 'news@example.com',
      to: ['ann@example.com'],
      tags: { kind: 'confirm' },
    });

    const [stored] = await aws.sesEmails();
    expect(stored?.messageId).toBe(messageId);
    const kept = await outbox.get(messageId);
    expect(kept).toMatchObject({
      messageId,
      at: '2026-11-27T10:00:00.000Z',
      to: ['ann@example.com'],
      subject: 'Confirm your subscription to Café Gazette',
    });
    // What the SES emulator loses, the outbox has.
    expect(kept!.raw).toContain('List-Unsubscribe: <https://example.com/unsubscribe?token=t1>');
    expect(kept!.raw).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('records nothing when SES refuses the message', async () => {
    const outbox = new LocalOutbox(dir);
    const mailer = new RecordingMailer(aws.mailer, outbox, clock);
    const error = await mailer
      .send({ raw: await raw('x'), from: 'news@example.com', to: ['ann@example.com'], tags: { bad: 'a.b' } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailerError);
    expect(await outbox.list()).toEqual([]);
  });
});
