import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createSesClient } from '../../../adapters/aws/clients.js';
import { SesMailer } from '../../../adapters/aws/ses-mailer.js';
import { MailerError } from '../../../core/mailer-error.js';
import type { OutgoingMail } from '../../../core/ports.js';
import { useLocalAws } from '../../support/emulators.js';

const aws = useLocalAws();

async function message(to: string, subject: string): Promise<Uint8Array> {
  const raw = await new MailComposer({
    from: 'Gazette <news@example.com>',
    to,
    subject,
    text: 'Hello there',
    html: '<p>Hello there</p>',
    headers: {
      'List-Unsubscribe': '<https://example.com/unsubscribe?token=abc>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  })
    .compile()
    .build();
  return new Uint8Array(raw);
}

async function mail(to = 'ann@example.com', subject = 'Weekly digest №48 ☕'): Promise<OutgoingMail> {
  return {
    raw: await message(to, subject),
    from: 'news@example.com',
    to: [to],
    tags: { edition: 'weekly-2026-W48' },
  };
}

describe('SesMailer against aws-ses-v2-local', () => {
  it('hands the raw message to SES and answers its message id', async () => {
    const { messageId } = await aws.mailer.send(await mail());
    const emails = await aws.sesEmails();
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({
      messageId,
      destination: { to: ['ann@example.com'] },
      subject: 'Weekly digest №48 ☕',
    });
    expect(emails[0]!.body.text).toContain('Hello there');
  });

  it('sends each message once', async () => {
    const sent = await Promise.all(
      ['a', 'b', 'c'].map(async (n) => aws.mailer.send(await mail(`${n}@example.com`))),
    );
    const emails = await aws.sesEmails();
    expect(emails.map((e) => e.messageId).sort()).toEqual(sent.map((s) => s.messageId).sort());
    expect(new Set(sent.map((s) => s.messageId)).size).toBe(3);
  });

  it('refuses tags SES would refuse, before sending anything', async () => {
    const bad = { ...(await mail()), tags: { edition: 'post-hello.world' } };
    const error = await aws.mailer.send(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailerError);
    expect(error).toMatchObject({ code: 'InvalidTag', retryable: false });
    expect((error as Error).message).toMatch(/edition/);
    await expect(aws.mailer.send({ ...(await mail()), to: [] })).rejects.toMatchObject({
      code: 'NoRecipient',
    });
    expect(await aws.sesEmails()).toEqual([]);
  });
});

/** A scripted SES Query API on 127.0.0.1: each call takes the next answer of the script. */
class FakeSes {
  readonly requests: URLSearchParams[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(
    private readonly script: Array<'ok' | 'throttle' | 'quota' | 'reject' | '500' | 'hang' | 'drop'>,
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.answer(req, res));
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    this.requests.push(new URLSearchParams(body));
    const step = this.script[this.requests.length - 1] ?? 'ok';
    const xml = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/xml' });
      res.end(text);
    };
    const error = (status: number, type: string, code: string, msg: string) =>
      xml(
        status,
        `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>${type}</Type><Code>${code}</Code><Message>${msg}</Message></Error><RequestId>r-${this.requests.length}</RequestId></ErrorResponse>`,
      );
    switch (step) {
      case 'ok':
        return xml(
          200,
          `<SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendRawEmailResult><MessageId>fake-${this.requests.length}</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SendRawEmailResponse>`,
        );
      case 'throttle':
        return error(400, 'Sender', 'Throttling', 'Maximum sending rate exceeded.');
      case 'quota':
        return error(400, 'Sender', 'Throttling', 'Daily message quota exceeded.');
      case 'reject':
        return error(400, 'Sender', 'MessageRejected', 'Email address is not verified.');
      case '500':
        return error(500, 'Receiver', 'InternalFailure', 'internal failure');
      case 'drop':
        req.socket.destroy();
        return;
      case 'hang':
        return; // never answers
    }
  }
}

describe('SesMailer retries and failures (scripted SES on 127.0.0.1)', () => {
  let fake: FakeSes | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  async function mailerFor(script: ConstructorParameters<typeof FakeSes>[0], maxAttempts = 3) {
    fake = new FakeSes(script);
    const endpoint = await fake.start();
    const ses = createSesClient({
      ...aws.config,
      endpoints: { ses: endpoint },
      requestTimeoutMs: 300,
      maxAttempts,
    });
    return new SesMailer(ses, { configurationSetName: 'gazette-prod' });
  }

  it('sends the configuration set, the tags, the envelope and the raw bytes', async () => {
    const mailer = await mailerFor(['ok']);
    const m = await mail();
    m.tags = { edition: 'weekly-2026-W48', kind: 'digest' };
    expect(await mailer.send(m)).toEqual({ messageId: 'fake-1' });
    const form = fake!.requests[0]!;
    expect(form.get('Action')).toBe('SendRawEmail');
    expect(form.get('ConfigurationSetName')).toBe('gazette-prod');
    expect(form.get('Source')).toBe('news@example.com');
    expect(form.get('Destinations.member.1')).toBe('ann@example.com');
    const tags = [1, 2].map((i) => [form.get(`Tags.member.${i}.Name`), form.get(`Tags.member.${i}.Value`)]);
    expect(tags).toEqual([
      ['edition', 'weekly-2026-W48'],
      ['kind', 'digest'],
    ]);
    const raw = Buffer.from(form.get('RawMessage.Data')!, 'base64');
    expect(Buffer.compare(raw, Buffer.from(m.raw))).toBe(0);
    expect(raw.toString('utf8')).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
  });

  it('retries throttling with backoff until SES takes the message', async () => {
    const mailer = await mailerFor(['throttle', 'throttle', 'ok']);
    expect(await mailer.send(await mail())).toEqual({ messageId: 'fake-3' });
    expect(fake!.requests).toHaveLength(3);
  });

  it('gives up after maxAttempts with a throttled, retryable error', async () => {
    const mailer = await mailerFor(['throttle', 'throttle', 'throttle', 'ok'], 2);
    const error = await mailer.send(await mail()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MailerError', throttled: true, retryable: true, maybeSent: false });
    expect(fake!.requests).toHaveLength(2);
  });

  it('retries a 5xx answer', async () => {
    const mailer = await mailerFor(['500', 'ok']);
    expect(await mailer.send(await mail())).toEqual({ messageId: 'fake-2' });
    expect(fake!.requests).toHaveLength(2);
  });

  it('does not retry a rejected message', async () => {
    const mailer = await mailerFor(['reject', 'ok']);
    const error = await mailer.send(await mail()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailerError);
    expect(error).toMatchObject({ code: 'MessageRejected', retryable: false, throttled: false });
    expect(fake!.requests).toHaveLength(1);
  });

  it('does not retry the daily quota within the call', async () => {
    const mailer = await mailerFor(['quota', 'ok']);
    await expect(mailer.send(await mail())).rejects.toMatchObject({
      code: 'DailyQuotaExceeded',
      throttled: false,
    });
    expect(fake!.requests).toHaveLength(1);
  });

  it('never re-sends after a timeout: SES may have the message (maybeSent)', async () => {
    const mailer = await mailerFor(['hang', 'ok']);
    const error = await mailer.send(await mail()).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'MailerError',
      code: 'TimeoutError',
      retryable: true,
      maybeSent: true,
    });
    expect(fake!.requests).toHaveLength(1);
  });

  it('never re-sends after the connection dropped mid-request', async () => {
    const mailer = await mailerFor(['drop', 'ok']);
    const error = await mailer.send(await mail()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'MailerError', retryable: true, maybeSent: true });
    expect(fake!.requests).toHaveLength(1);
  });

  it('reports a refused connection as retryable and certainly not sent', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const ses = createSesClient({
      ...aws.config,
      endpoints: { ses: `http://127.0.0.1:${port}` },
      maxAttempts: 2,
    });
    const error = await new SesMailer(ses).send(await mail()).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'MailerError',
      code: 'ECONNREFUSED',
      retryable: true,
      maybeSent: false,
    });
  });
});
