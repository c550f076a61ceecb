// AssemblyScript, not TypeScript: compiled by `npm run build:wasm` (see ../build.ts) as part of beat-level.ts.
// The loops of ../../beat-activation.ts, operation for operation: the net's channels (row changes of
// the bass spectrum and the chroma, each log-mel band's rise, every channel over its mean), each grid
// point's onset peaks at quarter-beat steps, and the hidden layer's weighted sums. The logs of the
// features are this module's (see `logs`); the tanh of the sums is the caller's (Math.tanh).
import { peakAroundF32 } from './memory';

let n: i32 = 0;
let count: i32 = 0;
let inputs: i32 = 0;
let hidden: i32 = 0;
let capacity: i32 = 0;

/** Byte offsets into memory, read by the caller after `init` (and `points`). */
export let channels: usize = 0; // f32[count * n]: the raw channels (some written by the caller), then normalised in place
export let spectrum: usize = 0; // f32[spectrumLength]
export let chroma: usize = 0; // f32[chromaLength]
export let w1: usize = 0; // f32[hidden * inputs]
export let b1: usize = 0; // f32[hidden]
export let grid: usize = 0; // f64[points]
export let features: usize = 0; // f32[points * inputs]: the peaks, then their logs (by the caller)
export let sums: usize = 0; // f64[points * hidden]

/** Lays out the memory for `channelCount` channels of `frames` frames (freeing what an earlier call laid out). */
export function activationInit(frames: i32, channelCount: i32, spectrumLength: i32, chromaLength: i32): void {
  heap.reset();
  n = frames;
  count = channelCount;
  capacity = 0;
  inputs = 0;
  hidden = 0;
  channels = heap.alloc(<usize>count * <usize>n * 4);
  memory.fill(channels, 0, <usize>count * <usize>n * 4);
  spectrum = heap.alloc(<usize>max(1, spectrumLength) * 4);
  chroma = heap.alloc(<usize>max(1, chromaLength) * 4);
}

@inline function channel(c: i32): usize {
  return channels + ((<usize>c * <usize>n) << 2);
}

/** Held over a row's frames: frames r·frames − frames/2 … that + frames − 1, within the envelope. */
@inline function hold(out: usize, r: i32, frames: i32, v: f32): void {
  let f = r * frames - (frames >> 1);
  for (let k = 0; k < frames; k++, f++) if (f >= 0 && f < n) store<f32>(out + (<usize>f << 2), v);
}

/**
 * Channel `c`: how much the first `dims` of each `dim`-wide row of the spectrum (`which` 0) or the
 * chroma (1) change from the row before (summed absolute differences), held over the row's frames.
 */
export function rowChange(c: i32, which: i32, length: i32, dim: i32, dims: i32, frames: i32): void {
  const data = which == 0 ? spectrum : chroma;
  const out = channel(c);
  const rows = length / dim;
  for (let r = 1; r < rows; r++) {
    let s: f64 = 0;
    for (let d = 0; d < dims; d++) {
      s += Math.abs(<f64>load<f32>(data + (<usize>(r * dim + d) << 2)) - <f64>load<f32>(data + (<usize>((r - 1) * dim + d) << 2)));
    }
    hold(out, r, frames, <f32>s);
  }
}

/** Channel `c`: spectrum band `b`'s rise from the row before (0 when it falls), held over the row's frames. */
export function rise(c: i32, b: i32, length: i32, dim: i32, frames: i32): void {
  const out = channel(c);
  const rows = length / dim;
  for (let r = 1; r < rows; r++) {
    const d = <f64>load<f32>(spectrum + (<usize>(r * dim + b) << 2)) - <f64>load<f32>(spectrum + (<usize>((r - 1) * dim + b) << 2));
    hold(out, r, frames, <f32>Math.max(0, d));
  }
}

/** Every channel over its own mean (over 1 where the mean is 0 or not a number). */
export function normalise(): void {
  for (let c = 0; c < count; c++) {
    const at = channel(c);
    let s: f64 = 0;
    for (let i = 0; i < n; i++) s += <f64>load<f32>(at + (<usize>i << 2));
    let m = n > 0 ? s / <f64>n : 0;
    if (m == 0 || isNaN(m)) m = 1;
    for (let i = 0; i < n; i++) {
      const p = at + (<usize>i << 2);
      store<f32>(p, <f32>(<f64>load<f32>(p) / m));
    }
  }
}

/** Room for the net's weights (`inputsIn` inputs, `hiddenIn` hidden units), written by the caller. */
export function net(inputsIn: i32, hiddenIn: i32): void {
  inputs = inputsIn;
  hidden = hiddenIn;
  w1 = heap.alloc(<usize>hidden * <usize>inputs * 4);
  b1 = heap.alloc(<usize>hidden * 4);
  hiddenPadded = (hidden + BLOCK - 1) & ~(BLOCK - 1);
  w1t = heap.alloc(<usize>inputs * <usize>hiddenPadded * 8);
  b1p = heap.alloc(<usize>hiddenPadded * 8);
  block = heap.alloc(<usize>BLOCK * 8);
}

