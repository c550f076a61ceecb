/**
 * Accent envelopes and grid sampling shared by the metrical-level and beat-phase choices.
 * accentEnvelope runs in WebAssembly (wasm/assembly/beat-accent.ts, in the beat-level module):
 * a dozen bands per `s2v analyze`, cold, each with a percentile that sorted a copy of its steps.
 * The kernel does the same arithmetic and selects the same order statistic, so the envelope is bit
 * for bit the JavaScript's (beat-accent.test.ts keeps it as the reference).
 */
import { peakAround } from './stats.js';
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
