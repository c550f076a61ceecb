// AssemblyScript, not TypeScript: compiled by `npm run build:wasm` (see ../build.ts).
// The per-frame spectrum statistics of frame-analyzer.ts (its spectrumStats and applyMel),
// operation for operation: RMS, the power spectrum, band energies, centroid, chroma sums and mel
// powers of one frame. Nothing transcendental: the caller takes the logs. One instance per analyzer.
import { init as initFft, windowedPower, frame32, specRe, end as fftEnd } from './fft';
// The caller fills the FFT's tables and window, and writes each frame into frame32.
export { rev, cosH, sinH, cosN, sinN, frame32, window } from './fft';

let size: i32 = 0;
let bins: i32 = 0;
let hop: i32 = 0;
let binHz: f64 = 0;
let bandCount: i32 = 0;
let melBands: i32 = 0;
let chromaFirst: i32 = 0;
let chromaEnd: i32 = 0;
/** Running sums of the power spectrum (f64, bins + 1). */
let cum: usize = 0;
/** Per bin its pitch class (i32, bins). */
export let pitchClass: usize = 0;
/** Band edges in bins: [lo, hi) pairs (i32, 2 per band). */
export let bandBins: usize = 0;
/** The mel bank: per band its first bin and where its weights start (i32, bands + 1), and the weights (f64). */
export let melStart: usize = 0;
export let melOffset: usize = 0;
export let melWeights: usize = 0;
/** Chroma sums over the frames so far (f64, 12): the caller reads and clears them. */
export let chroma: usize = 0;
/** Out of each frame (f64): [rms, centroid Hz, band energies…], and the mel powers. */
export let stats: usize = 0;
export let melPow: usize = 0;

@inline function ld(base: usize, i: i32): f64 {
  return load<f64>(base + (<usize>i << 3));
}

@inline function st(base: usize, i: i32, v: f64): void {
  store<f64>(base + (<usize>i << 3), v);
}

@inline function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize>i << 2));
}

function take(at: usize, bytes: i32): usize {
  return (at + <usize>bytes + 15) & ~(<usize>15);
}

/** Lays out an analyzer of `n`-point frames hopping `frameHop` samples at `rate` Hz; `weights` mel weights in all. */
export function init(n: i32, odd: bool, frameHop: i32, rate: f64, bands: i32, mels: i32, weights: i32, first: i32, end: i32): void {
  initFft(n, odd);
  size = n;
  bins = (n >> 1) + 1;
  hop = frameHop;
  binHz = rate / <f64>n;
  bandCount = bands;
  melBands = mels;
  chromaFirst = first;
  chromaEnd = end;
  let p = fftEnd;
  cum = p;
  p = take(p, (bins + 1) * 8);
  pitchClass = p;
  p = take(p, bins * 4);
  bandBins = p;
  p = take(p, bands * 8);
  melStart = p;
  p = take(p, mels * 4);
  melOffset = p;
  p = take(p, (mels + 1) * 4);
  melWeights = p;
  p = take(p, weights * 8);
  chroma = p;
  p = take(p, 12 * 8);
  stats = p;
  p = take(p, (2 + bands) * 8);
  melPow = p;
  p = take(p, mels * 8);
  const pages = <i32>((p + 0xffff) >> 16);
  const have = memory.size();
  if (pages > have) memory.grow(pages - have);
}

/** The statistics of the frame in frame32, its power spectrum scaled by `scale`. */
export function frame(scale: f64): void {
  // RMS over the hop either side of the frame's centre.
  let sq: f64 = 0;
  const centre = size >> 1;
  for (let i = centre - hop; i < centre + hop; i++) {
    const v = <f64>load<f32>(frame32 + (<usize>i << 2));
    sq += v * v;
  }
  st(stats, 0, sqrt<f64>(sq / <f64>(2 * hop)));
  windowedPower(scale);
  const p = specRe;
  let num: f64 = 0;
  let den: f64 = 0;
  st(cum, 0, 0);
  for (let k = 0; k < bins; k++) {
    const pk = ld(p, k);
    st(cum, k + 1, ld(cum, k) + pk);
    // Power-weighted centroid: no per-bin sqrt, and a bit more weight on strong partials.
    num += <f64>k * pk;
    den += pk;
  }
  for (let k = chromaFirst; k < chromaEnd; k++) {
    const pc = ldi(pitchClass, k);
    st(chroma, pc, ld(chroma, pc) + ld(p, k));
  }
  for (let i = 0; i < bandCount; i++) {
    // f64.max is Math.max for two numbers, NaN included.
    st(stats, 2 + i, sqrt<f64>(max<f64>(0, ld(cum, ldi(bandBins, 2 * i + 1)) - ld(cum, ldi(bandBins, 2 * i)))));
  }
  st(stats, 1, den > 1e-12 ? (num / den) * binHz : 0);
  // The mel bank (mel.ts applyMel).
  for (let b = 0; b < melBands; b++) {
    const s = ldi(melStart, b);
    const w0 = ldi(melOffset, b);
    const len = ldi(melOffset, b + 1) - w0;
    let acc: f64 = 0;
    for (let i = 0; i < len; i++) acc += ld(melWeights, w0 + i) * ld(p, s + i);
    st(melPow, b, acc);
  }
}
