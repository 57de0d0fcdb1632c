/**
 * A Mailer that times every call of the one it wraps: the send worker pool's `onSendTimings`,
 * and the pipeline benchmark's worker in the main thread.
 */
import { MailerError } from '../../core/mailer-error.js';
import type { Mailer, OutgoingMail } from '../../core/ports.js';

/** One SES call made by a send worker. Times are milliseconds since the epoch, with fractions. */
export interface SendTiming {
  /** The pool's thread slot that made it (0 for a worker in the main thread). */
  thread: number;
  startedAt: number;
  endedAt: number;
  /** Answered with a MessageId; refused for now (throttled, 5xx: retried); or failed otherwise. */
  outcome: 'sent' | 'retryable' | 'failed';
}

export class TimedMailer implements Mailer {
  constructor(
    private readonly inner: Mailer,
    private readonly thread: number,
    private readonly sink: (timing: SendTiming) => void,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const startedAt = performance.timeOrigin + performance.now();
    let outcome: SendTiming['outcome'] = 'sent';
    try {
      return await this.inner.send(mail);
    } catch (error) {
      outcome = error instanceof MailerError && error.retryable ? 'retryable' : 'failed';
      throw error;
    } finally {
      this.sink({
        thread: this.thread,
        startedAt,
        endedAt: performance.timeOrigin + performance.now(),
        outcome,
      });
    }
  }
}
