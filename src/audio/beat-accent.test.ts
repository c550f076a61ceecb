/**
 * accentEnvelope's loops run in WebAssembly (wasm/assembly/beat-accent.ts). The envelope must be bit
 * for bit the JavaScript's, kept here as the reference: one band or several, bands that are silent
 * (skipped), step-shaped, noisy, with a NaN, shorter than the first, and the analysis' own band
 * magnitudes of a generated groove.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/random.js';
import { accentEnvelope, decimate, lagCorrelation, meanPeak, rowChangeAcross } from './beat-accent.js';
import { FrameAnalyzer } from './frame-analyzer.js';
import { mean, peakAround, percentile } from './stats.js';
import { meterGroove } from '../../test/fixtures/audio/meter-grooves.js';

function referenceAccent(bands: Float32Array[]): Float32Array {
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

describe('accentEnvelope in WebAssembly against the JavaScript it replaced (bit for bit)', () => {
  const rng = new Rng(5);
  const noise = (n: number, scale = 1) => Float32Array.from({ length: n }, () => scale * rng.next() ** 3);
  const withNaN = noise(800);
  withNaN[300] = Number.NaN;
  const cases: Array<[string, Float32Array[]]> = [
    ['no band', []],
    ['one noisy band', [noise(3000)]],
    ['three bands of different loudness', [noise(3000, 1e-3), noise(3000), noise(3000, 1e4)]],
    ['a silent band among others', [noise(2000), new Float32Array(2000), noise(2000, 0.1)]],
    ['a band that only steps up', [Float32Array.from({ length: 1000 }, (_, t) => Math.floor(t / 100))]],
    ['a band with a NaN', [withNaN, noise(800)]],
    ['a second band shorter than the first', [noise(500), noise(300)]],
    ['a second band longer than the first', [noise(300), noise(500)]],
    ['two frames', [Float32Array.of(1, 2)]],
    ['steps of few sizes (ties everywhere)', [Float32Array.from({ length: 3000 }, () => Math.floor(rng.next() * 4))]],
    ['NaNs in 3 % of the frames (the percentile is one)', [Float32Array.from({ length: 2000 }, () => (rng.chance(0.03) ? Number.NaN : rng.next()))]],
    ['a long band (percentile of every step-th sample)', [noise(45001)]],
  ];
  it.each(cases)('%s', (_, bands) => {
    expect(accentEnvelope(bands)).toEqual(referenceAccent(bands));
  });

  it("the analysis' own bands of a generated groove, alone and together", () => {
    const g = meterGroove({ style: 'syncopated-kick', bpm: 110, durationSec: 20 });
    const fa = new FrameAnalyzer(20);
    fa.push(g.pcm);
    const e = fa.finish();
    const bands = [e.bands.bass, e.bands.mid, e.bands.treble];
    expect(accentEnvelope(bands)).toEqual(referenceAccent(bands));
    for (const b of bands) expect(accentEnvelope([b])).toEqual(referenceAccent([b]));
  });
});

function referenceDecimate(env: Float32Array, factor: number): Float32Array {
  const out = new Float32Array(Math.floor(env.length / factor));
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let k = 0; k < factor; k++) s += env[i * factor + k]!;
    out[i] = s;
  }
  return out;
}

function referenceLagCorrelation(env: Float32Array, lag: number): number {
  const m = mean(env);
  let best = -1;
  for (const k of [0.98, 0.99, 1, 1.01, 1.02]) {
    const l = lag * k;
    const l0 = Math.floor(l);
    const fr = l - l0;
    let s = 0;
    let a2 = 0;
    let b2 = 0;
    for (let t = 0; t + l0 + 1 < env.length; t++) {
      const a = env[t]! - m;
      const b = (1 - fr) * (env[t + l0]! - m) + fr * (env[t + l0 + 1]! - m);
      s += a * b;
      a2 += a * a;
      b2 += b * b;
    }
    if (a2 > 0 && b2 > 0) best = Math.max(best, s / Math.sqrt(a2 * b2));
  }
  return best;
}

describe("the bar-repetition reads in WebAssembly against the JavaScript they replaced (bit for bit)", () => {
  const rng = new Rng(41);
  /** Bars of `bar` frames repeating (with noise), as an envelope. */
  const bars = (n: number, bar: number) => Float32Array.from({ length: n }, (_, t) => (t % bar < 2 ? 1 : 0.1) * rng.next() + 0.2 * rng.next());
  const withNaN = bars(600, 40);
  withNaN[77] = Number.NaN;
  const envs: Array<[string, Float32Array]> = [
    ['repeating bars', bars(3000, 200)],
    ['noise', Float32Array.from({ length: 1234 }, () => rng.next())],
    ['silence', new Float32Array(800)],
    ['a NaN', withNaN],
    ['one frame', Float32Array.of(0.5)],
    ['nothing', new Float32Array(0)],
  ];
  it.each(envs)('%s', (_, env) => {
    for (const factor of [1, 4, 7]) expect(decimate(env, factor)).toEqual(referenceDecimate(env, factor));
    const d = referenceDecimate(env, 4);
    for (const lag of [0, 0.3, 1, 37.5, 50, 66.66666666666667, 149.9, d.length - 1.5, d.length, 1e12, -0.5, -3, Number.NaN]) {
      expect(lagCorrelation(d, lag)).toBe(referenceLagCorrelation(d, lag));
      expect(lagCorrelation(env, lag * 4)).toBe(referenceLagCorrelation(env, lag * 4));
    }
  });
});

