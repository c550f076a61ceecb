// AssemblyScript, not TypeScript: compiled by `npm run build:wasm` (see ../build.ts).
// The per-frame work of vad-held-notes.ts's HeldNoteRemover (its step, track and gains), operation
// for operation; the constants that need Math.cos come from the caller. Read vad-held-notes.ts for
// what it does and why. One instance per remover: this module's memory is that remover's state.
import {
  init as initFft,
  windowedForward,
  inverseAdd,
  frame32,
  frame64,
  specRe,
  specIm,
  end as fftEnd,
} from './fft';
import { replaceSorted } from './sorted';
// The caller fills the FFT's tables and window.
export { rev, cosH, sinH, cosN, sinN, frame32, window } from './fft';

/** Frames in the median (0.2 s), and the middle one. */
const SPAN: i32 = 13;
const MID: i32 = SPAN >> 1;
/** Least gain. */
const FLOOR: f64 = 0.1;

let n: i32 = 0;
let hop: i32 = 0;
let bins: i32 = 0;
/** cos² of 0.3 and 0.1 rad (computed by the caller with Math.cos). */
let steadyFrom: f64 = 0;
let steadyAt: f64 = 0;
let frames: i32 = 0;
/** SPAN spectra, powers and steadiness rows of `bins` f64 each; per bin its SPAN powers sorted (bin k at k·SPAN). */
let reRing: usize = 0;
let imRing: usize = 0;
let powerRing: usize = 0;
let steadyRing: usize = 0;
let sorted: usize = 0;
/** Samples of the next frame already in frame32. */
export let fill: i32 = 0;
/** Samples in (f32, STAGE) and cleaned samples out (f32, STAGE + N) of one `push`. */
export const STAGE: i32 = 8192;
export let staging: usize = 0;
export let cleaned: usize = 0;

@inline function row(ring: usize, slot: i32): usize {
  return ring + (<usize>(slot * bins) << 3);
}

@inline function ld(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

@inline function st(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

/** Lays out an `size`-point remover (after the FFT's memory), growing memory as needed. */
export function init(size: i32, odd: bool, from: f64, at: f64): void {
  initFft(size, odd);
  n = size;
  hop = size >> 1;
  bins = (size >> 1) + 1;
  steadyFrom = from;
  steadyAt = at;
  const ringBytes = <usize>(SPAN * bins) << 3;
  let p = fftEnd;
  reRing = p;
  p += ringBytes;
  imRing = p;
  p += ringBytes;
  powerRing = p;
  p += ringBytes;
  steadyRing = p;
  p += ringBytes;
  sorted = p;
  p += ringBytes;
  staging = p;
  p += <usize>STAGE << 2;
  cleaned = p;
  p += <usize>(STAGE + size) << 2;
  fill = size - hop;
  const pages = <i32>((p + 0xffff) >> 16);
  const have = memory.size();
  if (pages > have) memory.grow(pages - have);
}

/**
 * The `count` (≤ STAGE) samples in `staging` in; for every frame they complete, the frame MID
 * frames back is cleaned and overlap-added and `hop` samples are written to `cleaned` (as f32, the
 * rounding a Float32Array store does). Returns how many were written.
 */
export function push(count: i32): i32 {
  let len = 0;
  let off = 0;
  while (off < count) {
    const k = min<i32>(n - fill, count - off);
    memory.copy(frame32 + (<usize>fill << 2), staging + (<usize>off << 2), <usize>k << 2);
    fill += k;
    off += k;
    if (fill == n) {
      if (step(cleaned + (<usize>len << 2))) len += hop;
      memory.copy(frame32, frame32 + (<usize>hop << 2), <usize>(n - hop) << 2);
      fill = n - hop;
    }
  }
  return len;
}

/** One new frame (frame32) in; `hop` cleaned samples to `at`, or false while they would lie before the start. */
function step(at: usize): bool {
  const slot = frames % SPAN;
  windowedForward();
  memory.copy(row(reRing, slot), specRe, <usize>bins << 3);
  memory.copy(row(imRing, slot), specIm, <usize>bins << 3);
  track(slot);
  frames++;
  if (frames <= MID) return false;
  const c = (frames - 1 - MID) % SPAN;
  gains(c);
  // frame64 is the overlap-add accumulator (nothing else writes it here).
  inverseAdd();
  for (let i = 0; i < hop; i++) store<f32>(at + (<usize>i << 2), <f32>ld(frame64, i));
  const hopBytes = <usize>hop << 3;
  memory.copy(frame64, frame64 + hopBytes, <usize>(n - hop) << 3);
  memory.fill(frame64 + (<usize>(n - hop) << 3), 0, hopBytes);
  return true;
}

/** Frame `slot` into the sorted per-bin windows, and the steadiness of the partials centred on the frame before it. */
function track(slot: i32): void {
  const re = row(reRing, slot);
  const im = row(imRing, slot);
  const pw = row(powerRing, slot);
  const s = row(steadyRing, (frames + SPAN - 1) % SPAN);
  const bRe = row(reRing, (frames + SPAN - 1) % SPAN);
  const bIm = row(imRing, (frames + SPAN - 1) % SPAN);
  const aRe = row(reRing, (frames + SPAN - 2) % SPAN);
  const aIm = row(imRing, (frames + SPAN - 2) % SPAN);
  for (let k = 0; k < bins; k++) {
    const r = ld(re, k);
    const i = ld(im, k);
    const raw = r * r + i * i;
    const p = raw < Infinity ? raw : 0;
    replaceSorted(sorted + (<usize>(k * SPAN) << 3), SPAN, ld(pw, k), p);
    st(pw, k, p);
    const br = ld(bRe, k);
    const bi = ld(bIm, k);
    const sqR = br * br - bi * bi;
    const sqI = -2 * br * bi;
    const qR = r * ld(aRe, k) - i * ld(aIm, k);
    const qI = r * ld(aIm, k) + i * ld(aRe, k);
    const wR = qR * sqR - qI * sqI;
    const wI = qR * sqI + qI * sqR;
    st(s, k, wR > 0 ? (wR * wR) / (wR * wR + wI * wI) : 0);
  }
}

/** The cleaned spectrum of frame `c` into specRe/specIm: Wiener-style gain over the median, steady partials cut. */
function gains(c: i32): void {
  const cRe = row(reRing, c);
  const cIm = row(imRing, c);
  const cPw = row(powerRing, c);
  const s0 = row(steadyRing, c);
  const s1 = row(steadyRing, (c + 1) % SPAN);
  for (let k = 0; k < bins; k++) {
    const held = ld(sorted, k * SPAN + MID);
    // f64.max/min are Math.max/min for two numbers, NaN and ±0 included.
    const moving = max<f64>(0, ld(cPw, k) - held);
    const m2 = moving * moving;
    let g = max<f64>(FLOOR, sqrt<f64>(m2 / (m2 + held * held + 1e-30)));
    const steadiness = min<f64>(ld(s0, k), ld(s1, k));
    if (steadiness > steadyFrom) g = min<f64>(g, max<f64>(FLOOR, (steadyAt - steadiness) / (steadyAt - steadyFrom)));
    st(specRe, k, ld(cRe, k) * g);
    st(specIm, k, ld(cIm, k) * g);
  }
}
