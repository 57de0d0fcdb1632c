import type { QueueTimers } from '../../../../adapters/local/in-process-queue.js';

/** Lets pending promise callbacks and I/O callbacks run. */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A clock that moves only when told to: timers fire in order as `advance` passes them. */
export class ManualTimers implements QueueTimers {
  private current: number;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; id: number; callback: () => void }>();

  constructor(start = Date.UTC(2026, 10, 27, 9, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimer(callback: () => void, ms: number): unknown {
    const id = this.nextId;
    this.nextId += 1;
    this.pending.set(id, { at: this.current + Math.max(0, ms), id, callback });
    return id;
  }

  clearTimer(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** A sleep on this clock (for handlers that "take time"). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(resolve, ms));
  }

  get timerCount(): number {
    return this.pending.size;
  }

  /** Moves time forward by `ms`, firing every timer due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      let next: { at: number; id: number; callback: () => void } | undefined;
      for (const t of this.pending.values()) {
        if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) next = t;
      }
      if (!next) break;
      this.pending.delete(next.id);
      this.current = next.at;
      next.callback();
      await settle();
    }
    this.current = target;
    await settle();
  }
}
