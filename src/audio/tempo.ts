/**
 * Tempo from onset envelopes: windowed autocorrelation (computed by FFT), turned into a
 * comb-filter tempo salience on a fine lag grid, weighted by a log-normal prior around
 * 120 BPM, then a Viterbi path through the windows so the tempo may drift or change but
 * does not jitter. Several envelopes (full-band and low-band onsets) vote together: the
 * low band (kick, bass) is periodic at the beat, which breaks the tie with hi-hat 8ths.
 *
 * The loops run in WebAssembly (wasm/assembly/tempo.ts), the FFTs in RealFFT's: this runs once
 * per `s2v analyze`, cold, where the JavaScript loops were interpreted with boxed doubles (the
 * taper's autocorrelation alone is 320 k products). The kernel does the same operations in the
 * same order and everything transcendental (the taper, the prior, the logs) is computed here
 * with Math, so the tempo path is bit for bit what the JavaScript gave (tempo.test.ts).
 */
import { RealFFT } from './fft.js';
import { TEMPO_WASM } from './wasm/tempo-wasm.js';
import { instantiate } from './wasm/instantiate.js';

export interface TempoTrack {
  /** Beat period in frames at every frame of the envelope. */
  periodAt: Float32Array;
  /** Dominant period over the whole file, frames. */
  period: number;
  /** 0..1: how periodic the envelope is at the chosen tempo. */
  confidence: number;
}

export interface TempoOptions {
  rate: number;
  minBpm?: number;
  maxBpm?: number;
  /** Centre of the tempo prior, BPM. */
  priorBpm?: number;
  /** Width (σ) of the prior in octaves. */
  priorOctaves?: number;
  windowSec?: number;
  hopSec?: number;
}

/** Lag grid step in frames: fine enough that 4 beats of drift stay well inside ±70 ms. */
const LAG_STEP = 0.25;
const COMB_TEETH = 4;

/** What the kernel exports: the layout of its memory (byte offsets, see wasm/assembly/tempo.ts) and its steps. */
interface TempoKernel {
  memory: WebAssembly.Memory;
  init(frames: number, envs: number, win: number, hop: number, nTau: number, fftSize: number, nWin: number, minLag: number, lagStep: number): void;
  taperAutocorrelation(): void;
  segment(env: number, w: number): void;
  power(): void;
  combSalience(maxUsableLag: number, teeth: number): number;
  clearSalience(): void;
  addGlobal(): void;
  step(w: number, maxStep: number, penalty: number, jumpCost: number): void;
  trace(): void;
  env: WebAssembly.Global;
  hann: WebAssembly.Global;
  seg: WebAssembly.Global;
  re: WebAssembly.Global;
  im: WebAssembly.Global;
  sal: WebAssembly.Global;
  global: WebAssembly.Global;
  logLag: WebAssembly.Global;
  logSal: WebAssembly.Global;
  logPrior: WebAssembly.Global;
  score: WebAssembly.Global;
  periodAt: WebAssembly.Global;
}

export function estimateTempo(envelopes: Float32Array[], opts: TempoOptions): TempoTrack {
  const rate = opts.rate;
  const n = envelopes[0]!.length;
  const minLag = Math.floor((60 * rate) / (opts.maxBpm ?? 240));
  const maxLag = Math.ceil((60 * rate) / (opts.minBpm ?? 40));
  const priorLag = (60 * rate) / (opts.priorBpm ?? 120);
  const priorOct = opts.priorOctaves ?? 0.7;
  const win = Math.round((opts.windowSec ?? 8) * rate);
  const hop = Math.round((opts.hopSec ?? 1) * rate);
  let fftSize = 1;
  while (fftSize < 2 * win) fftSize <<= 1;
  const fft = new RealFFT(fftSize);
  const nTau = Math.floor((maxLag - minLag) / LAG_STEP) + 1;
  const lagOf = (j: number) => minLag + j * LAG_STEP;
  const nWin = Math.max(1, Math.ceil(n / hop));
  const k = instantiate(TEMPO_WASM) as unknown as TempoKernel;
  k.init(n, envelopes.length, win, hop, nTau, fftSize, nWin, minLag, LAG_STEP);
  // Views on the kernel's memory, which `init` sized once and for all (so they never detach).
  const f64 = (at: WebAssembly.Global, len: number) => new Float64Array(k.memory.buffer, at.value as number, len);
  const f32 = (at: WebAssembly.Global, len: number) => new Float32Array(k.memory.buffer, at.value as number, len);
  const half = fftSize / 2 + 1;
  const seg = f64(k.seg, fftSize);
  const re = f64(k.re, half);
  const im = f64(k.im, half);
  const sal = f32(k.sal, nTau);
  const global = f64(k.global, nTau);
  const logSal = f64(k.logSal, nTau);
  const score = f64(k.score, nTau);
  envelopes.forEach((e, i) => f32(k.env, envelopes.length * n).set(e, i * n));
  const prior = new Float64Array(nTau);
  for (let j = 0; j < nTau; j++) {
    const l = Math.log2(lagOf(j) / priorLag) / priorOct;
    prior[j] = Math.exp(-0.5 * l * l);
  }
  f64(k.hann, win).set(Float64Array.from({ length: win }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / win)));
  // The window's own autocorrelation: dividing by it undoes the taper's decay with lag, so
  // the 4th comb tooth counts as much as the 1st (else slow tempi lose to their doubles).
  k.taperAutocorrelation();
  const maxUsableLag = Math.floor(win * 0.75);

  const windowSalience = (w: number): Float32Array => {
    k.clearSalience();
    for (let e = 0; e < envelopes.length; e++) {
      k.segment(e, w);
      fft.forward(seg, re, im);
      k.power();
      // The spectrum of a real even sequence is real: one more forward FFT gives the autocorrelation.
      fft.forward(seg, re, im);
      k.combSalience(maxUsableLag, COMB_TEETH);
    }
    k.addGlobal();
    return sal;
  };

  // Viterbi over windows. Small steps (≤ 4 %) cost in proportion to the log change, so
  // only sustained evidence moves the path; any bigger change is one fixed-cost jump, so
  // an abrupt tempo change in the music is followed instead of smeared.
  const maxStep = 0.04;
  const penalty = 40;
  const jumpCost = 8;
  const logPrior = Float64Array.from(prior, (p) => Math.log(1e-6 + p));
  f64(k.logPrior, nTau).set(logPrior);
  // log2 of every lag once: the inner loop runs ~50 times per lag per window.
  f64(k.logLag, nTau).set(Float64Array.from({ length: nTau }, (_, j) => Math.log2(lagOf(j))));
  const first = windowSalience(0);
  for (let j = 0; j < nTau; j++) score[j] = Math.log(1e-3 + first[j]!) + logPrior[j]!;
  for (let w = 1; w < nWin; w++) {
    const salW = windowSalience(w);
    for (let j = 0; j < nTau; j++) logSal[j] = Math.log(1e-3 + salW[j]!);
    k.step(w, maxStep, penalty, jumpCost);
  }
  let bestJ = 0;
  for (let j = 0; j < nTau; j++) if (global[j]! * prior[j]! > global[bestJ]! * prior[bestJ]!) bestJ = j;
  const confidence = Math.min(1, Math.max(0, (2 * global[bestJ]!) / nWin));
  k.trace();
  return { periodAt: f32(k.periodAt, n).slice(), period: lagOf(bestJ), confidence };
}
