/**
 * Streaming short-time analysis: PCM chunks in, small per-frame envelopes out. Only a
 * window of samples and the envelopes (a few floats per 10 ms frame) are kept, so a
 * one-hour file analyses in bounded memory.
 */
import { fillFftTables, oddStages, type FftTables } from './fft.js';
import { FloatTrack } from './growable.js';
import { createMelBank, type MelBank } from './mel.js';
import { StreamingHpss } from './hpss.js';
import { FRAME_SPECTRUM_WASM } from './wasm/frame-spectrum-wasm.js';
import { instantiate } from './wasm/instantiate.js';

/** Analysis sample rate: 16 kHz gives an exact 160-sample hop at 100 Hz and is what the VAD wants. */
export const ANALYSIS_SAMPLE_RATE = 16000;
/** Curve / frame rate, Hz. */
export const FRAME_RATE = 100;
export const HOP = ANALYSIS_SAMPLE_RATE / FRAME_RATE;
export const FFT_SIZE = 512;
/** Frames per block of the coarse timbre/chroma feature used for section novelty. */
export const BLOCK_FRAMES = 50;
/** Frames averaged into one chroma vector (25 Hz). */
export const CHROMA_FRAMES = 4;
const MEL_BANDS = 40;
/** Mel bands below this centre feed the low (kick/bass) onset envelope. */
const LOW_ONSET_HZ = 250;
/** Mel bands above this centre feed the high (snare/clap/hat) onset envelope. */
const HIGH_ONSET_HZ = 1500;
/** Frames between the two spectra a flux value compares (≈ where the Hann window halves). */
const FLUX_LAG = 2;
const LOG_GAIN = 1000;
const POWER_NORM = 1 / ((FFT_SIZE / 4) * (FFT_SIZE / 4));
/** HPSS runs on pairs of mel bands: half the work, and its output is only two curves. */
const HPSS_POOL = 2;
const HPSS_BANDS = MEL_BANDS / HPSS_POOL;

/** Band edges in Hz; `treble` and `mid` are composites of these. */
export const BANDS = {
  bass: [20, 150],
  lowmid: [150, 500],
  highmid: [500, 2000],
  high: [4000, 8000],
  treble: [2000, 8000],
  mid: [150, 2000],
  vocalBand: [300, 3400],
} as const;
type BandName = keyof typeof BANDS;

/** Raw (unnormalised) per-frame envelopes at FRAME_RATE, frame i centred on t = i / FRAME_RATE. */
export interface FrameEnvelopes {
  frames: number;
  rms: Float32Array;
  bands: Record<BandName, Float32Array>;
  centroidHz: Float32Array;
  flux: Float32Array;
  fluxLow: Float32Array;
  /** Onset envelope of the bands above HIGH_ONSET_HZ (snare, clap, hats): finds the backbeat. */
  fluxHigh: Float32Array;
  harmonic: Float32Array;
  percussive: Float32Array;
  /** Block features for sections, `blockDim` floats per block of BLOCK_FRAMES frames. */
  blocks: Float32Array;
  /** 12-bin chroma every CHROMA_FRAMES frames (sum-normalised), for harmonic change at beats. */
  chroma: Float32Array;
  /** SPECTRUM_DIM log-mel bands (pairs of analysis bands) averaged over the same CHROMA_FRAMES frames. */
  spectrum: Float32Array;
  blockDim: number;
  /** Sample-level stats for the health check. */
  peak: number;
  clippedSamples: number;
  totalSamples: number;
}

const CHROMA_DIM = 12;
export const SPECTRUM_DIM = MEL_BANDS / 2;
const TIMBRE_DIM = 10;

/**
 * The kernel that takes each frame's RMS, power spectrum, band energies, centroid, chroma sums and
 * mel powers (wasm/assembly/frame-spectrum.ts): byte offsets into its memory, and `frame`.
 */
interface FrameSpectrumKernel extends FftTables {
  init(n: number, odd: boolean, hop: number, rate: number, bands: number, mels: number, weights: number, chromaFirst: number, chromaEnd: number): void;
  frame(scale: number): void;
  pitchClass: WebAssembly.Global;
  bandBins: WebAssembly.Global;
  melStart: WebAssembly.Global;
  melOffset: WebAssembly.Global;
  melWeights: WebAssembly.Global;
  chroma: WebAssembly.Global;
  stats: WebAssembly.Global;
  melPow: WebAssembly.Global;
}

