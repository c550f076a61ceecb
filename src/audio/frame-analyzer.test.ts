import { describe, expect, it } from 'vitest';
import { BANDS, FFT_SIZE, FrameAnalyzer, HOP } from './frame-analyzer.js';
import { RealFFT } from './fft.js';
import { applyMel, createMelBank } from './mel.js';
import { rng } from '../../test/fixtures/audio/synth.js';
import { StreamingHpss } from '../../test/support/sorted-window.js';

/** 1.5 s at 16 kHz: tones, noise bursts, a run of clipped samples and a lone full-scale peak. */
function signal(): Float32Array {
  const noise = rng(17);
  const x = Float32Array.from({ length: 24000 + 77 }, (_, i) => {
    const t = i / 16000;
    return 0.3 * Math.sin(2 * Math.PI * (220 + 300 * t) * t) + (t % 0.25 < 0.03 ? 0.4 * (noise() - 0.5) : 0.01 * (noise() - 0.5));
  });
  x.fill(1, 9995, 10003); // 8 pinned samples across a 1000-sample chunk boundary
  x.fill(0.9995, 12000, 12002); // 2 near full scale: not a run of 3
  x[15000] = -1;
  return x;
}

function analyse(x: Float32Array, chunk: number) {
  const fa = new FrameAnalyzer();
  for (let i = 0; i < x.length; i += chunk) fa.push(x.subarray(i, i + chunk));
  return fa.finish();
}

