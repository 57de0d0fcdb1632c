import { ConfigError } from '../errors.js';

/**
 * The rate one send worker may use so that all of them together stay under the provider's
 * limit: `total × share ÷ maxConcurrency`. `total` is SES's MaxSendRate (GetSendQuota) on AWS,
 * `share` the part of it Gazette may use (leave room for other senders on the account and for
 * confirmation mails: 0.8 is a sensible default), `maxConcurrency` the most workers that run at
 * once (the event source mapping's maximum concurrency). Each worker then keeps its own token
 * bucket, and no coordination between workers is needed. 14/s, share 0.8, 2 workers → 5.6/s each.
 */
export function perWorkerRate(total: number, share: number, maxConcurrency: number): number {
  const problems: string[] = [];
  if (!(total > 0) || !Number.isFinite(total))
    problems.push(`send rate: total must be a positive number, got ${total}`);
  if (!(share > 0 && share <= 1)) problems.push(`send rate: share must be in (0, 1], got ${share}`);
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
    problems.push(`send rate: maxConcurrency must be a whole number ≥ 1, got ${maxConcurrency}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return (total * share) / maxConcurrency;
}

/**
 * How many sends one worker must keep in flight to reach `ratePerSecond` when one provider
 * call takes `latencyMs` (Little's law, plus a quarter for jitter): 500/s at 150 ms → 94.
 */
export function inFlightFor(ratePerSecond: number, latencyMs: number): number {
  if (!(ratePerSecond > 0) || !(latencyMs >= 0)) {
    throw new ConfigError([
      `in-flight sends: rate ${ratePerSecond} and latency ${latencyMs} must be positive`,
    ]);
  }
  return Math.max(1, Math.ceil(((ratePerSecond * latencyMs) / 1000) * 1.25));
}