function referenceMeanPeak(a: Float32Array, points: number[]): number {
  let s = 0;
  for (const p of points) s += peakAround(a, p);
  return points.length ? s / points.length : 0;
}

/** beat-phase.ts's RowChange as the JavaScript computed it. */
function referenceRowChange(data: Float32Array, dim: number, dims: number, frames: number, grid: number[]): number {
  const rows = Math.floor(data.length / dim);
  const before = new Float64Array(dims);
  const after = new Float64Array(dims);
  const fill = (v: Float64Array, f0: number, f1: number) => {
    v.fill(0);
    const a = Math.max(0, Math.floor(f0 / frames));
    const b = Math.min(rows, Math.floor(f1 / frames));
    for (let r = a; r < b; r++) for (let d = 0; d < dims; d++) v[d] = v[d]! + data[r * dim + d]!;
    let s = 0;
    for (let d = 0; d < dims; d++) s += v[d]!;
    if (s > 0) for (let d = 0; d < dims; d++) v[d] = v[d]! / s;
  };
  let total = 0;
  for (let i = 0; i < grid.length; i++) {
    const half = 0.5 * (i + 1 < grid.length ? grid[i + 1]! - grid[i]! : grid[i]! - grid[i - 1]!);
    fill(before, grid[i]! - half, grid[i]!);
    fill(after, grid[i]!, grid[i]! + half);
    let s = 0;
    for (let d = 0; d < dims; d++) s += (before[d]! - after[d]!) ** 2;
    total += Math.sqrt(s / dims);
  }
  return grid.length ? total / grid.length : 0;
}

describe('grid reads in WebAssembly against the JavaScript they replaced (bit for bit)', () => {
  const rng = new Rng(43);
  const period = 43.7;
  const beats = Array.from({ length: 60 }, (_, i) => 25 + i * period + rng.range(-1, 1));
  const grids: Array<[string, number[]]> = [
    ['beats', beats],
    ['whole frames', beats.map((b) => Math.round(b))],
    ['halves (rounding up)', beats.map((b) => Math.floor(b) + 0.5)],
    ['midpoints', beats.slice(1).map((b, i) => 0.5 * (b + beats[i]!))],
    ['off either end', [-40, -2.5, 1, 2990, 3001.5, 3100]],
    ['a lone point', [100]],
    ['no point', []],
    ['a point that is not a number', [10, Number.NaN, 90]],
  ];
  const env = Float32Array.from({ length: 2700 }, () => rng.next() ** 4);
  it.each(grids)('meanPeak on %s', (_, grid) => {
    expect(meanPeak(env, grid)).toBe(referenceMeanPeak(env, grid));
  });
  const spectrum = Float32Array.from({ length: 675 * 20 }, () => rng.range(0, 3));
  const chroma = Float32Array.from({ length: 700 * 12 }, () => (rng.chance(0.3) ? 0 : rng.next()));
  it.each(grids)('the row change across %s', (_, grid) => {
    for (const [data, dim, dims, frames] of [
      [spectrum, 20, 5, 4],
      [chroma, 12, 12, 4],
      [chroma, 12, 12, 3],
      [new Float32Array(120), 12, 12, 4],
    ] as const) {
      expect(rowChangeAcross(data, dim, dims, frames, grid)).toBe(referenceRowChange(data, dim, dims, frames, grid));
    }
  });
});