describe('FrameAnalyzer against a direct computation (bit for bit)', () => {
  const x = signal();
  const frames = Math.ceil(x.length / HOP);
  // Sample t of the signal at padded[t + FFT_SIZE / 2]; zeros before the start and after the end.
  const padded = new Float32Array(x.length + 2 * FFT_SIZE);
  padded.set(x, FFT_SIZE / 2);

  it.each([x.length, 1000, 777])('peak, clipped samples and rms per frame (chunks of %i)', (chunk) => {
    const env = analyse(x, chunk);
    expect(env.peak).toBe(1);
    expect(env.clippedSamples).toBe(8);
    const rms = new Float32Array(frames);
    for (let f = 0; f < frames; f++) {
      let sq = 0;
      for (let i = FFT_SIZE / 2 - HOP; i < FFT_SIZE / 2 + HOP; i++) sq += padded[f * HOP + i]! * padded[f * HOP + i]!;
      rms[f] = Math.sqrt(sq / (2 * HOP));
    }
    expect(env.rms).toEqual(rms);
  });

  it.each([x.length, 1000, 777])('SuperFlux onset envelope (chunks of %i)', (chunk) => {
    const env = analyse(x, chunk);
    const fft = new RealFFT(FFT_SIZE);
    const hann = Float64Array.from({ length: FFT_SIZE }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FFT_SIZE));
    const bank = createMelBank({ sampleRate: 16000, fftSize: FFT_SIZE, bands: 40, fMin: 30, fMax: 8000 });
    const power = new Float64Array(FFT_SIZE / 2 + 1);
    const mel = new Float64Array(40);
    const logMel: Float64Array[] = [];
    const flux = new Float32Array(frames);
    for (let f = 0; f < frames; f++) {
      fft.windowedPower(padded, f * HOP, hann, 1 / ((FFT_SIZE / 4) * (FFT_SIZE / 4)), power);
      applyMel(bank, power, mel);
      logMel.push(mel.map((v) => Math.log1p(1000 * Math.sqrt(v))));
      if (f < 2) continue;
      const [cur, ref] = [logMel[f]!, logMel[f - 2]!];
      let s = 0;
      for (let b = 0; b < 40; b++) {
        let r = ref[b]!;
        if (b > 0 && ref[b - 1]! > r) r = ref[b - 1]!;
        if (b < 39 && ref[b + 1]! > r) r = ref[b + 1]!;
        if (cur[b]! - r > 0) s += cur[b]! - r;
      }
      flux[f] = s;
    }
    expect(env.flux).toEqual(flux);
  });
  it.each([x.length, 1000, 777])('band energies, centroid and chroma per frame (chunks of %i)', (chunk) => {
    const env = analyse(x, chunk);
    const fft = new RealFFT(FFT_SIZE);
    const hann = Float64Array.from({ length: FFT_SIZE }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FFT_SIZE));
    const binHz = 16000 / FFT_SIZE;
    const edges = Object.entries(BANDS).map(([name, [lo, hi]]) => [name, Math.max(1, Math.round(lo / binHz)), Math.min(FFT_SIZE / 2, Math.round(hi / binHz))] as const);
    const bands = Object.fromEntries(edges.map(([name]) => [name, new Float32Array(frames)]));
    const centroid = new Float32Array(frames);
    const chroma: number[] = [];
    const sums = new Float64Array(12);
    const power = new Float64Array(FFT_SIZE / 2 + 1);
    for (let f = 0; f < frames; f++) {
      fft.windowedPower(padded, f * HOP, hann, 1 / ((FFT_SIZE / 4) * (FFT_SIZE / 4)), power);
      // Band energies from running sums of the power spectrum, as the analyzer documents them.
      const cum = [0];
      let num = 0;
      let den = 0;
      for (let k = 0; k < power.length; k++) {
        cum.push(cum[k]! + power[k]!);
        num += k * power[k]!;
        den += power[k]!;
      }
      for (const [name, lo, hi] of edges) bands[name]![f] = Math.sqrt(Math.max(0, cum[hi]! - cum[lo]!));
      centroid[f] = den > 1e-12 ? (num / den) * binHz : 0;
      for (let k = 1; k < power.length; k++) {
        if (k * binHz < 60 || k * binHz > 2000) continue;
        sums[(((Math.round(69 + 12 * Math.log2((k * binHz) / 440)) % 12) + 12) % 12)] += power[k]!;
      }
      if ((f + 1) % 4 === 0) {
        const s = sums.reduce((a, v) => a + v, 0);
        for (const v of sums) chroma.push(s > 1e-12 ? v / s : 0);
        sums.fill(0);
      }
    }
    expect(env.bands).toEqual(bands);
    expect(env.centroidHz).toEqual(centroid);
    expect(env.chroma).toEqual(Float32Array.from(chroma));
  });
  it.each([x.length, 1000, 777])('harmonic/percussive split, pooled spectrum and block features (chunks of %i)', (chunk) => {
    const env = analyse(x, chunk);
    const fft = new RealFFT(FFT_SIZE);
    const hann = Float64Array.from({ length: FFT_SIZE }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FFT_SIZE));
    const bank = createMelBank({ sampleRate: 16000, fftSize: FFT_SIZE, bands: 40, fMin: 30, fMax: 8000 });
    const binHz = 16000 / FFT_SIZE;
    const power = new Float64Array(FFT_SIZE / 2 + 1);
    const mel = new Float64Array(40);
    // HPSS on pairs of mel bands: a 17-frame time median, a 5-band frequency median.
    const hpss = new StreamingHpss(20, 17, 5);
    const hin = new Float64Array(20);
    const hp = new Float64Array(2);
    const [harmonic, percussive, spectrum, blocks]: number[][] = [[], [], [], []];
    const spec4 = new Float64Array(20);
    const timbre = new Float64Array(10);
    const chroma4 = new Float64Array(12);
    const chroma = new Float64Array(12);
    let blockCount = 0;
    const emitBlock = () => {
      const s = chroma.reduce((a, v) => a + v, 0);
      for (const v of chroma) blocks.push(s > 1e-12 ? v / s : 0);
      for (const v of timbre) blocks.push(v / blockCount);
      chroma.fill(0);
      timbre.fill(0);
      blockCount = 0;
    };
    const split = (bands: Float64Array) => {
      if (!hpss.push(bands, hp)) return;
      harmonic.push(Math.sqrt(hp[0]!));
      percussive.push(Math.sqrt(hp[1]!));
    };
    for (let f = 0; f < frames; f++) {
      fft.windowedPower(padded, f * HOP, hann, 1 / ((FFT_SIZE / 4) * (FFT_SIZE / 4)), power);
      applyMel(bank, power, mel);
      const cur = mel.map((v) => Math.log1p(1000 * Math.sqrt(v)));
      for (let b = 0; b < 20; b++) spec4[b] = spec4[b]! + cur[2 * b]! + cur[2 * b + 1]!;
      for (let g = 0; g < 10; g++) timbre[g] = timbre[g]! + (0 + cur[4 * g]! + cur[4 * g + 1]! + cur[4 * g + 2]! + cur[4 * g + 3]!) / 4;
      for (let b = 0; b < 20; b++) hin[b] = 0 + mel[2 * b]! + mel[2 * b + 1]!;
      split(hin);
      for (let k = 1; k < power.length; k++) {
        if (k * binHz < 60 || k * binHz > 2000) continue;
        chroma4[(((Math.round(69 + 12 * Math.log2((k * binHz) / 440)) % 12) + 12) % 12)] += power[k]!;
      }
      if ((f + 1) % 4 === 0) {
        for (let i = 0; i < 12; i++) chroma[i] = chroma[i]! + chroma4[i]!;
        chroma4.fill(0);
        for (const v of spec4) spectrum.push(v / 8);
        spec4.fill(0);
      }
      if (++blockCount === 50) emitBlock();
    }
    // Every frame gets a split: the ring is flushed with silence at the end.
    while (harmonic.length < frames) split(new Float64Array(20));
    if (blockCount > 0) emitBlock();
    expect(env.harmonic).toEqual(Float32Array.from(harmonic));
    expect(env.percussive).toEqual(Float32Array.from(percussive));
    expect(env.spectrum).toEqual(Float32Array.from(spectrum));
    expect(env.blocks).toEqual(Float32Array.from(blocks));
  });

  it('a chunk of more frames than the kernel stages at once (1024) gives the envelopes small chunks give', () => {
    const noise = rng(5);
    const long = Float32Array.from({ length: 16000 * 12 + 5 }, (_, i) => 0.2 * Math.sin(i * 0.05) + 0.1 * (noise() - 0.5));
    expect(analyse(long, long.length)).toEqual(analyse(long, 1000));
  });
});