export class FrameAnalyzer {
  /**
   * The per-frame spectrum work runs in WebAssembly: `s2v analyze` runs it once per process, where
   * JavaScript would spend most of it waiting for V8 to optimise. The same operations in the same
   * order as the JavaScript it replaced, the window and mel weights computed here: the same bits.
   */
  private readonly kernel: FrameSpectrumKernel;
  /** Views on the kernel's memory: the frame in; [rms, centroid, bands…] and the mel powers out; the chroma sums. */
  private readonly frameIn: Float32Array;
  private readonly stats: Float64Array;
  private readonly melPow: Float64Array;
  private readonly chroma4: Float64Array;
  private readonly mel: MelBank;
  private readonly logMel: Float64Array[] = Array.from({ length: FLUX_LAG + 1 }, () => new Float64Array(MEL_BANDS));
  private readonly lowBands: number;
  private readonly highBand: number;
  private readonly spec4 = new Float64Array(SPECTRUM_DIM);
  // 5 pooled bands ≈ the 9-band frequency kernel on the full mel spectrum.
  private readonly hpss = new StreamingHpss(HPSS_BANDS, 17, 5);
  private readonly hpssIn = new Float64Array(HPSS_BANDS);
  private readonly hpOut = new Float64Array(2);
  private readonly bandBins: Record<BandName, [number, number]>;
  private readonly pitchClass: Int8Array;
  /** [first, end) FFT bins that have a pitch class (60 Hz – 2 kHz). */
  private readonly chromaBins: [number, number];
  private readonly chroma = new Float64Array(CHROMA_DIM);
  private readonly timbre = new Float64Array(TIMBRE_DIM);
  private blockCount = 0;
  private readonly bandList: Array<[FloatTrack, number, number]>;

  // Sample ring: buf[0] is absolute sample `bufStart` (negative = zero padding before t=0).
  private buf = new Float32Array(FFT_SIZE * 8);
  private bufStart = -FFT_SIZE / 2;
  private bufLen = FFT_SIZE / 2;
  private frameIndex = 0;
  private totalSamples = 0;
  private peak = 0;
  private clipped = 0;
  private clipRun = 0;

  private readonly out: {
    rms: FloatTrack;
    centroid: FloatTrack;
    flux: FloatTrack;
    fluxLow: FloatTrack;
    fluxHigh: FloatTrack;
    spectrum: FloatTrack;
    harmonic: FloatTrack;
    percussive: FloatTrack;
    blocks: FloatTrack;
    chroma: FloatTrack;
    bands: Record<BandName, FloatTrack>;
  };

