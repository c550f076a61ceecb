/**
 * BS.1770 integrated loudness against the EBU Tech 3341 minimum-requirement cases
 * (stereo 1 kHz tones, expected value ±0.1 LU), at 48 kHz and 44.1 kHz.
 */
import { describe, expect, it } from 'vitest';
import { integratedLoudness, kWeightingFilters } from './loudness.js';

/** Stereo 1 kHz sine segments, each [seconds, level dBFS (peak)]. */
function tones(segments: Array<[number, number]>, sampleRate: number): [Float32Array, Float32Array] {
  const total = segments.reduce((n, [s]) => n + Math.round(s * sampleRate), 0);
  const x = new Float32Array(total);
  let i = 0;
  for (const [sec, db] of segments) {
    const a = Math.pow(10, db / 20);
    for (let k = 0; k < Math.round(sec * sampleRate); k++, i++) x[i] = a * Math.sin((2 * Math.PI * 1000 * i) / sampleRate);
  }
  return [x, Float32Array.from(x)];
}

describe('integratedLoudness (EBU Tech 3341)', () => {
  it.each([48000, 44100])('case 1: 1 kHz at −23 dBFS reads −23.0 LUFS (%i Hz)', (sr) => {
    expect(integratedLoudness(tones([[20, -23]], sr), sr)).toBeCloseTo(-23, 1);
  });

  it('case 2: 1 kHz at −33 dBFS reads −33.0 LUFS', () => {
    expect(integratedLoudness(tones([[20, -33]], 48000), 48000)).toBeCloseTo(-33, 1);
  });

  it('case 3: relative gate ignores the quiet parts (−36 / −23 / −36 dBFS)', () => {
    const v = integratedLoudness(tones([[10, -36], [60, -23], [10, -36]], 48000), 48000);
    expect(Math.abs(v + 23)).toBeLessThanOrEqual(0.1);
  });

  it('case 4: absolute and relative gates together (−72 / −36 / −23 / −36 / −72 dBFS)', () => {
    const v = integratedLoudness(tones([[10, -72], [10, -36], [60, -23], [10, -36], [10, -72]], 48000), 48000);
    expect(Math.abs(v + 23)).toBeLessThanOrEqual(0.1);
  });

  it('K-weighting: the 48 kHz coefficients match BS.1770-4 Table 1/2', () => {
    const [shelf, hp] = kWeightingFilters(48000);
    expect(shelf.b0).toBeCloseTo(1.53512485958697, 10);
    expect(shelf.b1).toBeCloseTo(-2.69169618940638, 10);
    expect(shelf.a1).toBeCloseTo(-1.69065929318241, 10);
    expect(hp.a1).toBeCloseTo(-1.99004745483398, 10);
    expect(hp.a2).toBeCloseTo(0.99007225036621, 10);
  });

  it('silence and too-short input are −Infinity', () => {
    expect(integratedLoudness([new Float32Array(48000)], 48000)).toBe(-Infinity);
    expect(integratedLoudness(tones([[0.3, -10]], 48000), 48000)).toBe(-Infinity);
  });
});
