// AssemblyScript, not TypeScript: compiled by `npm run build:wasm` (see ../build.ts) as part of beat-level.ts.
// The loops of ../../beats.ts (trackBeats), operation for operation, so the beats are bit for bit what
// the JavaScript gave: the onset envelope's spread and its Gaussian smoothing, the dynamic programme
// through the frames, the cumulative score's peaks, the last beat, the back-trace and the trim. What
// is transcendental or sorted stays the caller's (Math.exp for the smoothing kernel, Math.log for the
// tempo penalty of each gap, the typed arrays' own sort for the medians), stored here between steps.
import { ld, st, ld32, ldi, sti } from './memory';

let n: i32 = 0;
let sd: f64 = 0;
let maxLocal: f64 = 0;
let started: bool = false;
let peakCount: i32 = 0;

/** Byte offsets into memory, read by the caller after `init`. */
export let onset: usize = 0; // f32[n]
export let periodAt: usize = 0; // f32[n]
export let kernel: usize = 0; // f64[kernelLength]: the smoothing kernel, by the caller
export let penalty: usize = 0; // f64[maxGaps]: the tempo penalty of each gap searched, by the caller, per stretch of one period
export let peakValues: usize = 0; // f32[n]: the cumulative score at its peaks (for the caller's median)
export let beats: usize = 0; // i32[n]: the beat frames, from `first` on
/** The first beat's index in `beats` after `finish`. */
export let first: i32 = 0;
let local: usize = 0; // f64[n]
let cum: usize = 0; // f64[n]
let back: usize = 0; // i32[n]
let peaks: usize = 0; // i32[n]

/** Lays out the memory for an envelope of `frames` frames (freeing what an earlier call laid out). */
export function beatsInit(frames: i32, kernelLength: i32, maxGaps: i32): void {
  heap.reset();
  n = frames;
  started = false;
  peakCount = 0;
  first = 0;
  const f = <usize>n;
  onset = heap.alloc(f * 4);
  periodAt = heap.alloc(f * 4);
  kernel = heap.alloc(<usize>kernelLength * 8);
  penalty = heap.alloc(<usize>max(1, maxGaps) * 8);
  peakValues = heap.alloc(f * 4);
  beats = heap.alloc(f * 4);
  local = heap.alloc(f * 8);
  cum = heap.alloc(f * 8);
  back = heap.alloc(f * 4);
  peaks = heap.alloc(f * 4);
  memory.fill(back, 0xff, f * 4); // -1: no predecessor
}

/** The onset envelope over its standard deviation, smoothed by the kernel of `2·half + 1` taps. */
export function smooth(half: i32): void {
  let mean: f64 = 0;
  for (let t = 0; t < n; t++) mean += ld32(onset, t);
  mean /= <f64>n;
  let s2: f64 = 0;
  for (let t = 0; t < n; t++) {
    const d = ld32(onset, t) - mean;
    s2 += d * d;
  }
  sd = Math.sqrt(s2 / <f64>n);
  if (sd == 0 || isNaN(sd)) sd = 1;
  for (let t = 0; t < n; t++) {
    let s: f64 = 0;
    for (let k = -half; k <= half; k++) {
      const u = t + k;
      if (u >= 0 && u < n) s += (ld32(onset, u) / sd) * ld(kernel, k + half);
    }
    st(local, t, s);
  }
  maxLocal = 0;
  for (let t = 0; t < n; t++) maxLocal = Math.max(maxLocal, ld(local, t));
}

/** The end of the stretch of frames from `t` whose period is the same (the caller's penalty row holds for it). */
export function sameUntil(t: i32): i32 {
  const p = load<f32>(periodAt + (<usize>t << 2));
  let u = t + 1;
  while (u < n && load<f32>(periodAt + (<usize>u << 2)) == p) u++;
  return u;
}

/** The dynamic programme over frames t0…t1 − 1, searching gaps lo…hi (penalty[gap − lo]). */
export function link(t0: i32, t1: i32, lo: i32, hi: i32): void {
  for (let t = t0; t < t1; t++) {
    let best: f64 = -Infinity;
    let arg: i32 = -1;
    for (let tau = lo; tau <= hi && t - tau >= 0; tau++) {
      const v = ld(cum, t - tau) - ld(penalty, tau - lo);
      if (v > best) {
        best = v;
        arg = t - tau;
      }
    }
    if (arg >= 0 && (started || best > 0.01 * maxLocal)) {
      st(cum, t, ld(local, t) + best);
      sti(back, t, arg);
      started = true;
    } else st(cum, t, ld(local, t));
  }
}

/** The cumulative score's local maxima (their values go to peakValues); returns how many. */
export function findPeaks(): i32 {
  let k = 0;
  for (let t = 1; t < n - 1; t++) {
    if (ld(cum, t) > ld(cum, t - 1) && ld(cum, t) >= ld(cum, t + 1)) {
      sti(peaks, k, t);
      store<f32>(peakValues + (<usize>k << 2), <f32>ld(cum, t));
      k++;
    }
  }
  peakCount = k;
  return k;
}

/**
 * The last beat (the strongest peak within 1.1 periods of the last one well above `med`, the peaks'
 * median), the chain back from it into `beats`, and the trim of weak beats at either end; returns
 * the index after the last beat kept (the first is `first`).
 */
export function finish(med: f64): i32 {
  let lastIdx = peakCount - 1;
  while (lastIdx > 0 && ld(cum, ldi(peaks, lastIdx)) < 0.5 * med) lastIdx--;
  const endT = ldi(peaks, lastIdx);
  let last = endT;
  for (let i = lastIdx; i >= 0 && <f64>ldi(peaks, i) >= <f64>endT - 1.1 * ld32(periodAt, endT); i--) {
    if (ld(cum, ldi(peaks, i)) > ld(cum, last)) last = ldi(peaks, i);
  }
  let count = 0;
  for (let t = last; t >= 0; t = ldi(back, t)) count++;
  let i = count;
  for (let t = last; t >= 0; t = ldi(back, t)) sti(beats, --i, t);
  first = 0;
  if (count < 3) return count;
  let ms: f64 = 0;
  for (let j = 0; j < count; j++) {
    const l = ld(local, ldi(beats, j));
    ms += l * l;
  }
  const thresh = 0.5 * Math.sqrt(ms / <f64>count);
  let a = 0;
  let z = count;
  while (a < z && ld(local, ldi(beats, a)) <= thresh) a++;
  while (z > a && ld(local, ldi(beats, z - 1)) <= thresh) z--;
  first = a;
  return z;
}