  /** `expectedSec` (when known) sizes the envelope buffers up front: no regrowth, no final copy. */
  constructor(expectedSec = 0) {
    const frames = Math.ceil(expectedSec * FRAME_RATE) + 16;
    const track = (perFrame: number) => new FloatTrack(Math.max(4096, Math.ceil(frames * perFrame)));
    this.out = {
      rms: track(1),
      centroid: track(1),
      flux: track(1),
      fluxLow: track(1),
      fluxHigh: track(1),
      spectrum: track(SPECTRUM_DIM / CHROMA_FRAMES),
      harmonic: track(1),
      percussive: track(1),
      blocks: track((CHROMA_DIM + TIMBRE_DIM) / BLOCK_FRAMES),
      chroma: track(CHROMA_DIM / CHROMA_FRAMES),
      bands: Object.fromEntries(Object.keys(BANDS).map((k) => [k, track(1)])) as Record<BandName, FloatTrack>,
    };
    this.mel = createMelBank({ sampleRate: ANALYSIS_SAMPLE_RATE, fftSize: FFT_SIZE, bands: MEL_BANDS, fMin: 30, fMax: 8000 });
    this.lowBands = this.mel.centers.findIndex((c) => c > LOW_ONSET_HZ);
    this.highBand = this.mel.centers.findIndex((c) => c > HIGH_ONSET_HZ);
    const binHz = ANALYSIS_SAMPLE_RATE / FFT_SIZE;
    const bins = (lo: number, hi: number): [number, number] => [Math.max(1, Math.round(lo / binHz)), Math.min(FFT_SIZE / 2, Math.round(hi / binHz))];
    this.bandBins = Object.fromEntries(Object.entries(BANDS).map(([k, [lo, hi]]) => [k, bins(lo, hi)])) as Record<BandName, [number, number]>;
    this.bandList = (Object.keys(BANDS) as BandName[]).map((k) => [this.out.bands[k], this.bandBins[k][0], this.bandBins[k][1]]);
    this.pitchClass = new Int8Array(FFT_SIZE / 2 + 1).fill(-1);
    for (let k = 1; k <= FFT_SIZE / 2; k++) {
      const f = k * binHz;
      if (f < 60 || f > 2000) continue;
      const midi = 69 + 12 * Math.log2(f / 440);
      this.pitchClass[k] = ((Math.round(midi) % 12) + 12) % 12;
    }
    // Pitched bins are one contiguous run, so the chroma loop needs no per-bin test.
    const first = this.pitchClass.findIndex((v) => v >= 0);
    this.chromaBins = [first, this.pitchClass.findLastIndex((v) => v >= 0) + 1];

    const weights = this.mel.weights.reduce((n, w) => n + w.length, 0);
    const kernel = (this.kernel = instantiate(FRAME_SPECTRUM_WASM) as unknown as FrameSpectrumKernel);
    const bandCount = this.bandList.length;
    kernel.init(FFT_SIZE, oddStages(FFT_SIZE), HOP, ANALYSIS_SAMPLE_RATE, bandCount, MEL_BANDS, weights, this.chromaBins[0], this.chromaBins[1]);
    fillFftTables(kernel, FFT_SIZE);
    const buffer = kernel.memory.buffer;
    const f64 = (at: WebAssembly.Global, length: number) => new Float64Array(buffer, at.value as number, length);
    const i32 = (at: WebAssembly.Global, length: number) => new Int32Array(buffer, at.value as number, length);
    const window = f64(kernel.window, FFT_SIZE);
    for (let i = 0; i < FFT_SIZE; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FFT_SIZE);
    i32(kernel.pitchClass, FFT_SIZE / 2 + 1).set(this.pitchClass);
    i32(kernel.bandBins, 2 * bandCount).set(this.bandList.flatMap(([, lo, hi]) => [lo, hi]));
    i32(kernel.melStart, MEL_BANDS).set(this.mel.start);
    const offsets = i32(kernel.melOffset, MEL_BANDS + 1);
    const flat = f64(kernel.melWeights, weights);
    for (let b = 0, at = 0; b < MEL_BANDS; b++) {
      offsets[b] = at;
      flat.set(this.mel.weights[b]!, at);
      at += this.mel.weights[b]!.length;
      offsets[b + 1] = at;
    }
    this.frameIn = new Float32Array(buffer, kernel.frame32.value as number, FFT_SIZE);
    this.stats = f64(kernel.stats, 2 + bandCount);
    this.melPow = f64(kernel.melPow, MEL_BANDS);
    this.chroma4 = f64(kernel.chroma, CHROMA_DIM);
  }

  /** Feed the next chunk of mono PCM at ANALYSIS_SAMPLE_RATE. */
  push(chunk: Float32Array): void {
    this.levels(chunk);
    this.totalSamples += chunk.length;
    this.append(chunk);
    this.drain();
  }

  /**
   * Peak and clipping of the next chunk, in a method of its own whose loop is all there is: V8
   * optimises the loop while it runs (on-stack replacement), and that code, compiled before
   * anything after the loop had run, gave up at the loop's end on every chunk while the loop
   * was part of push().
   */
  private levels(chunk: Float32Array): void {
    for (let i = 0; i < chunk.length; i++) {
      const a = Math.abs(chunk[i]!);
      if (a > this.peak) this.peak = a;
      // Count clipping as runs of ≥3 samples pinned at full scale, not single loud peaks.
      if (a >= 0.999) {
        this.clipRun++;
        if (this.clipRun === 3) this.clipped += 3;
        else if (this.clipRun > 3) this.clipped++;
      } else this.clipRun = 0;
    }
  }

