// AssemblyScript, not TypeScript: compiled to WebAssembly by `npm run build:wasm` (see ../build.ts).
// The syllabic gate of ../../syllabic-gate.ts, operation for operation: the 300 Hz high-pass and
// each hop's energy, then (after the caller has taken each hop's dB with Math.log10) the windows'
// 2.3–7.8 Hz modulation depth. The DFT rows are computed by the caller with Math.cos/sin.
import { ld, reserve } from './memory';

/** Rows of the modulation DFT (cos and sin for each bin) and their length. */
const ROWS = 16;
const W = 128;

/** Byte offsets into memory, read by the caller after `prepare`. */
export let basis: usize = 0; // f64[ROWS * W]
export let x: usize = 0; // f32[n]: the samples
export let energy: usize = 0; // f64[n / hop]: each hop's mean square after the filter
export let env: usize = 0; // f64[n / hop]: each hop's dB (filled by the caller)

/** Lays out the memory for `n` samples (the basis first, kept across calls), growing it as needed. */
export function prepare(n: i32, hop: i32): void {
  basis = (__heap_base + 15) & ~(<usize>15);
  x = basis + <usize>(ROWS * W * 8);
  const hops = <usize>(n / hop);
  energy = (x + <usize>n * 4 + 15) & ~(<usize>15);
  env = energy + hops * 8;
  const end = env + hops * 8;
  reserve(end);
}

/** The filter over the first `hops` hops of x (from rest), each hop's Σy² / hop into energy. */
export function filter(hops: i32, hop: i32, b0: f64, b1: f64, b2: f64, a1: f64, a2: f64): void {
  let x1: f64 = 0;
  let x2: f64 = 0;
  let y1: f64 = 0;
  let y2: f64 = 0;
  for (let k = 0, i = 0; k < hops; k++) {
    let e: f64 = 0;
    for (const end = i + hop; i < end; i++) {
      const v = <f64>load<f32>(x + (<usize>i << 2));
      const y = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
      x2 = x1;
      x1 = v;
      y2 = y1;
      y1 = y;
      e += y * y;
    }
    store<f64>(energy + (<usize>k << 3), e / <f64>hop + 1e-10);
  }
}

/** Largest modulation depth over the windows of env (`hops` long, ≥ W), every `step` hops plus one ending at the last. */
export function depth(hops: i32, step: i32, scale: f64): f64 {
  let best: f64 = 0;
  let start = 0;
  let last = false;
  while (true) {
    if (start + W > hops) {
      // The window ending at the last hop, unless the one before ended there.
      if (last || start - step === hops - W) break;
      start = hops - W;
      last = true;
    }
    let mean: f64 = 0;
    for (let k = 0; k < W; k++) mean += ld(env, start + k);
    mean /= <f64>W;
    let power: f64 = 0;
    for (let r = 0; r < ROWS; r += 2) {
      const c = basis + <usize>(r * W * 8);
      const si = c + <usize>(W * 8);
      let re: f64 = 0;
      let im: f64 = 0;
      for (let k = 0; k < W; k++) {
        const v = ld(env, start + k) - mean;
        re += v * ld(c, k);
        im += v * ld(si, k);
      }
      power += re * re + im * im;
    }
    best = Math.max(best, Math.sqrt(power) * scale);
    if (last) break;
    start += step;
  }
  return best;
}
