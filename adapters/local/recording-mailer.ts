import type { Clock, Mailer, OutgoingMail } from '../../core/ports.js';
import type { SentMail } from './local-outbox.js';

/** Where a {@link RecordingMailer} keeps what it sent (a LocalOutbox). */
export interface MailRecorder {
  record(mail: SentMail): Promise<void>;
}

/**
 * Wraps any Mailer and, after each successful send, records the exact message (local mode's
 * outbox). A failed send records nothing and rethrows as is. A failure to record is reported to
 * `onRecordError` but does not fail the send: the mail is already gone, and failing would invite
 * a second send.
 */
export class RecordingMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly recorder: MailRecorder,
    private readonly clock: Clock,
    private readonly onRecordError: (error: unknown) => void = (error) =>
      console.error('local outbox: could not record a sent message', error),
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const result = await this.inner.send(mail);
    try {
      await this.recorder.record({
        messageId: result.messageId,
        at: this.clock.now().toISOString(),
        from: mail.from,
        to: [...mail.to],
        raw: mail.raw,
      });
    } catch (error) {
      this.onRecordError(error);
    }
    return result;
  }
}
