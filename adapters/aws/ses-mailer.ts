import { type SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { MailerError } from '../../core/mailer-error.js';
import type { Mailer, OutgoingMail } from '../../core/ports.js';
import { classifySesError } from './classify-ses-error.js';

/** SES message tag names and values: ASCII letters, digits, `_` and `-`, at most 256. */
const TAG_PART = /^[A-Za-z0-9_-]{1,256}$/;
/** SES refuses raw messages above 10 MB (40 MB with a raised quota); 10 MB is the safe bound. */
const MAX_RAW_BYTES = 10 * 1024 * 1024;

export interface SesMailerOptions {
  /** The SES configuration set whose event destination reports bounces, complaints, deliveries. */
  configurationSetName?: string | undefined;
}

/**
 * Sends prepared MIME messages with SES v1 SendRawEmail, with the configuration set and the
 * message tags (the `edition` tag lets SES events settle deliveries). Every failure becomes a
 * {@link MailerError}; see {@link classifySesError} for the flags.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESClient,
    private readonly options: SesMailerOptions = {},
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const tags = Object.entries(mail.tags);
    const badTag = tags.find(([name, value]) => !TAG_PART.test(name) || !TAG_PART.test(value));
    if (badTag) {
      throw new MailerError(
        `message tag "${badTag[0]}" is not accepted by SES: names and values need 1-256 of A-Z a-z 0-9 _ -`,
        { code: 'InvalidTag', retryable: false },
      );
    }
    if (mail.to.length === 0)
      throw new MailerError('a mail needs at least one recipient', { code: 'NoRecipient', retryable: false });
    if (mail.raw.byteLength > MAX_RAW_BYTES) {
      throw new MailerError(`message of ${mail.raw.byteLength} bytes exceeds SES's ${MAX_RAW_BYTES}`, {
        code: 'MessageTooLarge',
        retryable: false,
      });
    }
    let messageId: string | undefined;
    try {
      const res = await this.ses.send(
        new SendRawEmailCommand({
          RawMessage: { Data: mail.raw },
          Source: mail.from,
          Destinations: mail.to,
          ConfigurationSetName: this.options.configurationSetName,
          Tags: tags.length > 0 ? tags.map(([Name, Value]) => ({ Name, Value })) : undefined,
        }),
      );
      messageId = res.MessageId;
    } catch (error) {
      throw classifySesError(error);
    }
    if (!messageId) {
      throw new MailerError('SES accepted the message but returned no MessageId', {
        code: 'NoMessageId',
        retryable: false,
        maybeSent: true,
      });
    }
    return { messageId };
  }
}
