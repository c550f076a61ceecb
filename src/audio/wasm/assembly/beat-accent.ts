// AssemblyScript, not TypeScript: compiled by `npm run build:wasm` (see ../build.ts) as part of
// beat-level.ts. ../../beat-accent.ts's accentEnvelope, operation for operation: each band's
// positive magnitude steps (frame t against t − 2), their 99th percentile (../../stats.ts
// percentile: the order statistic of every `stride`-th step, found by selection rather than a full
// sort, in the order a Float64Array sorts: numbers ascending, −0 before +0, NaN last), then the steps
// over it added into the envelope, rounded to f32 as a Float32Array store rounds.
import { peakAroundF32 } from './memory';

let n: i32 = 0;

/** Byte offsets into memory, read by the caller after `accentInit`. */
export let band: usize = 0; // f32[n]: the band the caller writes before `steps`
export let step: usize = 0; // f32[n]
export let accent: usize = 0; // f32[n]: the envelope
let kept: usize = 0; // f64[n]: the steps the percentile reads

/** Lays out the memory for bands of `frames` frames (freeing what an earlier call laid out). */
export function accentInit(frames: i32): void {
  heap.reset();
  n = frames;
  band = heap.alloc(<usize>n * 4);
  step = heap.alloc(<usize>n * 4);
  accent = heap.alloc(<usize>n * 4);
  kept = heap.alloc(<usize>n * 8);
  memory.fill(step, 0, <usize>n * 4);
  memory.fill(accent, 0, <usize>n * 4);
}

/** The band's positive steps over two frames (the first two stay 0). */
export function steps(): void {
  for (let t = 2; t < n; t++) {
    const d = <f64>load<f32>(band + (<usize>t << 2)) - <f64>load<f32>(band + (<usize>(t - 2) << 2));
    store<f32>(step + (<usize>t << 2), <f32>Math.max(0, d));
  }
}

/** Whether `a` sorts before `b` in a Float64Array's own order. */
@inline function before(a: f64, b: f64): bool {
  if (isNaN(a)) return false;
  if (isNaN(b)) return true;
  if (a < b) return true;
  return a == b && a == 0 && reinterpret<i64>(a) < 0 && reinterpret<i64>(b) >= 0;
}

@inline function at(i: i32): usize {
  return kept + (<usize>i << 3);
}

/** The `k`-th smallest (from 0) of the `m` steps at 0, stride, 2·stride, …: what sorting them would put at k. */
export function stepPercentile(stride: i32, m: i32, k: i32): f64 {
  for (let j = 0; j < m; j++) store<f64>(at(j), <f64>load<f32>(step + ((<usize>j * <usize>stride) << 2)));
  // Hoare's selection (Wirth's form): partition around the middle element until k is pinned.
  let lo = 0;
  let hi = m - 1;
  while (lo < hi) {
    const pivot = load<f64>(at((lo + hi) >> 1));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (before(load<f64>(at(i)), pivot)) i++;
      while (before(pivot, load<f64>(at(j)))) j--;
      if (i <= j) {
        const x = load<f64>(at(i));
        store<f64>(at(i), load<f64>(at(j)));
        store<f64>(at(j), x);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return load<f64>(at(k));
}

/** The steps over `top` added into the envelope. */
export function accumulate(top: f64): void {
  for (let t = 0; t < n; t++) {
    const p = accent + (<usize>t << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) + <f64>load<f32>(step + (<usize>t << 2)) / top));
  }
}

// The bar-repetition reads of ../../metrical-level.ts (threeQuarterLevel), through ../../beat-accent.ts:
// an envelope summed over runs of frames, and its correlation with itself a lag later.
let seriesLength: i32 = 0;
/** Byte offset of the envelope (f32[length]) the caller writes after `seriesInit`. */
export let series: usize = 0;

/** Lays out the memory for an envelope of `length` frames (freeing what an earlier call laid out). */
export function seriesInit(length: i32): void {
  heap.reset();
  seriesLength = length;
  series = heap.alloc(<usize>max(1, length) * 4);
}

/** The envelope summed over runs of `factor` frames (in place; a last partial run is dropped); returns its length. */
export function decimateSeries(factor: i32): i32 {
  const m = seriesLength / factor;
  for (let i = 0; i < m; i++) {
    let s: f64 = 0;
    for (let k = 0; k < factor; k++) s += <f64>load<f32>(series + (<usize>(i * factor + k) << 2));
    store<f32>(series + (<usize>i << 2), <f32>s);
  }
  seriesLength = m;
  return m;
}

/** The envelope's mean (../../stats.ts mean: the f32 values summed in order in f64, over the length). */
export function seriesMean(): f64 {
  let sum: f64 = 0;
  for (let t = 0; t < seriesLength; t++) sum += <f64>load<f32>(series + (<usize>t << 2));
  return seriesLength > 0 ? sum / <f64>seriesLength : 0;
}

