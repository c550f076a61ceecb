/** Small numeric helpers shared by the analysis steps. */
import { BEAT_LEVEL_WASM } from './wasm/beat-level-wasm.js';
import { borrow, giveBack } from './wasm/instantiate.js';

/** Approximate percentile (0..1) from at most ~20k evenly spaced samples: cheap on hour-long curves. */
export function percentile(a: ArrayLike<number>, q: number): number {
  const n = a.length;
  if (n === 0) return 0;
  const step = Math.max(1, Math.floor(n / 20000));
  const m = Math.ceil(n / step);
  // A typed array sorts numerically in native code: no comparator calls. Every sample (the curves of
  // a clip under ~3 minutes) is copied by the typed array's own constructor: a JavaScript loop run
  // once per curve is interpreted (≈ 11 ms of the samples of a cold `s2v analyze` of 30 s).
  const s = step === 1 ? new Float64Array(a) : new Float64Array(m);
  if (step > 1) for (let i = 0, j = 0; j < m; i += step, j++) s[j] = a[i]!;
  s.sort();
  return s[Math.min(m - 1, Math.max(0, Math.round(q * (m - 1))))]!;
}

/** Scale to 0..1 by a robust maximum (the 99th percentile), clipping above it. */
export function normalize(a: Float32Array, q = 0.99): Float32Array {
  const top = percentile(a, q);
  const out = new Float32Array(a.length);
  if (!(top > 1e-12)) return out;
  for (let i = 0; i < a.length; i++) out[i] = Math.min(1, Math.max(0, a[i]! / top));
  return out;
}

/** Envelopes from this long have their mean taken in WebAssembly. */
const LONG = 512;

/**
 * The mean (0 of nothing). A long Float32Array (an envelope) is summed in WebAssembly, the same sum
 * in the same order: the beat-level choice takes a dozen envelopes' means once per `s2v analyze`,
 * cold, where this loop was interpreted.
 */
export function mean(a: ArrayLike<number>): number {
  if (a instanceof Float32Array && a.length >= LONG) {
    const k = borrow(BEAT_LEVEL_WASM) as unknown as { memory: WebAssembly.Memory; seriesInit(n: number): void; seriesMean(): number; series: WebAssembly.Global };
    k.seriesInit(a.length);
    new Float32Array(k.memory.buffer, k.series.value as number, a.length).set(a);
    const m = k.seriesMean();
    giveBack(BEAT_LEVEL_WASM, k as unknown as WebAssembly.Exports);
    return m;
  }
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return a.length ? s / a.length : 0;
}

export function std(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return a.length ? Math.sqrt(s / a.length) : 0;
}

export function median(a: ArrayLike<number>): number {
  return percentile(a, 0.5);
}

/** Largest value of `a` within ±`radius` frames of frame `f` (rounded), 0 outside the array. */
export function peakAround(a: Float32Array, f: number, radius = 3): number {
  const c = Math.round(f);
  let m = 0;
  for (let k = c - radius; k <= c + radius; k++) if (k >= 0 && k < a.length && a[k]! > m) m = a[k]!;
  return m;
}

/** Round to milliseconds (3 decimals), as times and curve values travel in FeaturesValue. */
export function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** One-pole smoother with separate attack and release times (seconds) at `rate` Hz. */
export function attackRelease(a: Float32Array, rate: number, attackSec: number, releaseSec: number): Float32Array {
  const up = 1 - Math.exp(-1 / (attackSec * rate));
  const down = 1 - Math.exp(-1 / (releaseSec * rate));
  const out = new Float32Array(a.length);
  let y = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    y += (x > y ? up : down) * (x - y);
    out[i] = y;
  }
  return out;
}