  /** Flush the tail (zero padding past the end) and return the envelopes. */
  finish(): FrameEnvelopes {
    const frames = Math.max(1, Math.ceil(this.totalSamples / HOP));
    this.append(new Float32Array(FFT_SIZE));
    while (this.frameIndex < frames) {
      if (!this.canProcess()) this.append(new Float32Array(FFT_SIZE));
      this.processFrame(this.frameIndex * HOP - FFT_SIZE / 2 - this.bufStart);
    }
    // Flush the HPSS ring with silent frames so every frame gets a harmonic/percussive value.
    const zero = new Float64Array(HPSS_BANDS);
    while (this.out.harmonic.length < frames) {
      if (this.hpss.push(zero, this.hpOut)) {
        this.out.harmonic.push(Math.sqrt(this.hpOut[0]!));
        this.out.percussive.push(Math.sqrt(this.hpOut[1]!));
      }
    }
    if (this.blockCount > 0) this.emitBlock();
    const bands = Object.fromEntries(Object.entries(this.out.bands).map(([k, v]) => [k, v.toArray(frames)])) as Record<BandName, Float32Array>;
    return {
      frames,
      rms: this.out.rms.toArray(frames),
      bands,
      centroidHz: this.out.centroid.toArray(frames),
      flux: this.out.flux.toArray(frames),
      fluxLow: this.out.fluxLow.toArray(frames),
      fluxHigh: this.out.fluxHigh.toArray(frames),
      harmonic: this.out.harmonic.toArray(frames),
      percussive: this.out.percussive.toArray(frames),
      blocks: this.out.blocks.toArray(),
      chroma: this.out.chroma.toArray(),
      spectrum: this.out.spectrum.toArray(),
      blockDim: CHROMA_DIM + TIMBRE_DIM,
      peak: this.peak,
      clippedSamples: this.clipped,
      totalSamples: this.totalSamples,
    };
  }

  private append(chunk: Float32Array): void {
    if (this.bufLen + chunk.length > this.buf.length) {
      const next = new Float32Array(Math.max(this.buf.length, (this.bufLen + chunk.length) * 2));
      next.set(this.buf.subarray(0, this.bufLen));
      this.buf = next;
    }
    this.buf.set(chunk, this.bufLen);
    this.bufLen += chunk.length;
  }

  private canProcess(): boolean {
    return this.bufStart + this.bufLen >= this.frameIndex * HOP + FFT_SIZE / 2;
  }

  private drain(): void {
    while (this.canProcess()) this.processFrame(this.frameIndex * HOP - FFT_SIZE / 2 - this.bufStart);
    // Drop samples no future frame needs.
    const keepFrom = this.frameIndex * HOP - FFT_SIZE / 2 - this.bufStart;
    if (keepFrom > 0) {
      this.buf.copyWithin(0, keepFrom, this.bufLen);
      this.bufLen -= keepFrom;
      this.bufStart += keepFrom;
    }
  }

  /**
   * One frame whose window starts at buf[off]. The caller works out `off`: `bufStart` changes
   * only once per chunk, after the first chunk's frames, which is while V8 compiles the frame
   * code; read here, that change threw the finished compile away (~0.1 s).
   * The work is split in three small methods, not one large one: a 30 s file is over before V8
   * has finished optimising one large method, and until then every frame runs ~30× slower.
   */
  private processFrame(off: number): void {
    const t = this.frameIndex;
    this.spectrumStats(off);
    const cur = this.melFlux(t);
    this.pooledFeatures(cur);
    if ((t + 1) % CHROMA_FRAMES === 0) this.emitChroma();
    this.blockCount++;
    if (this.blockCount === BLOCK_FRAMES) this.emitBlock();
    this.frameIndex++;
  }

  /** RMS, band energies and centroid of the frame starting at buf[off], its chroma sums and mel powers (into this.melPow). */
  private spectrumStats(off: number): void {
    this.frameIn.set(this.buf.subarray(off, off + FFT_SIZE));
    // Power scaled so a full-scale sine has magnitude 1 in its bin (Hann coherent gain N/4).
    this.kernel.frame(POWER_NORM);
    const s = this.stats;
    this.out.rms.push(s[0]!);
    const bl = this.bandList;
    for (let i = 0; i < bl.length; i++) bl[i]![0].push(s[2 + i]!);
    this.out.centroid.push(s[1]!);
  }

