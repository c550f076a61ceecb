/**
 * percentile: the order statistic of all samples (a clip's curves), or of every step-th sample on
 * long curves, whichever way the samples are copied; plain arrays and typed arrays alike.
 */
import { describe, expect, it } from 'vitest';
import { mean, median, percentile } from './stats.js';

/** The same statistic the slow, obvious way. */
function reference(a: ArrayLike<number>, q: number): number {
  const step = Math.max(1, Math.floor(a.length / 20000));
  const kept: number[] = [];
  for (let i = 0; i < a.length; i += step) kept.push(a[i]!);
  kept.sort((x, y) => (Number.isNaN(x) ? 1 : Number.isNaN(y) ? -1 : x - y));
  return kept[Math.min(kept.length - 1, Math.max(0, Math.round(q * (kept.length - 1))))]!;
}

describe('percentile', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  it.each([1, 2, 5, 3000, 20000, 20001, 50000])('is the order statistic of %i samples (every step-th past 20 000)', (n) => {
    const f32 = Float32Array.from({ length: n }, rnd);
    for (const q of [0, 0.05, 0.5, 0.95, 0.99, 1]) {
      expect(percentile(f32, q)).toBe(reference(f32, q));
      expect(percentile(Array.from(f32), q)).toBe(reference(f32, q));
    }
  });

  it('of nothing is 0; a NaN sorts last; the median is the 0.5 percentile', () => {
    expect(percentile(new Float32Array(0), 0.5)).toBe(0);
    expect(percentile([3, Number.NaN, 1, 2], 0.5)).toBe(3);
    expect(Number.isNaN(percentile([3, Number.NaN, 1, 2], 1))).toBe(true);
    expect(median(Float32Array.of(5, 1, 4, 2, 3))).toBe(3);
  });
});

describe('mean', () => {
  /** The plain loop it was (and still is for arrays and short envelopes). */
  const reference = (a: ArrayLike<number>) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i]!;
    return a.length ? s / a.length : 0;
  };
  let seed = 11;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
  it.each([0, 1, 511, 512, 3000, 100001])('of %i samples is the plain sum in order over the count, typed or not', (n) => {
    const f32 = Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1e6 : 1) * rnd());
    expect(mean(f32)).toBe(reference(f32));
    expect(mean(Array.from(f32))).toBe(reference(f32));
    expect(mean(Float64Array.from(f32))).toBe(reference(f32));
  });

  it('of an envelope with a NaN is NaN', () => {
    const f32 = new Float32Array(1000).fill(0.5);
    f32[600] = Number.NaN;
    expect(mean(f32)).toBeNaN();
  });
});
