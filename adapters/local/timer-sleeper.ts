import type { Sleeper } from '../../core/ports.js';

/** Waits on the event loop with `setTimeout`; what workers use outside tests. */
export class TimerSleeper implements Sleeper {
  sleep(ms: number): Promise<void> {
    if (!(ms > 0)) return Promise.resolve();
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
