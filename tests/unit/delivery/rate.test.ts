import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from '../../../core/delivery/backoff.js';
import { createLimiter } from '../../../core/delivery/limit-concurrency.js';
import { inFlightFor, perWorkerRate } from '../../../core/delivery/send-rate.js';
import { resolveSendWorkerConfig } from '../../../core/delivery/send-worker-config.js';
import { TokenBucket } from '../../../core/delivery/token-bucket.js';
import { ConfigError } from '../../../core/errors.js';
import { ManualClock } from '../../support/memory-delivery.js';

describe('token bucket', () => {
  it('spends the burst at once, then hands out one slot every 1/rate seconds', () => {
    const clock = new ManualClock('2026-11-27T10:00:00Z');
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 3, clock });
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([100, 200, 300]);
    clock.advance(300);
    // The three reservations are used up; the next one waits its own slot.
    expect(bucket.take()).toBe(100);
  });

  it('refills at the rate and never above the burst', () => {
    const clock = new ManualClock('2026-11-27T10:00:00Z');
    const bucket = new TokenBucket({ ratePerSecond: 4, clock });
    expect(bucket.burst).toBe(4);
    for (let i = 0; i < 4; i++) expect(bucket.take()).toBe(0);
    clock.advance(60_000);
    expect(bucket.available()).toBe(4);
    clock.advance(250);
    expect(bucket.available()).toBe(4);
  });

  it('whatever the pattern of takes, no window of one second sees more than rate + burst', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 200 }),
        (rate, burst, gaps) => {
          const clock = new ManualClock('2026-11-27T10:00:00Z');
          const bucket = new TokenBucket({ ratePerSecond: rate, burst, clock });
          const uses: number[] = [];
          for (const gap of gaps) {
            clock.advance(gap);
            uses.push(clock.now().getTime() + bucket.take());
          }
          uses.sort((a, b) => a - b);
          for (let i = 0; i < uses.length; i++) {
            const inWindow = uses.filter(
              (t) => t >= (uses[i] as number) && t < (uses[i] as number) + 1000,
            ).length;
            expect(inWindow).toBeLessThanOrEqual(Math.ceil(rate + burst));
          }
        },
      ),
    );
  });

  it('refuses a rate or burst that makes no sense', () => {
    const clock = new ManualClock();
    expect(() => new TokenBucket({ ratePerSecond: 0, clock })).toThrow(RangeError);
    expect(() => new TokenBucket({ ratePerSecond: 5, burst: 0.5, clock })).toThrow(RangeError);
  });
});

describe('rates and pools', () => {
  it('splits the provider rate between workers', () => {
    expect(perWorkerRate(14, 0.8, 2)).toBeCloseTo(5.6);
    expect(perWorkerRate(500, 1, 5)).toBe(100);
    expect(() => perWorkerRate(0, 1.5, 0)).toThrow(ConfigError);
    try {
      perWorkerRate(0, 1.5, 0);
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(3);
    }
  });

  it('keeps enough sends in flight for the rate at a latency', () => {
    expect(inFlightFor(500, 150)).toBe(94);
    expect(inFlightFor(14, 30)).toBe(1);
    expect(inFlightFor(100, 150)).toBe(19);
  });

  it('fills the worker configuration from the rate and lists every problem', () => {
    const config = resolveSendWorkerConfig({ sendRatePerSecond: 100 });
    // 100/s with each send holding its slot 250 ms, plus a quarter: 32 in flight.
    expect(config).toMatchObject({ burst: 100, concurrency: 32, maxReceives: 5, pausedDelaySeconds: 30 });
    expect(() =>
      resolveSendWorkerConfig({ sendRatePerSecond: -1, concurrency: 0, pausedDelaySeconds: 901 }),
    ).toThrow(/sendRatePerSecond[\s\S]*concurrency[\s\S]*pausedDelaySeconds/);
  });
});

describe('backoff', () => {
  it('waits a random time under an exponentially growing, capped ceiling', () => {
    expect(fullJitterDelay(1, 200, 5000, () => 0.999)).toBe(199);
    expect(fullJitterDelay(3, 200, 5000, () => 0.5)).toBe(400);
    expect(fullJitterDelay(10, 200, 5000, () => 0.999)).toBe(4995);
    expect(fullJitterDelay(4, 200, 5000, () => 0)).toBe(0);
  });
});

describe('concurrency limit', () => {
  it('never runs more tasks at once than the limit, and runs them all', async () => {
    const limit = createLimiter(3);
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((r) => setImmediate(r));
          running -= 1;
          done.push(i);
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('frees the slot of a task that throws', async () => {
    const limit = createLimiter(1);
    await expect(limit(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit(async () => 'next')).toBe('next');
  });
});
