// AssemblyScript, not TypeScript: compiled by `npm run build:wasm` (see ../build.ts).
// The per-frame work of vad-held-notes.ts's HeldNoteRemover (its step, track and gains), operation
// for operation; the constants that need Math.cos come from the caller. Read vad-held-notes.ts for
// what it does and why. One instance per remover: this module's memory is that remover's state.
import { ld, st, reserve } from './memory';
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
/** SPAN spectra, powers and steadiness rows of `bins` f64 each; the held level (the median power) of each bin. */
let reRing: usize = 0;
let imRing: usize = 0;
let powerRing: usize = 0;
let steadyRing: usize = 0;
let held: usize = 0;
/** Samples of the next frame already in frame32. */
export let fill: i32 = 0;
/** Samples in (f32, STAGE) and cleaned samples out (f32, STAGE + N) of one `push`. */
export const STAGE: i32 = 8192;
export let staging: usize = 0;
export let cleaned: usize = 0;

@inline function row(ring: usize, slot: i32): usize {
  return ring + (<usize>(slot * bins) << 3);
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
  held = p;
  p += (<usize>bins << 3) + 16;
  staging = p;
  p += <usize>STAGE << 2;
  cleaned = p;
  p += <usize>(STAGE + size) << 2;
  fill = size - hop;
  reserve(p);
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

/** Frame `slot`'s powers into the ring, and the steadiness of the partials centred on the frame before it. */
function track(slot: i32): void {
  const re = row(reRing, slot);
  const im = row(imRing, slot);
  const pw = row(powerRing, slot);
  const s = row(steadyRing, (frames + SPAN - 1) % SPAN);
  const bRe = row(reRing, (frames + SPAN - 1) % SPAN);
  const bIm = row(imRing, (frames + SPAN - 1) % SPAN);
  const aRe = row(reRing, (frames + SPAN - 2) % SPAN);
  const aIm = row(imRing, (frames + SPAN - 2) % SPAN);
  // Two bins at a time (f64x2), each lane the scalar loop's operations in its order (WebAssembly
  // fuses no multiply-add, scalar or vector): the same bits. A choice is made by a lane mask.
  const zero = f64x2.splat(0);
  const inf = f64x2.splat(Infinity);
  const minus2 = f64x2.splat(-2);
  let k = 0;
  for (; k + 1 < bins; k += 2) {
    const o = <usize>k << 3;
    const r = v128.load(re + o);
    const i = v128.load(im + o);
    const raw = f64x2.add(f64x2.mul(r, r), f64x2.mul(i, i));
    v128.store(pw + o, v128.bitselect(raw, zero, f64x2.lt(raw, inf)));
    const br = v128.load(bRe + o);
    const bi = v128.load(bIm + o);
    const ar = v128.load(aRe + o);
    const ai = v128.load(aIm + o);
    const sqR = f64x2.sub(f64x2.mul(br, br), f64x2.mul(bi, bi));
    const sqI = f64x2.mul(f64x2.mul(minus2, br), bi);
    const qR = f64x2.sub(f64x2.mul(r, ar), f64x2.mul(i, ai));
    const qI = f64x2.add(f64x2.mul(r, ai), f64x2.mul(i, ar));
    const wR = f64x2.sub(f64x2.mul(qR, sqR), f64x2.mul(qI, sqI));
    const wI = f64x2.add(f64x2.mul(qR, sqI), f64x2.mul(qI, sqR));
    const w2 = f64x2.mul(wR, wR);
    const steady = f64x2.div(w2, f64x2.add(w2, f64x2.mul(wI, wI)));
    v128.store(s + o, v128.bitselect(steady, zero, f64x2.gt(wR, zero)));
  }
  for (; k < bins; k++) {
    const r = ld(re, k);
    const i = ld(im, k);
    const raw = r * r + i * i;
    const p = raw < Infinity ? raw : 0;
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
  heldLevels();
  // Two bins at a time, as track.
  const zero = f64x2.splat(0);
  const floor = f64x2.splat(FLOOR);
  const tiny = f64x2.splat(1e-30);
  const from = f64x2.splat(steadyFrom);
  const at = f64x2.splat(steadyAt);
  const span = f64x2.splat(steadyAt - steadyFrom);
  let k = 0;
  for (; k + 1 < bins; k += 2) {
    const o = <usize>k << 3;
    const level = v128.load(held + o);
    const moving = f64x2.max(zero, f64x2.sub(v128.load(cPw + o), level));
    const m2 = f64x2.mul(moving, moving);
    const g = f64x2.max(floor, f64x2.sqrt(f64x2.div(m2, f64x2.add(f64x2.add(m2, f64x2.mul(level, level)), tiny))));
    const steadiness = f64x2.min(v128.load(s0 + o), v128.load(s1 + o));
    const cut = f64x2.min(g, f64x2.max(floor, f64x2.div(f64x2.sub(at, steadiness), span)));
    const gain = v128.bitselect(cut, g, f64x2.gt(steadiness, from));
    v128.store(specRe + o, f64x2.mul(v128.load(cRe + o), gain));
    v128.store(specIm + o, f64x2.mul(v128.load(cIm + o), gain));
  }
  for (; k < bins; k++) {
    const level = ld(held, k);
    // f64.max/min are Math.max/min for two numbers, NaN and ±0 included.
    const moving = max<f64>(0, ld(cPw, k) - level);
    const m2 = moving * moving;
    let g = max<f64>(FLOOR, sqrt<f64>(m2 / (m2 + level * level + 1e-30)));
    const steadiness = min<f64>(ld(s0, k), ld(s1, k));
    if (steadiness > steadyFrom) g = min<f64>(g, max<f64>(FLOOR, (steadyAt - steadiness) / (steadyAt - steadyFrom)));
    st(specRe, k, ld(cRe, k) * g);
    st(specIm, k, ld(cIm, k) * g);
  }
}

/**
 * The median of each bin's SPAN powers in the ring (the frames around the one gains cleans) into
 * `held`. A selection network: Batcher's odd–even merge sort of 16 wires, the three past SPAN
 * dropped (as if +∞) and every comparator the middle output does not depend on removed (39
 * comparators, 66 min/max), checked on all 2^13 inputs of 0s and 1s (enough for a comparator
 * network). min/max pick one of their operands, and the powers hold neither NaN nor −0, so the
 * median is the very value the sorted windows of the JavaScript version held at MID. Two bins
 * at a time (f64x2): each ring row holds a frame's bins side by side. Branch-free: the sorted
 * windows' insertions cost ≈ 40 % of the remover's time.
 */
function heldLevels(): void {
  const r0 = row(powerRing, 0);
  const r1 = row(powerRing, 1);
  const r2 = row(powerRing, 2);
  const r3 = row(powerRing, 3);
  const r4 = row(powerRing, 4);
  const r5 = row(powerRing, 5);
  const r6 = row(powerRing, 6);
  const r7 = row(powerRing, 7);
  const r8 = row(powerRing, 8);
  const r9 = row(powerRing, 9);
  const r10 = row(powerRing, 10);
  const r11 = row(powerRing, 11);
  const r12 = row(powerRing, 12);
  let k = 0;
  for (; k + 1 < bins; k += 2) {
    const o = <usize>k << 3;
    let x0 = v128.load(r0 + o);
    let x1 = v128.load(r1 + o);
    let x2 = v128.load(r2 + o);
    let x3 = v128.load(r3 + o);
    let x4 = v128.load(r4 + o);
    let x5 = v128.load(r5 + o);
    let x6 = v128.load(r6 + o);
    let x7 = v128.load(r7 + o);
    let x8 = v128.load(r8 + o);
    let x9 = v128.load(r9 + o);
    let x10 = v128.load(r10 + o);
    let x11 = v128.load(r11 + o);
    let x12 = v128.load(r12 + o);
    let t: v128;
    t = f64x2.min(x0, x1); x1 = f64x2.max(x0, x1); x0 = t;
    t = f64x2.min(x2, x3); x3 = f64x2.max(x2, x3); x2 = t;
    t = f64x2.min(x4, x5); x5 = f64x2.max(x4, x5); x4 = t;
    t = f64x2.min(x6, x7); x7 = f64x2.max(x6, x7); x6 = t;
    t = f64x2.min(x8, x9); x9 = f64x2.max(x8, x9); x8 = t;
    t = f64x2.min(x10, x11); x11 = f64x2.max(x10, x11); x10 = t;
    t = f64x2.min(x0, x2); x2 = f64x2.max(x0, x2); x0 = t;
    t = f64x2.min(x1, x3); x3 = f64x2.max(x1, x3); x1 = t;
    t = f64x2.min(x4, x6); x6 = f64x2.max(x4, x6); x4 = t;
    t = f64x2.min(x5, x7); x7 = f64x2.max(x5, x7); x5 = t;
    t = f64x2.min(x8, x10); x10 = f64x2.max(x8, x10); x8 = t;
    t = f64x2.min(x9, x11); x11 = f64x2.max(x9, x11); x9 = t;
    t = f64x2.min(x1, x2); x2 = f64x2.max(x1, x2); x1 = t;
    t = f64x2.min(x5, x6); x6 = f64x2.max(x5, x6); x5 = t;
    t = f64x2.min(x9, x10); x10 = f64x2.max(x9, x10); x9 = t;
    t = f64x2.min(x0, x4); x4 = f64x2.max(x0, x4); x0 = t;
    t = f64x2.min(x1, x5); x5 = f64x2.max(x1, x5); x1 = t;
    t = f64x2.min(x2, x6); x6 = f64x2.max(x2, x6); x2 = t;
    x3 = f64x2.min(x3, x7);
    t = f64x2.min(x8, x12); x12 = f64x2.max(x8, x12); x8 = t;
    t = f64x2.min(x2, x4); x4 = f64x2.max(x2, x4); x2 = t;
    t = f64x2.min(x3, x5); x5 = f64x2.max(x3, x5); x3 = t;
    t = f64x2.min(x10, x12); x12 = f64x2.max(x10, x12); x10 = t;
    t = f64x2.min(x1, x2); x2 = f64x2.max(x1, x2); x1 = t;
    t = f64x2.min(x3, x4); x4 = f64x2.max(x3, x4); x3 = t;
    t = f64x2.min(x5, x6); x6 = f64x2.max(x5, x6); x5 = t;
    t = f64x2.min(x9, x10); x10 = f64x2.max(x9, x10); x9 = t;
    t = f64x2.min(x11, x12); x12 = f64x2.max(x11, x12); x11 = t;
    x8 = f64x2.max(x0, x8);
    x9 = f64x2.max(x1, x9);
    x10 = f64x2.max(x2, x10);
    x3 = f64x2.min(x3, x11);
    x4 = f64x2.min(x4, x12);
    x8 = f64x2.max(x4, x8);
    x5 = f64x2.min(x5, x9);
    x6 = f64x2.min(x6, x10);
    x5 = f64x2.max(x3, x5);
    x6 = f64x2.min(x6, x8);
    x6 = f64x2.max(x5, x6);
    v128.store(held + o, x6);
  }
  for (; k < bins; k++) {
    let x0 = ld(r0, k);
    let x1 = ld(r1, k);
    let x2 = ld(r2, k);
    let x3 = ld(r3, k);
    let x4 = ld(r4, k);
    let x5 = ld(r5, k);
    let x6 = ld(r6, k);
    let x7 = ld(r7, k);
    let x8 = ld(r8, k);
    let x9 = ld(r9, k);
    let x10 = ld(r10, k);
    let x11 = ld(r11, k);
    let x12 = ld(r12, k);
    let t: f64;
    t = min<f64>(x0, x1); x1 = max<f64>(x0, x1); x0 = t;
    t = min<f64>(x2, x3); x3 = max<f64>(x2, x3); x2 = t;
    t = min<f64>(x4, x5); x5 = max<f64>(x4, x5); x4 = t;
    t = min<f64>(x6, x7); x7 = max<f64>(x6, x7); x6 = t;
    t = min<f64>(x8, x9); x9 = max<f64>(x8, x9); x8 = t;
    t = min<f64>(x10, x11); x11 = max<f64>(x10, x11); x10 = t;
    t = min<f64>(x0, x2); x2 = max<f64>(x0, x2); x0 = t;
    t = min<f64>(x1, x3); x3 = max<f64>(x1, x3); x1 = t;
    t = min<f64>(x4, x6); x6 = max<f64>(x4, x6); x4 = t;
    t = min<f64>(x5, x7); x7 = max<f64>(x5, x7); x5 = t;
    t = min<f64>(x8, x10); x10 = max<f64>(x8, x10); x8 = t;
    t = min<f64>(x9, x11); x11 = max<f64>(x9, x11); x9 = t;
    t = min<f64>(x1, x2); x2 = max<f64>(x1, x2); x1 = t;
    t = min<f64>(x5, x6); x6 = max<f64>(x5, x6); x5 = t;
    t = min<f64>(x9, x10); x10 = max<f64>(x9, x10); x9 = t;
    t = min<f64>(x0, x4); x4 = max<f64>(x0, x4); x0 = t;
    t = min<f64>(x1, x5); x5 = max<f64>(x1, x5); x1 = t;
    t = min<f64>(x2, x6); x6 = max<f64>(x2, x6); x2 = t;
    x3 = min<f64>(x3, x7);
    t = min<f64>(x8, x12); x12 = max<f64>(x8, x12); x8 = t;
    t = min<f64>(x2, x4); x4 = max<f64>(x2, x4); x2 = t;
    t = min<f64>(x3, x5); x5 = max<f64>(x3, x5); x3 = t;
    t = min<f64>(x10, x12); x12 = max<f64>(x10, x12); x10 = t;
    t = min<f64>(x1, x2); x2 = max<f64>(x1, x2); x1 = t;
    t = min<f64>(x3, x4); x4 = max<f64>(x3, x4); x3 = t;
    t = min<f64>(x5, x6); x6 = max<f64>(x5, x6); x5 = t;
    t = min<f64>(x9, x10); x10 = max<f64>(x9, x10); x9 = t;
    t = min<f64>(x11, x12); x12 = max<f64>(x11, x12); x11 = t;
    x8 = max<f64>(x0, x8);
    x9 = max<f64>(x1, x9);
    x10 = max<f64>(x2, x10);
    x3 = min<f64>(x3, x11);
    x4 = min<f64>(x4, x12);
    x8 = max<f64>(x4, x8);
    x5 = min<f64>(x5, x9);
    x6 = min<f64>(x6, x10);
    x5 = max<f64>(x3, x5);
    x6 = min<f64>(x6, x8);
    x6 = max<f64>(x5, x6);
    st(held, k, x6);
  }
}
