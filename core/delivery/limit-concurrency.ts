/** Runs a task when fewer than the limit are running; otherwise waits its turn (first come, first served). */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A concurrency limit shared by every task given to it: a worker's recipients, from all the
 * queue messages it handles at once, keep at most `limit` provider calls in flight.
 */
export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a whole number ≥ 1, got ${limit}`);
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running < limit) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}
