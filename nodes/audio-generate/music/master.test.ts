/** Limiter and mastering: never over the ceiling, untouched far from peaks, lands on the target. */
import { describe, expect, it } from 'vitest';
import { limit, master } from './master.js';
import { integratedLoudness } from './loudness.js';
import { Rng } from '../../../src/engine/index.js';

const db = (x: number) => 20 * Math.log10(x);
function peak(...chs: Float32Array[]): number {
  let p = 0;
  for (const c of chs) for (const v of c) p = Math.max(p, Math.abs(v));
  return p;
}

describe('limit', () => {
  it('holds peaks at the ceiling and leaves quiet passages alone', () => {
    const sr = 44100;
    const n = sr * 2;
    const L = new Float32Array(n);
    for (let i = 0; i < n; i++) L[i] = 0.3 * Math.sin((2 * Math.PI * 220 * i) / sr);
    // Two loud bursts (+6 dBFS) in the second half.
    for (let i = sr + 1000; i < sr + 3000; i++) L[i] = 2 * Math.sin((2 * Math.PI * 220 * i) / sr);
    const R = Float32Array.from(L);
    const before = Float32Array.from(L);
    limit(L, R, sr, Math.pow(10, -1 / 20), 0.005, 0.1);
    expect(db(peak(L, R))).toBeLessThanOrEqual(-1 + 1e-6);
    // The first second (far from the burst) is bit-identical.
    for (let i = 0; i < sr - 1000; i += 97) expect(L[i]).toBe(before[i]);
  });
});

describe('master', () => {
  it('normalises a drum-like track to −14 LUFS with peaks ≤ −1 dBFS', () => {
    const sr = 44100;
    const n = sr * 6;
    const L = new Float32Array(n);
    const rng = new Rng(7);
    // Decaying noise hits every 0.5 s over a quiet bed: a high crest factor, like drums.
    for (let i = 0; i < n; i++) {
      const t = (i % (sr / 2)) / sr;
      L[i] = (rng.next() * 2 - 1) * (0.02 + 0.9 * Math.exp(-t / 0.05));
    }
    const R = Float32Array.from(L).reverse();
    const loud = master(L, R, sr);
    expect(Math.abs(loud + 14)).toBeLessThan(0.3);
    expect(Math.abs(integratedLoudness([L, R], sr) + 14)).toBeLessThan(0.3);
    expect(db(peak(L, R))).toBeLessThanOrEqual(-1 + 1e-6);
  });
});
