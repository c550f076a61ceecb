/**
 * Accent envelopes and grid sampling shared by the metrical-level and beat-phase choices.
 * accentEnvelope runs in WebAssembly (wasm/assembly/beat-accent.ts, in the beat-level module):
 * a dozen bands per `s2v analyze`, cold, each with a percentile that sorted a copy of its steps.
 * The kernel does the same arithmetic and selects the same order statistic, so the envelope is bit
 * for bit the JavaScript's (beat-accent.test.ts keeps it as the reference).
 */
import { BEAT_LEVEL_WASM } from './wasm/beat-level-wasm.js';
import { borrow, giveBack } from './wasm/instantiate.js';

/** What the kernel exports: byte offsets into its memory and its steps. */
interface AccentKernel {
  memory: WebAssembly.Memory;
  accentInit(frames: number): void;
  steps(): void;
  stepPercentile(stride: number, count: number, k: number): number;
  accumulate(top: number): void;
  band: WebAssembly.Global;
  accent: WebAssembly.Global;
}

/** The steps' percentile: stats.ts percentile's samples (every step-th past 20 000) and index. */
const TOP = 0.99;
const PERCENTILE_SAMPLES = 20000;

/**
 * Sum of per-band positive magnitude steps (frame t vs t−2), each band scaled by its 99th
 * percentile so kick, snare and hats vote alike whatever the mix balance.
 */
export function accentEnvelope(bands: Float32Array[]): Float32Array {
  const n = bands[0]?.length ?? 0;
  if (n === 0) return new Float32Array(0);
  const k = borrow(BEAT_LEVEL_WASM) as unknown as AccentKernel;
  k.accentInit(n);
  // Views on the kernel's memory, which `accentInit` sized once and for all (so they never detach).
  const view = (at: WebAssembly.Global) => new Float32Array(k.memory.buffer, at.value as number, n);
  const band = view(k.band);
  const stride = Math.max(1, Math.floor(n / PERCENTILE_SAMPLES));
  const samples = Math.ceil(n / stride);
  const index = Math.min(samples - 1, Math.max(0, Math.round(TOP * (samples - 1))));
  for (const b of bands) {
    band.set(b.length > n ? b.subarray(0, n) : b);
    // A shorter band reads as JavaScript reads past an array's end: not a number.
    if (b.length < n) band.fill(Number.NaN, b.length);
    k.steps();
    const top = k.stepPercentile(stride, samples, index);
    if (!(top > 1e-12)) continue;
    k.accumulate(top);
  }
  const out = view(k.accent).slice();
  giveBack(BEAT_LEVEL_WASM, k as unknown as WebAssembly.Exports);
  return out;
}

interface SeriesKernel {
  memory: WebAssembly.Memory;
  seriesInit(length: number): void;
  decimateSeries(factor: number): number;
  lagCorrelation(lag: number): number;
  series: WebAssembly.Global;
}

/** `env` in a kernel's memory (a borrowed kernel: give it back). */
function seriesIn(env: Float32Array): SeriesKernel {
  const k = borrow(BEAT_LEVEL_WASM) as unknown as SeriesKernel;
  k.seriesInit(env.length);
  new Float32Array(k.memory.buffer, k.series.value as number, env.length).set(env);
  return k;
}

/** `env` summed over runs of `factor` frames (a last partial run dropped). In WebAssembly: it runs cold. */
export function decimate(env: Float32Array, factor: number): Float32Array {
  const k = seriesIn(env);
  const out = new Float32Array(k.memory.buffer, k.series.value as number, k.decimateSeries(factor)).slice();
  giveBack(BEAT_LEVEL_WASM, k as unknown as WebAssembly.Exports);
  return out;
}

/**
 * Correlation of `env` with itself `lag` frames later (best within ±2 % of it, for drift). In
 * WebAssembly (it runs cold, five lags of a whole envelope per call), the same arithmetic.
 */
export function lagCorrelation(env: Float32Array, lag: number): number {
  const k = seriesIn(env);
  const r = k.lagCorrelation(lag);
  giveBack(BEAT_LEVEL_WASM, k as unknown as WebAssembly.Exports);
  return r;
}

/** The points a fraction `f` of the way from each beat to the next (one fewer than the beats). */
export function between(beats: number[], f: number): number[] {
  const out: number[] = [];
  for (let i = 1; i < beats.length; i++) out.push(beats[i - 1]! + f * (beats[i]! - beats[i - 1]!));
  return out;
}

interface GridKernel {
  memory: WebAssembly.Memory;
  gridInit(length: number, points: number): void;
  meanPeak(radius: number): number;
  rowsInit(dim: number, dims: number, frames: number): void;
  rowChangeAcross(): number;
  gridEnv: WebAssembly.Global;
  gridPoints: WebAssembly.Global;
}

/**
 * The mean of the envelope's peaks (stats.ts peakAround, ±3 frames) at the points. In WebAssembly:
 * the phase and level choices read a dozen envelopes at four grids each, cold; the same sum.
 */
export function meanPeak(a: Float32Array, points: number[]): number {
  if (points.length === 0) return 0;
  const k = gridIn(a, points);
  const m = k.meanPeak(PEAK_RADIUS);
  giveBack(BEAT_LEVEL_WASM, k as unknown as WebAssembly.Exports);
  return m;
}

/** `a` and `points` in a kernel's memory (a borrowed kernel: give it back). */
function gridIn(a: Float32Array, points: number[]): GridKernel {
  const k = borrow(BEAT_LEVEL_WASM) as unknown as GridKernel;
  k.gridInit(a.length, points.length);
  new Float32Array(k.memory.buffer, k.gridEnv.value as number, a.length).set(a);
  new Float64Array(k.memory.buffer, k.gridPoints.value as number, points.length).set(points);
  return k;
}

/**
 * How much feature rows (the first `dims` of `dim` per row in `data`, one row every `frames` frames)
 * differ between the half beat before and the half beat after each grid point: the RMS difference of
 * the two sum-normalised means, averaged over the grid (beat-phase.ts's bass and harmonic change). In
 * WebAssembly: eight grids of ~70 points per analysis, cold, each point summing rows twice.
 */
export function rowChangeAcross(data: Float32Array, dim: number, dims: number, frames: number, grid: number[]): number {
  const k = gridIn(data, grid);
  k.rowsInit(dim, dims, frames);
  const r = k.rowChangeAcross();
  giveBack(BEAT_LEVEL_WASM, k as unknown as WebAssembly.Exports);
  return r;
}

/** stats.ts peakAround's default reach. */
const PEAK_RADIUS = 3;
