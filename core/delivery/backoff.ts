/**
 * Exponential backoff with full jitter: a random wait in [0, min(cap, base × 2^(attempt-1))).
 * Full jitter spreads retries of many throttled senders over the whole interval, so they do not
 * come back in step and get throttled together again. `random` returns a number in [0, 1).
 */
export function fullJitterDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