/** Hidden units summed side by side: four f64x2 lanes pairs. */
const BLOCK: i32 = 8;
let hiddenPadded: i32 = 0;
let w1t: usize = 0; // f64[inputs * hiddenPadded]: each input's weights into every hidden unit side by side (0 past `hidden`)
let b1p: usize = 0; // f64[hiddenPadded]
let block: usize = 0; // f64[BLOCK]: the last block's sums

/** The weights (written by the caller into w1 and b1) laid out for `hiddenSums`. */
export function layOut(): void {
  memory.fill(w1t, 0, <usize>inputs * <usize>hiddenPadded * 8);
  memory.fill(b1p, 0, <usize>hiddenPadded * 8);
  for (let h = 0; h < hidden; h++) {
    store<f64>(b1p + (<usize>h << 3), <f64>load<f32>(b1 + (<usize>h << 2)));
    for (let k = 0; k < inputs; k++) {
      store<f64>(w1t + ((<usize>k * <usize>hiddenPadded + <usize>h) << 3), <f64>load<f32>(w1 + ((<usize>h * <usize>inputs + <usize>k) << 2)));
    }
  }
}

/** Room for a grid of `points` points (kept for smaller grids). */
export function points(count: i32): void {
  if (count <= capacity) return;
  capacity = count;
  grid = heap.alloc(<usize>count * 8);
  features = heap.alloc(<usize>count * <usize>inputs * 4);
  sums = heap.alloc(<usize>count * <usize>hidden * 8);
}

/** Largest value of the channel at `at` within ±`radius` frames of frame `f` (rounded), 0 outside it (stats.ts peakAround). */
@inline function peakAround(at: usize, f: f64, radius: i32): f64 {
  return peakAroundF32(at, n, f, radius);
}

/**
 * Each of the grid's `m` points' features: every channel's peak (±2 frames) at quarter-beat steps
 * over ±`context` beats of the point's period (to the next point; the last point's to the one before).
 */
export function gather(m: i32, context: i32): void {
  for (let i = 0; i < m; i++) {
    const p = load<f64>(grid + (<usize>i << 3));
    const period = i + 1 < m ? load<f64>(grid + (<usize>(i + 1) << 3)) - p : p - load<f64>(grid + (<usize>(i - 1) << 3));
    let j = <usize>i * <usize>inputs;
    for (let c = 0; c < count; c++) {
      const at = channel(c);
      for (let k = -4 * context; k <= 4 * context; k++) {
        const s = <f64>k / 4;
        store<f32>(features + (j++ << 2), <f32>peakAround(at, p + s * period, 2));
      }
    }
  }
}

/** Features below this count no lower (../../beat-activation.ts FLOOR). */
const FLOOR: f64 = 0.05;

/**
 * The log of each of the first `count` features (the floor below FLOOR), rounded to f32. This log is
 * AssemblyScript's, not V8's, but rounded to f32 the two agree on every input there can be: checked on
 * every f32 from 0.05 up to +Infinity (1.11 G values, node 20's V8) and on the double 0.05 itself
 * (beat-activation.test.ts sweeps every 256th of them).
 */
export function logs(count: i32): void {
  for (let i = 0; i < count; i++) {
    const p = features + (<usize>i << 2);
    store<f32>(p, <f32>Math.log(Math.max(FLOOR, <f64>load<f32>(p))));
  }
}

/**
 * Each point's hidden sums b1 + w1·x, in f64, each in the order the JavaScript added it: eight hidden
 * units at a time, two per f64x2 (a lane's multiply and add are the scalar ones, no fused step).
 */
export function hiddenSums(m: i32): void {
  const stride = <usize>hiddenPadded << 3;
  for (let i = 0; i < m; i++) {
    const x = features + ((<usize>i * <usize>inputs) << 2);
    const out = sums + ((<usize>i * <usize>hidden) << 3);
    for (let hb = 0; hb < hidden; hb += BLOCK) {
      const b = b1p + (<usize>hb << 3);
      let a0 = v128.load(b);
      let a1 = v128.load(b, 16);
      let a2 = v128.load(b, 32);
      let a3 = v128.load(b, 48);
      let w = w1t + (<usize>hb << 3);
      for (let k = 0; k < inputs; k++) {
        const xs = f64x2.splat(<f64>load<f32>(x + (<usize>k << 2)));
        a0 = f64x2.add(a0, f64x2.mul(v128.load(w), xs));
        a1 = f64x2.add(a1, f64x2.mul(v128.load(w, 16), xs));
        a2 = f64x2.add(a2, f64x2.mul(v128.load(w, 32), xs));
        a3 = f64x2.add(a3, f64x2.mul(v128.load(w, 48), xs));
        w += stride;
      }
      v128.store(block, a0);
      v128.store(block, a1, 16);
      v128.store(block, a2, 32);
      v128.store(block, a3, 48);
      const count = min(BLOCK, hidden - hb);
      memory.copy(out + (<usize>hb << 3), block, <usize>count << 3);
    }
  }
}
