// AssemblyScript, not TypeScript: compiled to WebAssembly by `npm run build:wasm` (see ../build.ts).
// The numeric core of ../../tempo.ts (estimateTempo), operation for operation, so its results are bit
// for bit what the JavaScript gave: the windows' mean-removed, tapered segments, the power spectrum
// between the two FFTs (the FFTs stay in ../../fft.ts), the normalised autocorrelation and its comb
// salience, the Viterbi through the windows and the per-frame period. Everything transcendental
// (the taper, the prior, the logs) is computed by the caller with JavaScript's Math and stored here.
import { ld, st, ld32 } from './memory';

let n: i32 = 0;
let win: i32 = 0;
let hop: i32 = 0;
let nTau: i32 = 0;
let fftSize: i32 = 0;
let nWin: i32 = 0;
let nEnv: i32 = 0;
let minLag: f64 = 0;
let lagStep: f64 = 0;

/** Byte offsets into memory, read by the caller after `init`. */
export let env: usize = 0; // f32[nEnv * n]: the onset envelopes, one after the other
export let hann: usize = 0; // f64[win]
export let winAc: usize = 0; // f64[fftSize/2 + 1]
export let seg: usize = 0; // f64[fftSize]: a window's segment, then its power spectrum (both into an FFT)
export let re: usize = 0; // f64[fftSize/2 + 1]: an FFT's output
export let im: usize = 0; // f64[fftSize/2 + 1]
export let ac: usize = 0; // f64[fftSize/2 + 1]
export let sal: usize = 0; // f32[nTau]: the window's salience
export let global: usize = 0; // f64[nTau]: summed over the windows
export let logLag: usize = 0; // f64[nTau]
export let logSal: usize = 0; // f64[nTau]: log(1e-3 + sal), by the caller
export let logPrior: usize = 0; // f64[nTau]
export let score: usize = 0; // f64[nTau]
let next: usize = 0; // f64[nTau]
let back: usize = 0; // i32[nWin * nTau]
let path: usize = 0; // f64[nWin]
export let periodAt: usize = 0; // f32[n]

@inline function lagOf(j: i32): f64 {
  return minLag + <f64>j * lagStep;
}

/** Lays out the memory for `envs` envelopes of `frames` frames (freeing what an earlier call laid out). */
export function init(frames: i32, envs: i32, winIn: i32, hopIn: i32, nTauIn: i32, fftSizeIn: i32, nWinIn: i32, minLagIn: f64, lagStepIn: f64): void {
  heap.reset();
  n = frames; nEnv = envs; win = winIn; hop = hopIn; nTau = nTauIn; fftSize = fftSizeIn; nWin = nWinIn; minLag = minLagIn; lagStep = lagStepIn;
  const half = <usize>(fftSize / 2 + 1);
  env = heap.alloc(<usize>nEnv * <usize>n * 4);
  hann = heap.alloc(<usize>win * 8);
  winAc = heap.alloc(half * 8);
  seg = heap.alloc(<usize>fftSize * 8);
  re = heap.alloc(half * 8);
  im = heap.alloc(half * 8);
  ac = heap.alloc(half * 8);
  sal = heap.alloc(<usize>nTau * 4);
  global = heap.alloc(<usize>nTau * 8);
  logLag = heap.alloc(<usize>nTau * 8);
  logSal = heap.alloc(<usize>nTau * 8);
  logPrior = heap.alloc(<usize>nTau * 8);
  score = heap.alloc(<usize>nTau * 8);
  next = heap.alloc(<usize>nTau * 8);
  back = heap.alloc(<usize>nWin * <usize>nTau * 4);
  path = heap.alloc(<usize>nWin * 8);
  periodAt = heap.alloc(<usize>n * 4);
  memory.fill(winAc, 0, half * 8);
  memory.fill(global, 0, <usize>nTau * 8);
}

/** The taper's own autocorrelation (hann must be filled). */
export function taperAutocorrelation(): void {
  const len = fftSize / 2 + 1;
  for (let l = 0; l < win && l < len; l++) {
    let s: f64 = 0;
    for (let i = 0; i + l < win; i++) s += ld(hann, i) * ld(hann, i + l);
    st(winAc, l, s);
  }
}

/** Envelope `e`'s segment for window `w`, mean removed and tapered, into seg (zero-padded). */
export function segment(e: i32, w: i32): void {
  const start = w * hop + (hop >> 1) - (win >> 1);
  const base = env + (<usize>e * <usize>n << 2);
  let mean: f64 = 0;
  let count = 0;
  for (let i = 0; i < win; i++) {
    const t = start + i;
    if (t >= 0 && t < n) {
      mean += ld32(base, t);
      count++;
    }
  }
  mean = count ? mean / <f64>count : 0;
  memory.fill(seg, 0, <usize>fftSize * 8);
  for (let i = 0; i < win; i++) {
    const t = start + i;
    if (t >= 0 && t < n) st(seg, i, (ld32(base, t) - mean) * ld(hann, i));
  }
}

