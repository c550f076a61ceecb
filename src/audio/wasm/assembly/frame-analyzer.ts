// AssemblyScript, not TypeScript: compiled by `npm run build:wasm` (see ../build.ts).
// The per-frame work of frame-analyzer.ts's FrameAnalyzer, operation for operation: RMS, the power
// spectrum, band energies, centroid, chroma and mel powers (`spectrum`), then the onset fluxes, the
// pooled spectra, the streaming harmonic/percussive split and the chroma/block features
// (`features`). The one transcendental step, the log of each mel band, is the caller's
// (Math.log1p) between the two. Envelope values go to f32 staging arrays (rounded as a
// Float32Array store rounds; a NaN may come out with other payload bits than JavaScript's) that
// the caller appends to its tracks. One instance per analyzer. Read frame-analyzer.ts for the why.
import { ld, st, ldi, take, reserve } from './memory';
import { init as initFft, windowedPower, frame32, specRe, end as fftEnd } from './fft';
import { replaceSorted } from './sorted';
// The caller fills the FFT's tables and window, and writes each frame into frame32.
export { rev, cosH, sinH, cosN, sinN, frame32, window } from './fft';

const MEL_BANDS: i32 = 40;
const FLUX_LAG: i32 = 2;
const LOG_GAIN: f64 = 1000;
const CHROMA_DIM: i32 = 12;
const CHROMA_FRAMES: i32 = 4;
const BLOCK_FRAMES: i32 = 50;
const SPECTRUM_DIM: i32 = MEL_BANDS / 2;
const TIMBRE_DIM: i32 = 10;
/** HPSS runs on pairs of mel bands: half the work, and its output is only two curves. */
const HPSS_POOL: i32 = 2;
const HPSS_BANDS: i32 = MEL_BANDS / HPSS_POOL;
/** HPSS ring of 17 frames (its harmonic median); percussive median over 5 pooled bands ≈ the 9-band kernel on the full mel spectrum. */
const HPSS_SPAN: i32 = 17;
const HPSS_FREQ: i32 = 5;
const HPSS_DELAY: i32 = HPSS_SPAN >> 1;
/** Frames the staging arrays hold: the caller appends them to its tracks at least this often. */
export const STAGED_FRAMES: i32 = 1024;
/** Per-frame envelopes staged: rms, centroid, flux, fluxLow, fluxHigh, then one per band. */
const FIXED_TRACKS: i32 = 5;

let size: i32 = 0;
let bins: i32 = 0;
let hop: i32 = 0;
let binHz: f64 = 0;
let bandCount: i32 = 0;
let chromaFirst: i32 = 0;
let chromaEnd: i32 = 0;
let lowBands: i32 = 0;
let highBand: i32 = 0;
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
/** Mel powers of the frame (f64, 40), and LOG_GAIN·√ of each: the caller writes log1p of those into logMel. */
let melPow: usize = 0;
export let melArg: usize = 0;
/** The last FLUX_LAG + 1 frames' log-mel (f64, 40 each), frame t at t % 3. */
export let logMel: usize = 0;
/** Sums over the current chroma group / block (f64): chroma of 4 frames, spectrum, timbre, chroma of the block. */
let chroma4: usize = 0;
let spec4: usize = 0;
let timbre: usize = 0;
let chroma: usize = 0;
let blockCount: i32 = 0;
/** HPSS: input (f64, 20), ring (17 × 20), per band the ring's values sorted (20 × 17), median scratch (5). */
let hpssIn: usize = 0;
let hpssZero: usize = 0;
let hpssRing: usize = 0;
let hpssSorted: usize = 0;
let hpssScratch: usize = 0;
let hpssCount: i32 = 0;
let hpHarm: f64 = 0;
let hpPerc: f64 = 0;
/** Harmonic values given out so far (the caller's track length). */
let hpTotal: i32 = 0;
/** Staging (f32): per-frame tracks (STAGED_FRAMES each), harmonic and percussive, spectrum, chroma, blocks. */
export let perFrame: usize = 0;
export let harmonic: usize = 0;
export let percussive: usize = 0;
export let spectrumOut: usize = 0;
export let chromaOut: usize = 0;
export let blocksOut: usize = 0;
/** How many values each staging array holds. */
export let staged: i32 = 0;
export let stagedHp: i32 = 0;
export let stagedSpectrum: i32 = 0;
export let stagedChroma: i32 = 0;
export let stagedBlocks: i32 = 0;

