/**
 * What the bilabial detector hears: log-mel spectra every 10 ms of 16 kHz mono speech,
 * relative to the track's speech level (so a quiet and a loud take look alike), stacked over
 * ±80 ms of context. A lip closure is not one spectrum but a shape in time — the formants
 * bending down into the closure, the silence or nasal murmur, then the burst — so the
 * detector sees the frames around each one.
 * The model is trained on these exact features (models/build/bilabial/), so any change here
 * means `npm run build:models`.
 */
import { RealFFT } from './fft.js';
import { applyMel, createMelBank } from './mel.js';

export const BILABIAL_RATE = 100; // feature frames per second
const SR = 16000;
const HOP = SR / BILABIAL_RATE;
const WIN = 400;
const FFT = 512;
export const BILABIAL_BANDS = 24;
/** Context frames (10 ms steps) stacked around each frame. */
export const BILABIAL_CONTEXT = [-8, -6, -4, -2, -1, 0, 1, 2, 4, 6, 8] as const;
export const BILABIAL_DIM = BILABIAL_BANDS * BILABIAL_CONTEXT.length;
/** Log-mel values below the speech level by more than this (natural log, ≈ 52 dB) read as silence. */
const FLOOR = -12;

/** Per 10-ms frame log-mel [frames, BILABIAL_BANDS], relative to the loud frames' level and scaled to ~unit range. */
export function logMelFrames(pcm16k: Float32Array): { frames: number; data: Float32Array } {
  const frames = Math.max(0, Math.floor(pcm16k.length / HOP));
  const fft = new RealFFT(FFT);
  const bank = createMelBank({ sampleRate: SR, fftSize: FFT, bands: BILABIAL_BANDS, fMin: 60, fMax: 7000 });
  const window = new Float64Array(FFT);
  for (let i = 0; i < WIN; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (WIN - 1));
  // Frame f is centred on sample f·HOP; the first and last few frames read a zero-padded copy of their span.
  const edge = new Float32Array(FFT);
  const power = new Float64Array(FFT / 2 + 1);
  const mel = new Float64Array(BILABIAL_BANDS);
  const data = new Float32Array(frames * BILABIAL_BANDS);
  const level = new Float32Array(frames);
  for (let f = 0; f < frames; f++) {
    const start = f * HOP - WIN / 2;
    if (start >= 0 && start + FFT <= pcm16k.length) fft.windowedPower(pcm16k, start, window, 1, power);
    else {
      for (let i = 0; i < FFT; i++) edge[i] = pcm16k[start + i] ?? 0;
      fft.windowedPower(edge, 0, window, 1, power);
    }
    applyMel(bank, power, mel);
    let total = 0;
    for (let b = 0; b < BILABIAL_BANDS; b++) {
      data[f * BILABIAL_BANDS + b] = Math.log(mel[b]! + 1e-10);
      total += mel[b]!;
    }
    level[f] = Math.log(total + 1e-10);
  }
  // The speech level: the 95th percentile of frame energy (robust to a few clicks).
  const ref = Float32Array.from(level).sort()[Math.floor(frames * 0.95)] ?? 0;
  for (let i = 0; i < data.length; i++) data[i] = (Math.max(FLOOR, data[i]! - ref) - FLOOR / 2) / 4;
  return { frames, data };
}

/** Context-stacked features [end − start, BILABIAL_DIM] of frames start..end (edges repeat the first/last frame). */
export function stackContext(mel: { frames: number; data: Float32Array }, start = 0, end = mel.frames): Float32Array {
  const { frames, data } = mel;
  const out = new Float32Array((end - start) * BILABIAL_DIM);
  for (let f = start; f < end; f++) {
    BILABIAL_CONTEXT.forEach((o, c) => {
      const g = Math.min(frames - 1, Math.max(0, f + o));
      out.set(data.subarray(g * BILABIAL_BANDS, (g + 1) * BILABIAL_BANDS), (f - start) * BILABIAL_DIM + c * BILABIAL_BANDS);
    });
  }
  return out;
}
