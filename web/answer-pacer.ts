import { setTimeout as wait } from 'node:timers/promises';

/** Where the pacer reads elapsed time and how it waits; tests pass a virtual one. */
export interface PacingTimer {
  /** Monotonic milliseconds (only differences are used). */
  elapsedMs(): number;
  sleep(ms: number): Promise<void>;
}

export interface PacingOptions {
  /** No answer comes sooner than this (default {@link DEFAULT_PACING}.floorMs). */
  floorMs?: number | undefined;
  /** Waiting never stretches an answer beyond this (default {@link DEFAULT_PACING}.ceilingMs). */
  ceilingMs?: number | undefined;
  /** How many recent answers the pace follows (default {@link DEFAULT_PACING}.window). */
  window?: number | undefined;
  timer?: PacingTimer | undefined;
}

/** A confirmation mail (render, MIME, one SES call) fits in the floor; the window follows slow spells. */
export const DEFAULT_PACING = { floorMs: 500, ceilingMs: 5000, window: 32 } as const;

/** Runs work so that its answer time does not tell what the work did. */
export interface AnswerPacer {
  pace<T>(work: () => Promise<T>): Promise<T>;
}

const realTimer: PacingTimer = {
  elapsedMs: () => performance.now(),
  sleep: async (ms) => {
    await wait(ms);
  },
};

/**
 * Evens out answer times, so that timing does not reveal what a request did (say, whether a
 * confirmation mail went out, which only new and unsubscribed addresses get). Every paced answer,
 * success or failure, comes after the slowest of the recent runs (the current one included), but
 * no sooner than `floorMs` and, by waiting, no later than `ceilingMs`. A run slower than every
 * recent one cannot be hidden; it raises the pace for those that follow.
 */
export function createAnswerPacer(options: PacingOptions = {}): AnswerPacer {
  const floor = options.floorMs ?? DEFAULT_PACING.floorMs;
  const ceiling = Math.max(floor, options.ceilingMs ?? DEFAULT_PACING.ceilingMs);
  const size = Math.max(1, options.window ?? DEFAULT_PACING.window);
  const timer = options.timer ?? realTimer;
  const recent: number[] = [];

  return {
    async pace<T>(work: () => Promise<T>): Promise<T> {
      const start = timer.elapsedMs();
      try {
        return await work();
      } finally {
        const took = timer.elapsedMs() - start;
        recent.push(took);
        if (recent.length > size) recent.shift();
        const target = Math.min(ceiling, Math.max(floor, ...recent));
        if (target > took) await timer.sleep(target - took);
      }
    },
  };
}
