import type { Clock } from '../ports.js';

export interface TokenBucketOptions {
  /** Sustained sends per second (may be fractional). */
  ratePerSecond: number;
  /**
   * Tokens that may be spent at once after a quiet spell. Defaults to one second's worth (at
   * least 1), the most a per-second provider limit tolerates; lower it to smooth bursts.
   */
  burst?: number | undefined;
  clock: Clock;
}

/**
 * A token bucket that hands out reservations: {@link take} always takes a token, and answers how
 * long the caller must wait before using it (0 when one was in the bucket). Callers that take at
 * once get successive slots (0, 1/rate, 2/rate … seconds), so any number of concurrent senders
 * share one rate without polling. Pure: time comes from the injected clock, and waiting is the
 * caller's business (the Sleeper port).
 */
export class TokenBucket {
  readonly ratePerSecond: number;
  readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw new RangeError(`ratePerSecond must be a positive number, got ${options.ratePerSecond}`);
    }
    const burst = options.burst ?? Math.max(1, options.ratePerSecond);
    if (!(burst >= 1) || !Number.isFinite(burst))
      throw new RangeError(`burst must be at least 1, got ${burst}`);
    this.ratePerSecond = options.ratePerSecond;
    this.burst = burst;
    this.clock = options.clock;
    this.tokens = burst;
    this.last = options.clock.now().getTime();
  }

  /** Takes one token; returns the milliseconds to wait before spending it (0 = now). */
  take(): number {
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return Math.ceil((-this.tokens * 1000) / this.ratePerSecond);
  }

  /** Tokens available now (negative while reservations are outstanding). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const now = this.clock.now().getTime();
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
      this.last = now;
    }
  }
}
