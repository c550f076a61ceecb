/**
 * Ellis-style dynamic-programming beat tracker with a local tempo: every frame picks the
 * best previous beat one period back, penalised by how far the gap strays (log scale)
 * from the local period. Output beats are frame indices into the onset envelope.
 *
 * The loops run in WebAssembly (wasm/assembly/beats.ts): this runs up to five times per
 * `s2v analyze` (once per metrical level tracked), cold, where the JavaScript's dynamic
 * programme was interpreted with boxed doubles. The kernel does the same operations in the
 * same order; the smoothing kernel (Math.exp), the tempo penalties (Math.log) and the medians
 * (a typed array's sort) are computed here, so the beats are bit for bit the JavaScript's
 * (beats.test.ts keeps it as the reference).
 */
import { BEAT_LEVEL_WASM } from './wasm/beat-level-wasm.js';
import { borrow, giveBack } from './wasm/instantiate.js';

export interface BeatOptions {
  /** Higher = more rigid tempo. */
  tightness?: number;
}

/** Tempo penalty beyond which a gap is not searched (local onset scores are a few units). */
const SEARCH_PENALTY = 200;

/** What the kernel (wasm/assembly/beats.ts, in the beat-level module) exports: byte offsets into its memory and its steps. */
interface BeatKernel {
  memory: WebAssembly.Memory;
  beatsInit(frames: number, kernelLength: number, maxGaps: number): void;
  smooth(half: number): void;
  sameUntil(t: number): number;
  link(t0: number, t1: number, lo: number, hi: number): void;
  findPeaks(): number;
  finish(med: number): number;
  onset: WebAssembly.Global;
  periodAt: WebAssembly.Global;
  kernel: WebAssembly.Global;
  penalty: WebAssembly.Global;
  peakValues: WebAssembly.Global;
  beats: WebAssembly.Global;
  first: WebAssembly.Global;
}

export function trackBeats(onset: Float32Array, periodAt: Float32Array, opts: BeatOptions = {}): number[] {
  const n = onset.length;
  if (n < 4) return [];
  const tightness = opts.tightness ?? 100;
  // Only gaps whose tempo penalty stays below SEARCH_PENALTY are searched: with the rigid
  // tracking the analysis uses (tightness 3000) that is ±29 % of the period instead of
  // ½–2×, a third of the work, and a predecessor further off never wins anyway.
  const reach = Math.min(Math.LN2, Math.sqrt(SEARCH_PENALTY / tightness));
  const loF = Math.exp(-reach);
  const hiF = Math.exp(reach);
  const sorted = Float32Array.from(periodAt).sort();
  const medianPeriod = sorted.length ? sorted[sorted.length >> 1]! : 0;
  // Smooth with a narrow Gaussian (σ ≈ period/32) so beats may sit a frame off a peak.
  const half = Math.max(1, Math.round(medianPeriod / 8));
  // Gaps longer than the envelope are never reached: room for the widest search there is (the
  // longest finite period's; a period that is not a finite number searches nothing, as before).
  let top = sorted.length - 1;
  while (top > 0 && !Number.isFinite(sorted[top]!)) top--;
  const longest = Math.max(1, Math.min(n - 1, Math.round(sorted[top]! * hiF)) || 1);
  const k = borrow(BEAT_LEVEL_WASM) as unknown as BeatKernel;
  try {
    return track(k, onset, periodAt, n, tightness, loF, hiF, medianPeriod, half, longest);
  } finally {
    giveBack(BEAT_LEVEL_WASM, k as unknown as WebAssembly.Exports);
  }
}

/** trackBeats' steps on a kernel. */
function track(k: BeatKernel, onset: Float32Array, periodAt: Float32Array, n: number, tightness: number, loF: number, hiF: number, medianPeriod: number, half: number, longest: number): number[] {
  k.beatsInit(n, 2 * half + 1, longest);
  // Views on the kernel's memory, which `init` sized once and for all (so they never detach).
  const f32 = (at: WebAssembly.Global, len: number) => new Float32Array(k.memory.buffer, at.value as number, len);
  const f64 = (at: WebAssembly.Global, len: number) => new Float64Array(k.memory.buffer, at.value as number, len);
  f32(k.onset, n).set(onset);
  f32(k.periodAt, n).set(periodAt.subarray(0, n));
  const kernel = f64(k.kernel, 2 * half + 1);
  for (let i = 0; i < kernel.length; i++) kernel[i] = Math.exp(-0.5 * (((i - half) * 32) / medianPeriod) ** 2);
  k.smooth(half);
  // Chains may start fresh only until the music starts; after that every beat links back,
  // otherwise a tight tempo penalty would break the grid into pieces. The tempo penalty of
  // each gap is computed here (Math.log) once per stretch of frames with one period: the
  // tempo path holds its period over long stretches (often the whole file).
  const penalty = f64(k.penalty, longest);
  for (let t0 = 0; t0 < n; ) {
    const t1 = k.sameUntil(t0);
    const p = periodAt[t0]!;
    const lo = Math.max(1, Math.round(p * loF));
    const hi = Math.min(n - 1, Math.round(p * hiF));
    if (hi >= lo) {
      for (let tau = lo; tau <= hi; tau++) {
        const l = Math.log(tau / p);
        penalty[tau - lo] = tightness * l * l;
      }
      k.link(t0, t1, lo, hi);
    } else k.link(t0, t1, 1, 0);
    t0 = t1;
  }
  // Last beat: the last local maximum of the cumulative score that is well above typical.
  const peaks = k.findPeaks();
  if (peaks === 0) return [];
  const med = median(f32(k.peakValues, peaks));
  // Every chain ends near the end of the music; the kernel picks the strongest end within one
  // period, not simply the latest (that one is as likely to be an off-beat chain), follows the
  // chain back and drops leading/trailing beats on near-silence (the DP happily extends a grid into it).
  const end = k.finish(med);
  return Array.from(new Int32Array(k.memory.buffer, k.beats.value as number, end).subarray(k.first.value as number));
}

function median(a: Float32Array): number {
  const s = Float32Array.from(a).sort();
  return s.length ? s[s.length >> 1]! : 0;
}
