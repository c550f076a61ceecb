/**
 * accentEnvelope's loops run in WebAssembly (wasm/assembly/beat-accent.ts). The envelope must be bit
 * for bit the JavaScript's, kept here as the reference: one band or several, bands that are silent
 * (skipped), step-shaped, noisy, with a NaN, shorter than the first, and the analysis' own band
 * magnitudes of a generated groove.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/random.js';
import { accentEnvelope } from './beat-accent.js';
import { FrameAnalyzer } from './frame-analyzer.js';
import { percentile } from './stats.js';
import { meterGroove } from '../../test/fixtures/audio/meter-grooves.js';

function referenceAccent(bands: Float32Array[]): Float32Array {
  const n = bands[0]?.length ?? 0;
  const out = new Float32Array(n);
  const step = new Float32Array(n);
  for (const b of bands) {
    for (let t = 2; t < n; t++) step[t] = Math.max(0, b[t]! - b[t - 2]!);
    const top = percentile(step, 0.99);
    if (!(top > 1e-12)) continue;
    for (let t = 0; t < n; t++) out[t] = out[t]! + step[t]! / top;
  }
  return out;
}

describe('accentEnvelope in WebAssembly against the JavaScript it replaced (bit for bit)', () => {
  const rng = new Rng(5);
  const noise = (n: number, scale = 1) => Float32Array.from({ length: n }, () => scale * rng.next() ** 3);
  const withNaN = noise(800);
  withNaN[300] = Number.NaN;
  const cases: Array<[string, Float32Array[]]> = [
    ['no band', []],
    ['one noisy band', [noise(3000)]],
    ['three bands of different loudness', [noise(3000, 1e-3), noise(3000), noise(3000, 1e4)]],
    ['a silent band among others', [noise(2000), new Float32Array(2000), noise(2000, 0.1)]],
    ['a band that only steps up', [Float32Array.from({ length: 1000 }, (_, t) => Math.floor(t / 100))]],
    ['a band with a NaN', [withNaN, noise(800)]],
    ['a second band shorter than the first', [noise(500), noise(300)]],
    ['a second band longer than the first', [noise(300), noise(500)]],
    ['two frames', [Float32Array.of(1, 2)]],
    ['steps of few sizes (ties everywhere)', [Float32Array.from({ length: 3000 }, () => Math.floor(rng.next() * 4))]],
    ['NaNs in 3 % of the frames (the percentile is one)', [Float32Array.from({ length: 2000 }, () => (rng.chance(0.03) ? Number.NaN : rng.next()))]],
    ['a long band (percentile of every step-th sample)', [noise(45001)]],
  ];
  it.each(cases)('%s', (_, bands) => {
    expect(accentEnvelope(bands)).toEqual(referenceAccent(bands));
  });

  it("the analysis' own bands of a generated groove, alone and together", () => {
    const g = meterGroove({ style: 'syncopated-kick', bpm: 110, durationSec: 20 });
    const fa = new FrameAnalyzer(20);
    fa.push(g.pcm);
    const e = fa.finish();
    const bands = [e.bands.bass, e.bands.mid, e.bands.treble];
    expect(accentEnvelope(bands)).toEqual(referenceAccent(bands));
    for (const b of bands) expect(accentEnvelope([b])).toEqual(referenceAccent([b]));
  });
});