@inline function put(base: usize, i: i32, v: f64): void {
  store<f32>(base + (<usize>i << 2), <f32>v);
}

/**
 * Lays out an analyzer of `n`-point frames hopping `frameHop` samples at `rate` Hz, with `bands`
 * band energies and `weights` mel weights in all; chroma bins [first, end); mel bands below
 * `low` feed the low flux, from `high` on the high flux.
 */
export function init(n: i32, odd: bool, frameHop: i32, rate: f64, bands: i32, weights: i32, first: i32, end: i32, low: i32, high: i32): void {
  initFft(n, odd);
  size = n;
  bins = (n >> 1) + 1;
  hop = frameHop;
  binHz = rate / <f64>n;
  bandCount = bands;
  chromaFirst = first;
  chromaEnd = end;
  lowBands = low;
  highBand = high;
  let p = fftEnd;
  cum = p;
  p = take(p, (bins + 1) * 8);
  pitchClass = p;
  p = take(p, bins * 4);
  bandBins = p;
  p = take(p, bands * 8);
  melStart = p;
  p = take(p, MEL_BANDS * 4);
  melOffset = p;
  p = take(p, (MEL_BANDS + 1) * 4);
  melWeights = p;
  p = take(p, weights * 8);
  melPow = p;
  p = take(p, MEL_BANDS * 8);
  melArg = p;
  p = take(p, MEL_BANDS * 8);
  logMel = p;
  p = take(p, (FLUX_LAG + 1) * MEL_BANDS * 8);
  chroma4 = p;
  p = take(p, CHROMA_DIM * 8);
  spec4 = p;
  p = take(p, SPECTRUM_DIM * 8);
  timbre = p;
  p = take(p, TIMBRE_DIM * 8);
  chroma = p;
  p = take(p, CHROMA_DIM * 8);
  hpssIn = p;
  p = take(p, HPSS_BANDS * 8);
  hpssZero = p;
  p = take(p, HPSS_BANDS * 8);
  hpssRing = p;
  p = take(p, HPSS_SPAN * HPSS_BANDS * 8);
  hpssSorted = p;
  p = take(p, HPSS_BANDS * HPSS_SPAN * 8);
  hpssScratch = p;
  p = take(p, HPSS_FREQ * 8);
  perFrame = p;
  p = take(p, (FIXED_TRACKS + bands) * STAGED_FRAMES * 4);
  // The HPSS flush at the end adds up to its delay beyond a full stage.
  harmonic = p;
  p = take(p, (STAGED_FRAMES + 2 * HPSS_DELAY) * 4);
  percussive = p;
  p = take(p, (STAGED_FRAMES + 2 * HPSS_DELAY) * 4);
  spectrumOut = p;
  p = take(p, (STAGED_FRAMES / CHROMA_FRAMES + 1) * SPECTRUM_DIM * 4);
  chromaOut = p;
  p = take(p, (STAGED_FRAMES / CHROMA_FRAMES + 1) * CHROMA_DIM * 4);
  blocksOut = p;
  p = take(p, (STAGED_FRAMES / BLOCK_FRAMES + 2) * (CHROMA_DIM + TIMBRE_DIM) * 4);
  reserve(p);
}

/** The caller has taken everything staged. */
export function unstage(): void {
  staged = 0;
  stagedHp = 0;
  stagedSpectrum = 0;
  stagedChroma = 0;
  stagedBlocks = 0;
}

