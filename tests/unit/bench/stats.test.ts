import { describe, expect, it } from 'vitest';
import { mean, median, quantile, summarize } from '../../../bench/support/stats.js';

describe('benchmark statistics', () => {
  it('takes the middle value, or the mean of the two middle ones, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('interpolates quantiles between ranks', () => {
    const samples = [10, 20, 30, 40, 50];
    expect(quantile(samples, 0)).toBe(10);
    expect(quantile(samples, 1)).toBe(50);
    expect(quantile(samples, 0.25)).toBe(20);
    expect(quantile(samples, 0.9)).toBeCloseTo(46);
  });

  it('does not reorder the caller’s samples', () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('refuses no samples and quantiles outside 0…1', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => mean([])).toThrow(RangeError);
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError);
  });

  it('summarizes a set of samples', () => {
    const s = summarize([1, 2, 3, 4, 100]);
    expect(s).toMatchObject({ n: 5, median: 3, min: 1, max: 100, mean: 22 });
    expect(s.p90).toBeGreaterThan(4);
    expect(s.p10).toBeLessThan(2);
  });
});
