/**
 * A `mailerDecorator` for the send worker pool's tests: the first thread of slot 0 dies right
 * after SES took its third mail, before the answer reaches the worker (the row stays claimed, as
 * after a killed Lambda). Threads started later, and the other slots, send normally.
 */
import type { MailerDecorator } from '../../../adapters/local/send-worker-thread.js';

/** How many mails the doomed thread sends before it dies. */
export const SENDS_BEFORE_CRASH = 3;

export const decorateMailer: MailerDecorator = (mailer, { thread, generation }) => {
  if (thread !== 0 || generation !== 0) return mailer;
  let sends = 0;
  return {
    async send(mail) {
      const sent = await mailer.send(mail);
      sends += 1;
      if (sends < SENDS_BEFORE_CRASH) return sent;
      // An uncaught error on the next turn ends the thread; this send never answers.
      setImmediate(() => {
        throw new Error('planned crash after SES took the mail');
      });
      return new Promise<never>(() => undefined);
    },
  };
};
