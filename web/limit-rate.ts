import type { RateLimiter } from '../core/ports.js';
import { HttpProblemError } from './http-problem.js';
import type { RateRule } from './web-deps.js';

/**
 * The rate limiter could not count a request. Subscribing fails closed: a limiter that is down
 * must not open the door to mail bombing and list flooding, and a subscriber can try again in a
 * minute. Answered 503 with Retry-After and logged as an error.
 */
export class RateLimiterUnavailableError extends Error {
  override readonly name = 'RateLimiterUnavailableError';
  constructor(options?: { cause?: unknown }) {
    super('rate limiter unavailable: the request was refused rather than let through uncounted', options);
  }
}

/**
 * Counts one hit on `key` and throws a 429 (with Retry-After, in whole seconds) past the limit,
 * or a RateLimiterUnavailableError when the counter cannot be read.
 */
export async function limitRate(
  limiter: RateLimiter,
  key: string,
  rule: RateRule,
  now: Date,
  what: string,
): Promise<void> {
  let decision: Awaited<ReturnType<RateLimiter['hit']>>;
  try {
    decision = await limiter.hit(key, rule.limit, rule.windowSeconds, now);
  } catch (error) {
    throw new RateLimiterUnavailableError({ cause: error });
  }
  if (decision.allowed) return;
  const seconds = Math.ceil(decision.retryAfterSeconds);
  const retryAfter = Number.isFinite(seconds) ? Math.max(1, seconds) : rule.windowSeconds;
  throw new HttpProblemError(
    429,
    { field: 'rate', message: `too many ${what}; try again in ${retryAfter} seconds` },
    { 'Retry-After': String(retryAfter) },
  );
}
