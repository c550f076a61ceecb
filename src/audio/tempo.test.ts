/**
 * The tempo tracker's loops run in WebAssembly (wasm/assembly/tempo.ts). Its results must be bit for
 * bit those of the JavaScript it replaced, kept here as the reference (its FFTs through RealFFT, which
 * fft.test.ts holds bit for bit to the JavaScript FFT), on envelopes that take every path: steady and
 * changing tempi, swing, a silent stretch (a window skipped), a file shorter than one window, one
 * envelope or two. Checked once over the beat corpus too (317 files, both envelope sets: identical).
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/random.js';
import { RealFFT } from './fft.js';
import { estimateTempo, type TempoOptions, type TempoTrack } from './tempo.js';

const LAG_STEP = 0.25;
const COMB_TEETH = 4;

function referenceTempo(envelopes: Float32Array[], opts: TempoOptions): TempoTrack {
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
        for (let k = 1; k <= COMB_TEETH; k++) s += referenceInterp(ac, k * tau);
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

function referenceInterp(a: Float64Array, x: number): number {
  const i = Math.floor(x);
  if (i + 1 >= a.length) return 0;
  const f = x - i;
  return a[i]! * (1 - f) + a[i + 1]! * f;
}

/** A deterministic pseudo-random source (the engine's mulberry32). */
function random(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** Onset envelope at 100 frames/s: a click at every beat (the period may change), plus noise. */
function clicks(frames: number, bpmAt: (t: number) => number, seed: number, opts: { swing?: number; silentFrom?: number; silentTo?: number } = {}): Float32Array {
  const rnd = random(seed);
  const out = new Float32Array(frames);
  let next = 5;
  let i = 0;
  while (next < frames) {
    const at = Math.round(next + (i % 2 === 1 ? (opts.swing ?? 0) : 0));
    if (at < frames) out[at] += 1;
    next += (60 * 100) / bpmAt(next / 100);
    i++;
  }
  for (let t = 0; t < frames; t++) {
    out[t] += 0.15 * rnd();
    if (opts.silentFrom !== undefined && t >= opts.silentFrom && t < opts.silentTo!) out[t] = 0;
  }
  return out;
}

const same = (a: TempoTrack, b: TempoTrack) => {
  expect(b.period).toBe(a.period);
  expect(b.confidence).toBe(a.confidence);
  expect(b.periodAt.length).toBe(a.periodAt.length);
  expect(Buffer.from(b.periodAt.buffer, b.periodAt.byteOffset, b.periodAt.byteLength).equals(Buffer.from(a.periodAt.buffer, a.periodAt.byteOffset, a.periodAt.byteLength))).toBe(true);
};

describe('estimateTempo in WebAssembly', () => {
  const cases: Array<[string, Float32Array[], Partial<TempoOptions>]> = [
    ['steady 128 BPM, two envelopes', [clicks(3000, () => 128, 1), clicks(3000, () => 128, 2)], {}],
    ['an accelerando 120 → 150 BPM', [clicks(4000, (t) => 120 + t, 3)], {}],
    ['an abrupt change 90 → 140 BPM', [clicks(4000, (t) => (t < 20 ? 90 : 140), 4), clicks(4000, (t) => (t < 20 ? 90 : 140), 5)], {}],
    ['a swung 3/4 at 75 BPM', [clicks(3000, () => 75, 6, { swing: 9 })], {}],
    ['ten silent seconds in the middle', [clicks(3000, () => 100, 7, { silentFrom: 1000, silentTo: 2000 }), clicks(3000, () => 100, 8, { silentFrom: 1000, silentTo: 2000 })], {}],
    ['shorter than one window', [clicks(500, () => 110, 9)], {}],
    ['other bounds and prior', [clicks(3000, () => 170, 10)], { minBpm: 60, maxBpm: 200, priorBpm: 100, priorOctaves: 1, windowSec: 6, hopSec: 0.5 }],
  ];
  it.each(cases)('gives bit for bit what the JavaScript gave: %s', (_name, envelopes, extra) => {
    const opts = { rate: 100, ...extra };
    const got = estimateTempo(envelopes, opts);
    same(referenceTempo(envelopes, opts), got);
    // And it tracks: the steady cases end near their tempo (the period is in frames at 100 fps).
    if (_name.startsWith('steady')) expect(6000 / got.period).toBeCloseTo(128, 0);
  });

  it('repeated calls (one instance each) do not leak state into each other', () => {
    const a = [clicks(3000, () => 95, 11)];
    const b = [clicks(6000, () => 150, 12)];
    const first = estimateTempo(a, { rate: 100 });
    estimateTempo(b, { rate: 100 });
    same(first, estimateTempo(a, { rate: 100 }));
  });
});
