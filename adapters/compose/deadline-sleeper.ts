import type { Sleeper } from '../../core/ports.js';

/** A wait that would end too close to the invocation's deadline. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/**
 * A Sleeper for a send worker on Lambda. The worker sleeps for a send token (or a backoff)
 * before it claims a recipient; a wait that would end within `marginMs` of the invocation's
 * end throws instead, so no recipient is claimed that could not be sent and confirmed before
 * Lambda stops the process (a claim left behind becomes `unknown` and is never resent). The
 * message fails, SQS delivers it again, and the ledger skips what was done.
 */
export class DeadlineSleeper implements Sleeper {
  constructor(
    private readonly inner: Sleeper,
    private readonly remainingMs: () => number,
    private readonly marginMs: number,
  ) {}

  async sleep(ms: number): Promise<void> {
    const left = this.remainingMs() - Math.max(0, ms);
    if (left < this.marginMs) {
      throw new DeadlineError(
        `a wait of ${Math.round(ms)} ms would leave ${Math.round(left)} ms of the invocation (at least ${this.marginMs} needed)`,
      );
    }
    await this.inner.sleep(ms);
  }
}
