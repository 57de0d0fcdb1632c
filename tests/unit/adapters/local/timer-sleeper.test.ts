import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimerSleeper } from '../../../../adapters/local/timer-sleeper.js';

describe('TimerSleeper', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves once the time has passed, not before', async () => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = new TimerSleeper().sleep(250).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(249);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('does not wait for zero, negative or NaN durations', async () => {
    vi.useFakeTimers();
    const sleeper = new TimerSleeper();
    for (const ms of [0, -5, Number.NaN]) {
      let done = false;
      void sleeper.sleep(ms).then(() => {
        done = true;
      });
      await Promise.resolve();
      expect(done).toBe(true);
    }
    expect(vi.getTimerCount()).toBe(0);
  });
});