/** RMS, band energies, centroid, chroma sums and mel powers of the frame in frame32, its power spectrum scaled by `scale`. */
export function spectrum(scale: f64): void {
  // RMS over the hop either side of the frame's centre.
  let sq: f64 = 0;
  const centre = size >> 1;
  for (let i = centre - hop; i < centre + hop; i++) {
    const v = <f64>load<f32>(frame32 + (<usize>i << 2));
    sq += v * v;
  }
  put(perFrame, staged, sqrt<f64>(sq / <f64>(2 * hop)));
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
    st(chroma4, pc, ld(chroma4, pc) + ld(p, k));
  }
  for (let i = 0; i < bandCount; i++) {
    // f64.max is Math.max for two numbers, NaN included.
    const e = sqrt<f64>(max<f64>(0, ld(cum, ldi(bandBins, 2 * i + 1)) - ld(cum, ldi(bandBins, 2 * i))));
    put(perFrame, (FIXED_TRACKS + i) * STAGED_FRAMES + staged, e);
  }
  put(perFrame, STAGED_FRAMES + staged, den > 1e-12 ? (num / den) * binHz : 0);
  // The mel bank (mel.ts applyMel), and what the caller takes the log of.
  for (let b = 0; b < MEL_BANDS; b++) {
    const s = ldi(melStart, b);
    const w0 = ldi(melOffset, b);
    const len = ldi(melOffset, b + 1) - w0;
    let acc: f64 = 0;
    for (let i = 0; i < len; i++) acc += ld(melWeights, w0 + i) * ld(p, s + i);
    st(melPow, b, acc);
    st(melArg, b, LOG_GAIN * sqrt<f64>(acc));
  }
}

/** Frame t's onset fluxes, pooled spectra, HPSS and chroma/block features, its log-mel in logMel[t % 3]. */
export function features(t: i32): void {
  const cur = logMel + (<usize>((t % (FLUX_LAG + 1)) * MEL_BANDS) << 3);
  melFlux(t, cur);
  pooledFeatures(cur);
  staged++;
  if ((t + 1) % CHROMA_FRAMES == 0) emitChroma();
  blockCount++;
  if (blockCount == BLOCK_FRAMES) emitBlock();
}

function melFlux(t: i32, cur: usize): void {
  let flux: f64 = 0;
  let low: f64 = 0;
  let high: f64 = 0;
  if (t >= FLUX_LAG) {
    const ref = logMel + (<usize>(((t - FLUX_LAG) % (FLUX_LAG + 1)) * MEL_BANDS) << 3);
    // The reference bands below, at and above b slide along: each is read once.
    let below = -Infinity;
    let at = ld(ref, 0);
    for (let b = 0; b < MEL_BANDS; b++) {
      const above = b < MEL_BANDS - 1 ? ld(ref, b + 1) : -Infinity;
      // SuperFlux: compare against the max of neighbouring bands to ignore vibrato.
      let r = at;
      if (below > r) r = below;
      if (above > r) r = above;
      below = at;
      at = above;
      const d = ld(cur, b) - r;
      if (d > 0) {
        flux += d;
        if (b < lowBands) low += d;
        else if (b >= highBand) high += d;
      }
    }
  }
  put(perFrame, 2 * STAGED_FRAMES + staged, flux);
  put(perFrame, 3 * STAGED_FRAMES + staged, low);
  put(perFrame, 4 * STAGED_FRAMES + staged, high);
}

function pooledFeatures(cur: usize): void {
  const groupSize = MEL_BANDS / TIMBRE_DIM;
  for (let b = 0; b < SPECTRUM_DIM; b++) st(spec4, b, ld(spec4, b) + ld(cur, 2 * b) + ld(cur, 2 * b + 1));
  for (let g = 0; g < TIMBRE_DIM; g++) {
    let v: f64 = 0;
    for (let b = g * groupSize; b < (g + 1) * groupSize; b++) v += ld(cur, b);
    st(timbre, g, ld(timbre, g) + v / <f64>groupSize);
  }
  for (let b = 0; b < HPSS_BANDS; b++) {
    let v: f64 = 0;
    for (let j = b * HPSS_POOL; j < (b + 1) * HPSS_POOL; j++) v += ld(melPow, j);
    st(hpssIn, b, v);
  }
  if (hpssPush(hpssIn)) emitHp();
}

function emitHp(): void {
  put(harmonic, stagedHp, sqrt<f64>(hpHarm));
  put(percussive, stagedHp, sqrt<f64>(hpPerc));
  stagedHp++;
  hpTotal++;
}

