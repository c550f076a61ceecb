/**
 * Test-only: how alike two renders sound. A log-magnitude spectrogram (2048-point frames,
 * 50 Hz–8 kHz) with each bin's time-average removed, so the comparison is about which notes
 * and hits happen when rather than the overall tilt; similarity is the Pearson correlation
 * of the two spectrograms. 1 = identical.
 */
import { RealFFT } from '../../src/audio/fft.js';

const N = 2048;

export function spectrogram(x: Float32Array, sampleRate: number): { frames: number; bins: number; data: Float64Array } {
  const fft = new RealFFT(N);
  const lo = Math.ceil((50 * N) / sampleRate);
  const hi = Math.floor((8000 * N) / sampleRate);
  const bins = hi - lo;
  const frames = Math.floor(x.length / N);
  const data = new Float64Array(frames * bins);
  const re = new Float64Array(N / 2 + 1);
  const im = new Float64Array(N / 2 + 1);
  const frame = new Float64Array(N);
  for (let f = 0; f < frames; f++) {
    for (let i = 0; i < N; i++) frame[i] = x[f * N + i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N));
    fft.forward(frame, re, im);
    for (let b = 0; b < bins; b++) data[f * bins + b] = Math.log10(re[lo + b]! ** 2 + im[lo + b]! ** 2 + 1e-10);
  }
  for (let b = 0; b < bins; b++) {
    let m = 0;
    for (let f = 0; f < frames; f++) m += data[f * bins + b]!;
    m /= frames || 1;
    for (let f = 0; f < frames; f++) data[f * bins + b]! -= m;
  }
  return { frames, bins, data };
}

export function spectralSimilarity(a: Float32Array, b: Float32Array, sampleRate: number): number {
  const A = spectrogram(a, sampleRate).data;
  const B = spectrogram(b, sampleRate).data;
  const n = Math.min(A.length, B.length);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += A[i]! * B[i]!;
    da += A[i]! ** 2;
    db += B[i]! ** 2;
  }
  return num / Math.sqrt(da * db);
}
