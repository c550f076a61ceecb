import { describe, expect, it } from 'vitest';
import { STYLE } from '../../models/build/layout.js';
import { blinkTimes, buildControls, normalise, secondsSince, smooth } from './controls.js';
import { styleFromPrompt, styleVector } from './style.js';
import { beatAlignment, motionPeaks, pearson, syncScore } from './sync.js';

describe('style lexicon', () => {
  it('maps known words, ignores unknown ones; the first word to set a slot wins', () => {
    const s = styleFromPrompt('A street in the RAIN at night, then neon and bokeh!', 3);
    expect(s.matched).toEqual(['rain', 'night', 'neon', 'bokeh']);
    expect(s.particles.kind).toBe('rain'); // the user's word beats a scene word added later
    expect(s.palette).toEqual(styleFromPrompt('night', 3).palette);
    expect(styleFromPrompt('frantic. gentle lateral slide', 0).motion).toBe(styleFromPrompt('frantic', 0).motion);
    expect(styleFromPrompt('qwerty zxcv', 3)).toEqual(styleFromPrompt('', 3));
    expect(styleFromPrompt('sparks', 0).particles.kind).toBe('sparks');
    expect(styleFromPrompt('frantic', 0).motion).toBeGreaterThan(styleFromPrompt('gentle', 0).motion * 2);
  });
  it('monochrome grades win wherever they appear; other words keep palette and particles', () => {
    for (const prompt of ['rainy neon street at night, noir, frantic', 'noir neon rain', 'neon vivid rain. Moody neon rim light, black-and-white']) {
      const s = styleFromPrompt(prompt, 0);
      expect(s.saturation, prompt).toBe(0);
      expect(s.contrast, prompt).toBeGreaterThan(1);
      expect(s.particles.kind, prompt).toBe('rain');
    }
    const neonNoir = styleFromPrompt('neon noir', 0);
    expect(neonNoir.palette).toEqual(styleFromPrompt('neon', 0).palette); // neon accents survive
    expect(neonNoir.gain).toEqual([1, 1, 1]);
  });
  it('fast words scale camera motion, not the local ripple', () => {
    expect(styleFromPrompt('frantic', 0).shimmer).toBe(styleFromPrompt('', 0).shimmer);
    expect(styleFromPrompt('chaotic', 0).shimmer).toBe(styleFromPrompt('', 0).shimmer);
    expect(styleFromPrompt('frantic', 0).motion).toBeGreaterThan(1.5);
  });
  it('packs the vector in manifest order; seeds change only the seed slots', () => {
    const a = styleVector(styleFromPrompt('sunset', 1), STYLE);
    const b = styleVector(styleFromPrompt('sunset', 2), STYLE);
    expect(a.length).toBe(STYLE.length);
    const differing = STYLE.filter((_, i) => a[i] !== b[i]);
    expect(differing).toEqual(['seedA', 'seedB', 'seedC']);
  });
});

describe('controls', () => {
  it('seconds since events snap to the nearest frame', () => {
    const s = secondsSince([0.49, 1.0], 40, 10);
    expect(s[4]).toBeGreaterThan(100);
    expect(s[5]).toBe(0);
    expect(s[7]).toBeCloseTo(0.2);
    expect(s[10]).toBe(0);
  });
  it('normalises by the 98th percentile and smooths without lag', () => {
    const x = Float32Array.from({ length: 100 }, (_, i) => (i === 50 ? 10 : 1));
    expect(Math.max(...normalise(x, 100))).toBe(1);
    const y = smooth(Float32Array.from({ length: 101 }, (_, i) => (i === 50 ? 1 : 0)), 10, 0.5);
    expect(y.indexOf(Math.max(...y))).toBe(50);
    expect(y[40]).toBeCloseTo(y[60]!, 5);
  });
  it('fills the table by name, with seeded blinks', () => {
    const features = { kind: 'features', durationSec: 4, sampleRate: 16000, tempo: 120, tempoConfidence: 1, beats: [0.5, 1, 1.5], downbeats: [0.5], onsets: [0.5, 1.25], speech: [], sections: [0], rate: 100, curves: {}, warnings: [] } as const;
    const t = buildControls(['t', 'sinceBeat', 'beatSign', 'motion', 'unknown'], { features: { ...features, beats: [...features.beats], downbeats: [...features.downbeats], onsets: [...features.onsets], speech: [], sections: [0], warnings: [] }, curves: {}, frames: 48, fps: 12, seed: 1, motion: 0.5 });
    expect(t.data.length).toBe(48 * 5);
    expect(t.data[6 * 5 + 1]).toBe(0); // beat at 0.5 s = frame 6
    expect(t.data[6 * 5 + 2]).toBe(-t.data[12 * 5 + 2]!); // sign flips each beat
    expect(t.data[3]).toBe(0.5);
    expect(blinkTimes(60, 1)).toEqual(blinkTimes(60, 1));
    expect(blinkTimes(60, 1)).not.toEqual(blinkTimes(60, 2));
  });
});

describe('sync score', () => {
  it('peaks on beats align; random peaks do not', () => {
    const fps = 24;
    const beats = Array.from({ length: 20 }, (_, i) => 0.5 + i * 0.5);
    const onBeat = new Float32Array(300);
    for (const b of beats) onBeat[Math.round(b * fps)] = 10;
    expect(beatAlignment(beats, motionPeaks(onBeat, fps))).toBeGreaterThan(0.95);
    const offBeat = new Float32Array(300);
    for (const b of beats) offBeat[Math.round((b + 0.25) * fps)] = 10;
    expect(beatAlignment(beats, motionPeaks(offBeat, fps))).toBeLessThan(0.1);
    const s = syncScore(onBeat, onBeat, beats, fps);
    expect(s.onsetCorrelation).toBe(1);
  });
  it('pearson is scale-free and signed', () => {
    expect(pearson([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(pearson([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0);
  });
});
