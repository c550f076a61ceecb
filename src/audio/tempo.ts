/**
 * Tempo from onset envelopes: windowed autocorrelation (computed by FFT), turned into a
 * comb-filter tempo salience on a fine lag grid, weighted by a log-normal prior around
 * 120 BPM, then a Viterbi path through the windows so the tempo may drift or change but
 * does not jitter. Several envelopes (full-band and low-band onsets) vote together: the
 * low band (kick, bass) is periodic at the beat, which breaks the tie with hi-hat 8ths.
 */
import { RealFFT } from './fft.js';

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
  const seg = new Float64Array(fftSize);
  const re = new Float64Array(fftSize / 2 + 1);
  const im = new Float64Array(fftSize / 2 + 1);
  const pw = new Float64Array(fftSize);
  const ac = new Float64Array(fftSize / 2 + 1);
  const nTau = Math.floor((maxLag - minLag) / LAG_STEP) + 1;
  const lagOf = (j: number) => minLag + j * LAG_STEP;
  const nWin = Math.max(1, Math.ceil(n / hop));
  // Salience of one window at a time: the Viterbi below consumes windows in order, so an
  // hour of audio never holds the whole windows × lags matrix.
  const sal = new Float32Array(nTau);
  const prior = new Float64Array(nTau);
  for (let j = 0; j < nTau; j++) {
    const l = Math.log2(lagOf(j) / priorLag) / priorOct;
    prior[j] = Math.exp(-0.5 * l * l);
  }
  const hann = Float64Array.from({ length: win }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / win));
  // The window's own autocorrelation: dividing by it undoes the taper's decay with lag, so
  // the 4th comb tooth counts as much as the 1st (else slow tempi lose to their doubles).
  const winAc = new Float64Array(fftSize / 2 + 1);
  for (let l = 0; l < win && l < winAc.length; l++) {
    let s = 0;
    for (let i = 0; i + l < win; i++) s += hann[i]! * hann[i + l]!;
    winAc[l] = s;
  }
  const maxUsableLag = Math.floor(win * 0.75);

  const windowSalience = (w: number): Float32Array => {
    sal.fill(0);
    const start = w * hop + (hop >> 1) - (win >> 1);
    for (const env of envelopes) {
      let mean = 0;
      let count = 0;
      for (let i = 0; i < win; i++) {
        const t = start + i;
        if (t >= 0 && t < n) {
          mean += env[t]!;
          count++;
        }
      }
      mean = count ? mean / count : 0;
      seg.fill(0);
      for (let i = 0; i < win; i++) {
        const t = start + i;
        if (t >= 0 && t < n) seg[i] = (env[t]! - mean) * hann[i]!;
      }
      fft.forward(seg, re, im);
      for (let k = 0; k <= fftSize / 2; k++) {
        const p = re[k]! * re[k]! + im[k]! * im[k]!;
        pw[k] = p;
        if (k > 0 && k < fftSize / 2) pw[fftSize - k] = p;
      }
      // The spectrum of a real even sequence is real: one more forward FFT gives the autocorrelation.
      fft.forward(pw, re, im);
      const ac0 = re[0]!;
      if (ac0 <= 1e-12) continue;
      for (let k = 0; k <= fftSize / 2; k++) ac[k] = k < maxUsableLag ? (re[k]! / ac0) * (winAc[0]! / winAc[k]!) : 0;
      for (let j = 0; j < nTau; j++) {
        const tau = lagOf(j);
        let s = 0;
        // Comb over multiples: a true beat period also repeats at 2τ, 3τ, 4τ.
        for (let k = 1; k <= COMB_TEETH; k++) s += interp(ac, k * tau);
        sal[j] = sal[j]! + Math.max(0, s / COMB_TEETH) / envelopes.length;
      }
    }
    for (let j = 0; j < nTau; j++) global[j] = global[j]! + sal[j]!;
    return sal;
  };
  const global = new Float64Array(nTau);

  // Viterbi over windows. Small steps (≤ 4 %) cost in proportion to the log change, so
  // only sustained evidence moves the path; any bigger change is one fixed-cost jump, so
  // an abrupt tempo change in the music is followed instead of smeared.
  const maxStep = 0.04;
  const penalty = 40;
  const jumpCost = 8;
  const score = new Float64Array(nTau);
  const next = new Float64Array(nTau);
  const back = nTau < 32768 ? new Int16Array(nWin * nTau) : new Int32Array(nWin * nTau);
  const logPrior = Float64Array.from(prior, (p) => Math.log(1e-6 + p));
  // log2 of every lag once: the inner loop below runs ~50 times per lag per window.
  const logLag = Float64Array.from({ length: nTau }, (_, j) => Math.log2(lagOf(j)));
  const first = windowSalience(0);
  for (let j = 0; j < nTau; j++) score[j] = Math.log(1e-3 + first[j]!) + logPrior[j]!;
  for (let w = 1; w < nWin; w++) {
    const salW = windowSalience(w);
    let jumpFrom = 0;
    for (let i = 0; i < nTau; i++) if (score[i]! > score[jumpFrom]!) jumpFrom = i;
    for (let j = 0; j < nTau; j++) {
      const tau = lagOf(j);
      const lt = logLag[j]!;
      const span = Math.ceil((tau * maxStep) / LAG_STEP);
      const lo = Math.max(0, j - span);
      const hi = Math.min(nTau - 1, j + span);
      let best = -Infinity;
      let arg = j;
      for (let i = lo; i <= hi; i++) {
        const v = score[i]! - penalty * Math.abs(logLag[i]! - lt);
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      if (score[jumpFrom]! - jumpCost > best) {
        best = score[jumpFrom]! - jumpCost;
        arg = jumpFrom;
      }
      next[j] = best + Math.log(1e-3 + salW[j]!) + logPrior[j]!;
      back[w * nTau + j] = arg;
    }
    score.set(next);
  }
  let bestJ = 0;
  for (let j = 0; j < nTau; j++) if (global[j]! * prior[j]! > global[bestJ]! * prior[bestJ]!) bestJ = j;
  const confidence = Math.min(1, Math.max(0, (2 * global[bestJ]!) / nWin));
  let j = 0;
  for (let i = 0; i < nTau; i++) if (score[i]! > score[j]!) j = i;
  const path = new Float64Array(nWin);
  for (let w = nWin - 1; w >= 0; w--) {
    path[w] = lagOf(j);
    if (w > 0) j = back[w * nTau + j]!;
  }
  const periodAt = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    const x = (t - (hop >> 1)) / hop;
    const w0 = Math.max(0, Math.min(nWin - 1, Math.floor(x)));
    const w1 = Math.min(nWin - 1, w0 + 1);
    const f = Math.max(0, Math.min(1, x - w0));
    periodAt[t] = path[w0]! * (1 - f) + path[w1]! * f;
  }
  return { periodAt, period: lagOf(bestJ), confidence };
}

function interp(a: Float64Array, x: number): number {
  const i = Math.floor(x);
  if (i + 1 >= a.length) return 0;
  const f = x - i;
  return a[i]! * (1 - f) + a[i + 1]! * f;
}