  /** Frame t's log-mel (returned, from this.melPow) and the onset fluxes against frame t − FLUX_LAG. */
  private melFlux(t: number): Float64Array {
    const cur = this.logMel[t % (FLUX_LAG + 1)]!;
    for (let b = 0; b < MEL_BANDS; b++) cur[b] = Math.log1p(LOG_GAIN * Math.sqrt(this.melPow[b]!));
    if (t >= FLUX_LAG) {
      const ref = this.logMel[(t - FLUX_LAG) % (FLUX_LAG + 1)]!;
      let flux = 0;
      let low = 0;
      let high = 0;
      // The reference bands below, at and above b slide along: each is read once.
      let below = -Infinity;
      let at = ref[0]!;
      for (let b = 0; b < MEL_BANDS; b++) {
        const above = b < MEL_BANDS - 1 ? ref[b + 1]! : -Infinity;
        // SuperFlux: compare against the max of neighbouring bands to ignore vibrato.
        let r = at;
        if (below > r) r = below;
        if (above > r) r = above;
        below = at;
        at = above;
        const d = cur[b]! - r;
        if (d > 0) {
          flux += d;
          if (b < this.lowBands) low += d;
          else if (b >= this.highBand) high += d;
        }
      }
      this.out.flux.push(flux);
      this.out.fluxLow.push(low);
      this.out.fluxHigh.push(high);
    } else {
      this.out.flux.push(0);
      this.out.fluxLow.push(0);
      this.out.fluxHigh.push(0);
    }
    return cur;
  }

  /** The pooled spectra (chroma-rate spectrum, timbre) and the harmonic/percussive split of frame t. */
  private pooledFeatures(cur: Float64Array): void {
    const groupSize = MEL_BANDS / TIMBRE_DIM;
    for (let b = 0; b < SPECTRUM_DIM; b++) this.spec4[b] = this.spec4[b]! + cur[2 * b]! + cur[2 * b + 1]!;
    for (let g = 0; g < TIMBRE_DIM; g++) {
      let v = 0;
      for (let b = g * groupSize; b < (g + 1) * groupSize; b++) v += cur[b]!;
      this.timbre[g] = this.timbre[g]! + v / groupSize;
    }

    const mp = this.melPow;
    const hin = this.hpssIn;
    for (let b = 0; b < HPSS_BANDS; b++) {
      let v = 0;
      for (let j = b * HPSS_POOL; j < (b + 1) * HPSS_POOL; j++) v += mp[j]!;
      hin[b] = v;
    }
    if (this.hpss.push(hin, this.hpOut)) {
      this.out.harmonic.push(Math.sqrt(this.hpOut[0]!));
      this.out.percussive.push(Math.sqrt(this.hpOut[1]!));
    }
  }

  private emitChroma(): void {
    let s = 0;
    for (let i = 0; i < CHROMA_DIM; i++) {
      s += this.chroma4[i]!;
      this.chroma[i] = this.chroma[i]! + this.chroma4[i]!;
    }
    for (let i = 0; i < CHROMA_DIM; i++) this.out.chroma.push(s > 1e-12 ? this.chroma4[i]! / s : 0);
    this.chroma4.fill(0);
    for (let b = 0; b < SPECTRUM_DIM; b++) this.out.spectrum.push(this.spec4[b]! / (2 * CHROMA_FRAMES));
    this.spec4.fill(0);
  }

  private emitBlock(): void {
    let s = 0;
    for (let i = 0; i < CHROMA_DIM; i++) s += this.chroma[i]!;
    for (let i = 0; i < CHROMA_DIM; i++) this.out.blocks.push(s > 1e-12 ? this.chroma[i]! / s : 0);
    for (let i = 0; i < TIMBRE_DIM; i++) this.out.blocks.push(this.timbre[i]! / this.blockCount);
    this.chroma.fill(0);
    this.timbre.fill(0);
    this.blockCount = 0;
  }
}