/** The power spectrum of re/im, mirrored, into seg. */
export function power(): void {
  const half = fftSize / 2;
  for (let k = 0; k <= half; k++) {
    const r = ld(re, k);
    const q = ld(im, k);
    const p = r * r + q * q;
    st(seg, k, p);
    if (k > 0 && k < half) st(seg, fftSize - k, p);
  }
}

@inline function interp(x: f64, len: i32): f64 {
  const i = Math.floor(x);
  if (i + 1 >= <f64>len) return 0;
  const f = x - i;
  const k = <i32>i;
  return ld(ac, k) * (1 - f) + ld(ac, k + 1) * f;
}

/**
 * From re (the power spectrum's FFT: the autocorrelation), the comb salience of every lag added to
 * sal; false when the segment is silent (nothing added).
 */
export function combSalience(maxUsableLag: i32, teeth: i32): bool {
  const ac0 = ld(re, 0);
  if (ac0 <= 1e-12) return false;
  const half = fftSize / 2;
  const w0 = ld(winAc, 0);
  for (let k = 0; k <= half; k++) st(ac, k, k < maxUsableLag ? (ld(re, k) / ac0) * (w0 / ld(winAc, k)) : 0);
  const len = half + 1;
  for (let j = 0; j < nTau; j++) {
    const tau = lagOf(j);
    let s: f64 = 0;
    // Comb over multiples: a true beat period also repeats at 2τ, 3τ, 4τ.
    for (let k = 1; k <= teeth; k++) s += interp(<f64>k * tau, len);
    const p = sal + (<usize>j << 2);
    store<f32>(p, <f32>(<f64>load<f32>(p) + Math.max(0, s / <f64>teeth) / <f64>nEnv));
  }
  return true;
}

/** A new window: sal cleared. */
export function clearSalience(): void {
  memory.fill(sal, 0, <usize>nTau * 4);
}

/** The window's salience added to the global one. */
export function addGlobal(): void {
  for (let j = 0; j < nTau; j++) st(global, j, ld(global, j) + ld32(sal, j));
}

/** Window `w` of the Viterbi (logSal filled): score → next, back row w; then score = next. */
export function step(w: i32, maxStep: f64, penalty: f64, jumpCost: f64): void {
  let jumpFrom = 0;
  for (let i = 0; i < nTau; i++) if (ld(score, i) > ld(score, jumpFrom)) jumpFrom = i;
  const row = back + ((<usize>w * <usize>nTau) << 2);
  for (let j = 0; j < nTau; j++) {
    const tau = lagOf(j);
    const lt = ld(logLag, j);
    const span = <i32>Math.ceil((tau * maxStep) / lagStep);
    const lo = max(0, j - span);
    const hi = min(nTau - 1, j + span);
    let best = -Infinity;
    let arg = j;
    for (let i = lo; i <= hi; i++) {
      const v = ld(score, i) - penalty * Math.abs(ld(logLag, i) - lt);
      if (v > best) {
        best = v;
        arg = i;
      }
    }
    if (ld(score, jumpFrom) - jumpCost > best) {
      best = ld(score, jumpFrom) - jumpCost;
      arg = jumpFrom;
    }
    st(next, j, best + ld(logSal, j) + ld(logPrior, j));
    store<i32>(row + (<usize>j << 2), arg);
  }
  memory.copy(score, next, <usize>nTau << 3);
}

/** The best path back from the last window, then the period at every frame (periodAt). */
export function trace(): void {
  let j = 0;
  for (let i = 0; i < nTau; i++) if (ld(score, i) > ld(score, j)) j = i;
  for (let w = nWin - 1; w >= 0; w--) {
    st(path, w, lagOf(j));
    if (w > 0) j = load<i32>(back + ((<usize>w * <usize>nTau + <usize>j) << 2));
  }
  for (let t = 0; t < n; t++) {
    const x = <f64>(t - (hop >> 1)) / <f64>hop;
    const w0 = <i32>Math.max(0, Math.min(<f64>(nWin - 1), Math.floor(x)));
    const w1 = min(nWin - 1, w0 + 1);
    const f = Math.max(0, Math.min(1, x - <f64>w0));
    store<f32>(periodAt + (<usize>t << 2), <f32>(ld(path, w0) * (1 - f) + ld(path, w1) * f));
  }
}