/** Correlation of the envelope with itself `lag` frames later (linear between frames), the best within ±2 % of it. */
export function lagCorrelation(lag: f64): f64 {
  const len = seriesLength;
  let sum: f64 = 0;
  for (let t = 0; t < len; t++) sum += <f64>load<f32>(series + (<usize>t << 2));
  const m = len > 0 ? sum / <f64>len : 0;
  let best: f64 = -1;
  for (let j = 0; j < 5; j++) {
    const l = lag * (j == 0 ? 0.98 : j == 1 ? 0.99 : j == 2 ? 1 : j == 3 ? 1.01 : 1.02);
    const fl = Math.floor(l);
    // Before the envelope's start JavaScript reads no number (the sums are NaN) and past its end no
    // frame is read: either way the lag changes nothing.
    if (!(fl >= 0 && fl < <f64>len)) continue;
    const l0 = <i32>fl;
    const fr = l - fl;
    let s: f64 = 0;
    let a2: f64 = 0;
    let b2: f64 = 0;
    for (let t = 0; t + l0 + 1 < len; t++) {
      const a = <f64>load<f32>(series + (<usize>t << 2)) - m;
      const b = (1 - fr) * (<f64>load<f32>(series + (<usize>(t + l0) << 2)) - m) + fr * (<f64>load<f32>(series + (<usize>(t + l0 + 1) << 2)) - m);
      s += a * b;
      a2 += a * a;
      b2 += b * b;
    }
    if (a2 > 0 && b2 > 0) best = Math.max(best, s / Math.sqrt(a2 * b2));
  }
  return best;
}

// Grid reads of an envelope (../../beat-accent.ts meanPeak; ../../beat-phase.ts's row change).
let envLength: i32 = 0;
let pointCount: i32 = 0;
/** Byte offsets of the envelope (f32[length]) and the grid (f64[points]) the caller writes after `gridInit`. */
export let gridEnv: usize = 0;
export let gridPoints: usize = 0;

/** Lays out the memory for an envelope of `length` frames and a grid of `points` (freeing what an earlier call laid out). */
export function gridInit(length: i32, points: i32): void {
  heap.reset();
  envLength = length;
  pointCount = points;
  gridEnv = heap.alloc(<usize>max(1, length) * 4);
  gridPoints = heap.alloc(<usize>max(1, points) * 8);
}

/** ../../stats.ts peakAround on the grid's envelope. */
@inline function peakAround(f: f64, radius: i32): f64 {
  return peakAroundF32(gridEnv, envLength, f, radius);
}

/** The mean of peakAround(envelope, point, `radius`) over the grid's points (0 for none). */
export function meanPeak(radius: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < pointCount; i++) s += peakAround(load<f64>(gridPoints + (<usize>i << 3)), radius);
  return pointCount > 0 ? s / <f64>pointCount : 0;
}

let rowDim: i32 = 0;
let rowDims: i32 = 0;
let rowFrames: f64 = 0;
let meanBefore: usize = 0; // f64[dims]
let meanAfter: usize = 0; // f64[dims]

/** Room beside the grid for the row change's two means (`dims` wide); the rows are the envelope, `dim` per row, one every `frames` frames. */
export function rowsInit(dim: i32, dims: i32, frames: f64): void {
  rowDim = dim;
  rowDims = dims;
  rowFrames = frames;
  meanBefore = heap.alloc(<usize>max(1, dims) * 8);
  meanAfter = heap.alloc(<usize>max(1, dims) * 8);
}

/** The sum-normalised mean of the first `rowDims` of the rows over frames f0 … f1 (../../beat-phase.ts RowChange fill). */
function fillMean(v: usize, f0: f64, f1: f64): void {
  memory.fill(v, 0, <usize>rowDims * 8);
  const rows = <f64>(envLength / rowDim);
  const a = Math.max(0, Math.floor(f0 / rowFrames));
  const b = Math.min(rows, Math.floor(f1 / rowFrames));
  // Bounds that are not numbers read no rows, as in JavaScript.
  if (a < b) {
    for (let r = <i32>a; <f64>r < b; r++) {
      for (let d = 0; d < rowDims; d++) {
        const p = v + (<usize>d << 3);
        store<f64>(p, load<f64>(p) + <f64>load<f32>(gridEnv + (<usize>(r * rowDim + d) << 2)));
      }
    }
  }
  let s: f64 = 0;
  for (let d = 0; d < rowDims; d++) s += load<f64>(v + (<usize>d << 3));
  if (s > 0) for (let d = 0; d < rowDims; d++) store<f64>(v + (<usize>d << 3), load<f64>(v + (<usize>d << 3)) / s);
}

/** ../../beat-phase.ts RowChange across: the RMS difference of the half beat before and after each point, averaged over the grid. */
export function rowChangeAcross(): f64 {
  let total: f64 = 0;
  const n = pointCount;
  for (let i = 0; i < n; i++) {
    const g = load<f64>(gridPoints + (<usize>i << 3));
    // A lone point has no neighbour: JavaScript reads no number there.
    const half = 0.5 * (i + 1 < n ? load<f64>(gridPoints + (<usize>(i + 1) << 3)) - g : i > 0 ? g - load<f64>(gridPoints + (<usize>(i - 1) << 3)) : NaN);
    fillMean(meanBefore, g - half, g);
    fillMean(meanAfter, g, g + half);
    let s: f64 = 0;
    for (let d = 0; d < rowDims; d++) {
      const x = load<f64>(meanBefore + (<usize>d << 3)) - load<f64>(meanAfter + (<usize>d << 3));
      s += x * x;
    }
    total += Math.sqrt(s / <f64>rowDims);
  }
  return n > 0 ? total / <f64>n : 0;
}
