import { describe, expect, it } from 'vitest';
import type { FeaturesValue } from '../engine/types.js';
import { curvesAtFps } from './frames.js';

function features(over: Partial<FeaturesValue> = {}): FeaturesValue {
  // A ramp: value = time in seconds / 10, at 100 Hz for 10 s.
  const ramp = Array.from({ length: 1000 }, (_, i) => i / 1000);
  const spike = Array.from({ length: 1000 }, (_, i) => (i === 503 ? 1 : 0));
  return {
    kind: 'features', durationSec: 10, sampleRate: 16000, tempo: 120, tempoConfidence: 1,
    beats: [0.5, 1, 1.5, 2], downbeats: [0.5], onsets: [0.26], speech: [], sections: [1.2], rate: 100,
    curves: { rms: ramp, onset: spike }, warnings: [], ...over,
  };
}

describe('curvesAtFps', () => {
  it('samples curves at exactly t = i / fps (upsampling interpolates)', () => {
    const c = curvesAtFps(features(), 120, 1200);
    for (const i of [0, 1, 7, 121, 1199]) expect(c.rms![i]).toBeCloseTo(Math.min(i / 120, 9.99) / 10, 5);
  });

  it('downsampling averages a centred window (no time shift) and keeps onset peaks', () => {
    const c = curvesAtFps(features(), 24, 240);
    for (const i of [1, 24, 100]) expect(c.rms![i]).toBeCloseTo(i / 24 / 10, 2);
    // The spike at 5.03 s falls in frame round(5.03 * 24) = 121.
    expect(c.onset![121]).toBe(1);
    expect(c.onset!.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('adds impulses on the nearest frame, beat phase and section index', () => {
    const c = curvesAtFps(features(), 25, 100);
    expect([...c.beat!.entries()].filter(([, v]) => v === 1).map(([i]) => i)).toEqual([13, 25, 38, 50]);
    expect(c.downbeat![13]).toBe(1);
    expect(c.onsetHit![7]).toBe(1);
    expect(c.beatPhase![25]).toBeCloseTo(0, 5);
    expect(c.beatPhase![31]).toBeCloseTo(0.48, 5);
    expect(c.beatPhase![0]).toBeCloseTo(0, 5);
    expect(c.section![29]).toBe(0);
    expect(c.section![30]).toBe(1);
    expect(c.rms).toHaveLength(100);
  });
});
