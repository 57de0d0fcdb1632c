import { classifySesError } from './classify-ses-error.js';

/** The parts of the SDK's RetryStrategyV2 contract used here (declared locally: no extra package). */
interface RetryToken {
  getRetryCount(): number;
  getRetryDelay(): number;
}

interface RetryErrorInfo {
  error?: unknown;
  errorType: string;
  retryAfterHint?: Date;
}

const BASE_DELAY_MS = 100;
const THROTTLING_BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 20_000;

class Token implements RetryToken {
  constructor(
    private readonly retries: number,
    private readonly delayMs: number,
  ) {}
  getRetryCount(): number {
    return this.retries;
  }
  getRetryDelay(): number {
    return this.delayMs;
  }
}

/**
 * An SDK retry strategy for calls that must not run twice (SendRawEmail). The SDK's standard
 * strategy also retries timeouts and connection resets, after which SES may already have taken
 * the message: a retry there sends the mail twice. This one retries only what SES certainly did
 * not act on: throttling, 5xx answers and connections that never opened; everything else goes
 * back to the caller at once, flagged by {@link classifySesError}. Backoff is exponential with
 * full jitter, and honours a Retry-After hint.
 */
export class SendSafeRetryStrategy {
  readonly mode = 'standard';

  constructor(private readonly maxAttempts: number) {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be a whole number ≥ 1, got ${maxAttempts}`);
    }
  }

  async acquireInitialRetryToken(_scope: string): Promise<RetryToken> {
    return new Token(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const retries = token.getRetryCount() + 1;
    const verdict = classifySesError(info.error);
    const quota = verdict.code === 'DailyQuotaExceeded';
    if (retries >= this.maxAttempts || !verdict.retryable || verdict.maybeSent || quota) {
      // The middleware rethrows the original error when the strategy refuses.
      throw verdict;
    }
    const base = verdict.throttled ? THROTTLING_BASE_DELAY_MS : BASE_DELAY_MS;
    let delay = Math.random() * Math.min(MAX_DELAY_MS, base * 2 ** (retries - 1));
    if (info.retryAfterHint instanceof Date) {
      delay = Math.max(delay, Math.min(MAX_DELAY_MS, info.retryAfterHint.getTime() - Date.now()));
    }
    return new Token(retries, Math.round(delay));
  }

  recordSuccess(_token: RetryToken): void {}
}