function emitChroma(): void {
  let s: f64 = 0;
  for (let i = 0; i < CHROMA_DIM; i++) {
    s += ld(chroma4, i);
    st(chroma, i, ld(chroma, i) + ld(chroma4, i));
  }
  for (let i = 0; i < CHROMA_DIM; i++) put(chromaOut, stagedChroma++, s > 1e-12 ? ld(chroma4, i) / s : 0);
  memory.fill(chroma4, 0, <usize>CHROMA_DIM << 3);
  for (let b = 0; b < SPECTRUM_DIM; b++) put(spectrumOut, stagedSpectrum++, ld(spec4, b) / <f64>(2 * CHROMA_FRAMES));
  memory.fill(spec4, 0, <usize>SPECTRUM_DIM << 3);
}

function emitBlock(): void {
  let s: f64 = 0;
  for (let i = 0; i < CHROMA_DIM; i++) s += ld(chroma, i);
  for (let i = 0; i < CHROMA_DIM; i++) put(blocksOut, stagedBlocks++, s > 1e-12 ? ld(chroma, i) / s : 0);
  for (let i = 0; i < TIMBRE_DIM; i++) put(blocksOut, stagedBlocks++, ld(timbre, i) / <f64>blockCount);
  memory.fill(chroma, 0, <usize>CHROMA_DIM << 3);
  memory.fill(timbre, 0, <usize>TIMBRE_DIM << 3);
  blockCount = 0;
}

/** After the last frame: the HPSS ring flushed with silent frames until `frames` harmonic values are out, and the last block. */
export function finish(frames: i32): void {
  while (hpTotal < frames) {
    if (hpssPush(hpssZero)) emitHp();
  }
  if (blockCount > 0) emitBlock();
}

/**
 * Streaming harmonic/percussive split (Fitzgerald median filtering) on the pooled mel bands:
 * harmonic = median across time (the ring's values per band, kept sorted), percussive = median
 * across frequency, soft Wiener-style masks; frames not yet seen count as silence. One frame in;
 * true when hpHarm/hpPerc hold the frame HPSS_DELAY back. (test/support/sorted-window.ts keeps
 * the JavaScript it was, StreamingHpss.push.)
 */
function hpssPush(mel: usize): bool {
  const slot = hpssRing + (<usize>((hpssCount % HPSS_SPAN) * HPSS_BANDS) << 3);
  for (let b = 0; b < HPSS_BANDS; b++) {
    replaceSorted(hpssSorted + (<usize>(b * HPSS_SPAN) << 3), HPSS_SPAN, ld(slot, b), ld(mel, b));
    st(slot, b, ld(mel, b));
  }
  hpssCount++;
  if (hpssCount <= HPSS_DELAY) return false;
  const centre = hpssRing + (<usize>(((hpssCount - 1 - HPSS_DELAY) % HPSS_SPAN) * HPSS_BANDS) << 3);
  const halfF = HPSS_FREQ >> 1;
  const mid = HPSS_SPAN >> 1;
  let harm: f64 = 0;
  let perc: f64 = 0;
  for (let b = 0; b < HPSS_BANDS; b++) {
    let n = 0;
    for (let j = b - halfF; j <= b + halfF; j++) {
      if (j >= 0 && j < HPSS_BANDS) st(hpssScratch, n++, ld(centre, j));
    }
    const p = median(hpssScratch, n);
    const h = ld(hpssSorted, b * HPSS_SPAN + mid);
    const h2 = h * h;
    const p2 = p * p;
    const den = h2 + p2;
    const mH = den > 0 ? h2 / den : 0.5;
    harm += ld(centre, b) * mH;
    perc += ld(centre, b) * (1 - mH);
  }
  hpHarm = harm;
  hpPerc = perc;
  return true;
}

/** Median of the first n values, by insertion sort (n is tiny; reorders them). */
function median(a: usize, n: i32): f64 {
  for (let i = 1; i < n; i++) {
    const v = ld(a, i);
    let j = i - 1;
    while (j >= 0 && ld(a, j) > v) {
      st(a, j + 1, ld(a, j));
      j--;
    }
    st(a, j + 1, v);
  }
  return n % 2 ? ld(a, n >> 1) : 0.5 * (ld(a, (n >> 1) - 1) + ld(a, n >> 1));
}
