/**
 * Streaming short-time analysis: PCM chunks in, small per-frame envelopes out. Only a
 * window of samples and the envelopes (a few floats per 10 ms frame) are kept, so a
 * one-hour file analyses in bounded memory.
 */
import { fillFftTables, oddStages, type FftTables } from './fft.js';
import { FloatTrack } from './growable.js';
import { createMelBank, type MelBank } from './mel.js';
import { FRAME_ANALYZER_WASM } from './wasm/frame-analyzer-wasm.js';
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
const POWER_NORM = 1 / ((FFT_SIZE / 4) * (FFT_SIZE / 4));
// The log gain of the mel bands and the HPSS's pooling and spans are the kernel's (wasm/assembly/frame-analyzer.ts).

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

/** What the kernel (wasm/assembly/frame-analyzer.ts) exports: byte offsets into its memory, counts, and the steps. */
interface FrameKernel extends FftTables {
  init(n: number, odd: boolean, hop: number, rate: number, bands: number, weights: number, chromaFirst: number, chromaEnd: number, low: number, high: number): void;
  spectrum(scale: number): void;
  features(t: number): void;
  finish(frames: number): void;
  unstage(): void;
  STAGED_FRAMES: WebAssembly.Global;
  pitchClass: WebAssembly.Global;
  bandBins: WebAssembly.Global;
  melStart: WebAssembly.Global;
  melOffset: WebAssembly.Global;
  melWeights: WebAssembly.Global;
  melArg: WebAssembly.Global;
  logMel: WebAssembly.Global;
  perFrame: WebAssembly.Global;
  harmonic: WebAssembly.Global;
  percussive: WebAssembly.Global;
  spectrumOut: WebAssembly.Global;
  chromaOut: WebAssembly.Global;
  blocksOut: WebAssembly.Global;
  staged: WebAssembly.Global;
  stagedHp: WebAssembly.Global;
  stagedSpectrum: WebAssembly.Global;
  stagedChroma: WebAssembly.Global;
  stagedBlocks: WebAssembly.Global;
}

export class FrameAnalyzer {
  /**
   * The per-frame work runs in WebAssembly: `s2v analyze` runs it once per process, where
   * JavaScript spent most of it waiting for V8 to optimise. The same operations in the same order
   * as the JavaScript it replaced; the window, mel weights and the logs are computed here, with
   * Math: the same bits.
   */
  private readonly kernel: FrameKernel;
  /** Views on the kernel's memory: the frame in; LOG_GAIN·√(mel power) out and its log1p back in (frame t at t % 3). */
  private readonly frameIn: Float32Array;
  private readonly melArg: Float64Array;
  private readonly logMel: Float64Array[];
  /** The kernel's staging arrays and the tracks they go to: per-frame envelopes, then the others. */
  private readonly staging: Array<[Float32Array, FloatTrack, WebAssembly.Global | undefined]>;
  private readonly stagedFrames: number;
  private staged = 0;
  private readonly mel: MelBank;
  private readonly bandBins: Record<BandName, [number, number]>;
  private readonly pitchClass: Int8Array;
  /** [first, end) FFT bins that have a pitch class (60 Hz – 2 kHz). */
  private readonly chromaBins: [number, number];
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

    const lowBands = this.mel.centers.findIndex((c) => c > LOW_ONSET_HZ);
    const highBand = this.mel.centers.findIndex((c) => c > HIGH_ONSET_HZ);
    const weights = this.mel.weights.reduce((n, w) => n + w.length, 0);
    const kernel = (this.kernel = instantiate(FRAME_ANALYZER_WASM) as unknown as FrameKernel);
    const bandCount = this.bandList.length;
    kernel.init(FFT_SIZE, oddStages(FFT_SIZE), HOP, ANALYSIS_SAMPLE_RATE, bandCount, weights, this.chromaBins[0], this.chromaBins[1], lowBands, highBand);
    fillFftTables(kernel, FFT_SIZE);
    const buffer = kernel.memory.buffer;
    const f64 = (at: WebAssembly.Global, length: number) => new Float64Array(buffer, at.value as number, length);
    const f32 = (at: WebAssembly.Global, length: number) => new Float32Array(buffer, at.value as number, length);
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
    this.frameIn = f32(kernel.frame32, FFT_SIZE);
    this.melArg = f64(kernel.melArg, MEL_BANDS);
    this.logMel = Array.from({ length: FLUX_LAG + 1 }, (_, i) => new Float64Array(buffer, (kernel.logMel.value as number) + i * MEL_BANDS * 8, MEL_BANDS));
    const staged = (this.stagedFrames = kernel.STAGED_FRAMES.value as number);
    const perFrame = [this.out.rms, this.out.centroid, this.out.flux, this.out.fluxLow, this.out.fluxHigh, ...this.bandList.map(([track]) => track)];
    // Each view is as long as the kernel lays the array out (see init there); the count says how much is filled.
    this.staging = [
      ...perFrame.map((track, i): [Float32Array, FloatTrack, undefined] => [new Float32Array(buffer, (kernel.perFrame.value as number) + i * staged * 4, staged), track, undefined]),
      [f32(kernel.harmonic, staged + 16), this.out.harmonic, kernel.stagedHp],
      [f32(kernel.percussive, staged + 16), this.out.percussive, kernel.stagedHp],
      [f32(kernel.spectrumOut, (staged / CHROMA_FRAMES + 1) * SPECTRUM_DIM), this.out.spectrum, kernel.stagedSpectrum],
      [f32(kernel.chromaOut, (staged / CHROMA_FRAMES + 1) * CHROMA_DIM), this.out.chroma, kernel.stagedChroma],
      [f32(kernel.blocksOut, (Math.floor(staged / BLOCK_FRAMES) + 2) * (CHROMA_DIM + TIMBRE_DIM)), this.out.blocks, kernel.stagedBlocks],
    ];
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
    // The HPSS ring flushed with silent frames so every frame gets a harmonic/percussive value; the last block.
    this.kernel.finish(frames);
    this.unstage();
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
    this.unstage();
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
   */
  private processFrame(off: number): void {
    const t = this.frameIndex;
    this.frameIn.set(this.buf.subarray(off, off + FFT_SIZE));
    // Power scaled so a full-scale sine has magnitude 1 in its bin (Hann coherent gain N/4).
    this.kernel.spectrum(POWER_NORM);
    const cur = this.logMel[t % (FLUX_LAG + 1)]!;
    const arg = this.melArg;
    for (let b = 0; b < MEL_BANDS; b++) cur[b] = Math.log1p(arg[b]!);
    this.kernel.features(t);
    this.frameIndex++;
    if (++this.staged === this.stagedFrames) this.unstage();
  }

  /** What the kernel staged, appended to the envelope tracks. */
  private unstage(): void {
    for (const [view, track, count] of this.staging) track.append(view.subarray(0, count ? (count.value as number) : this.staged));
    this.kernel.unstage();
    this.staged = 0;
  }
}
