/** Accent envelopes and grid sampling shared by the metrical-level and beat-phase choices. */
import { peakAround, percentile } from './stats.js';

/**
 * Sum of per-band positive magnitude steps (frame t vs t−2), each band scaled by its 99th
 * percentile so kick, snare and hats vote alike whatever the mix balance.
 */
export function accentEnvelope(bands: Float32Array[]): Float32Array {
  const n = bands[0]?.length ?? 0;
  const out = new Float32Array(n);
  const step = new Float32Array(n);
  for (const b of bands) {
    for (let t = 2; t < n; t++) step[t] = Math.max(0, b[t]! - b[t - 2]!);
    const top = percentile(step, 0.99);
    if (!(top > 1e-12)) continue;
    for (let t = 0; t < n; t++) out[t] = out[t]! + step[t]! / top;
  }
  return out;
}

/** The points a fraction `f` of the way from each beat to the next (one fewer than the beats). */
export function between(beats: number[], f: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < beats.length; i++) out.push(beats[i - 1]! + f * (beats[i]! - beats[i - 1]!));
  return out;
}

export function meanPeak(a: Float32Array, points: number[]): number {
  let s = 0;
  for (const p of points) s += peakAround(a, p);
  return points.length ? s / points.length : 0;
}
