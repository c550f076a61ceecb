/**
 * The sync meter and score, on hand-made inputs whose answers are worked out in the comments:
 * which pixels the meter samples, what counts as a motion peak, how far a peak may sit from
 * its beat, which beats count.
 */
import { describe, expect, it } from 'vitest';
import { MotionMeter, beatAlignment, motionPeaks, pearson, syncScore } from './sync.js';

/** A W×H RGB frame whose pixel (x, y) is f(x, y) in all three channels. */
function frame(w: number, h: number, f: (x: number, y: number) => number): Uint8Array {
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.fill(f(x, y), (y * w + x) * 3, (y * w + x) * 3 + 3);
  return out;
}

describe('MotionMeter', () => {
  it('mean absolute change of consecutive frames over a 64×64 grid of samples; the first frame is 0', () => {
    // 128 × 128: every 2nd pixel from (1, 1) is sampled.
    const m = new MotionMeter(128, 128, 4);
    m.push(frame(128, 128, () => 0));
    m.push(frame(128, 128, (x, y) => (x % 2 === 1 && y % 2 === 1 ? 30 : 0))); // every sample +30
    m.push(frame(128, 128, (x, y) => (x % 2 === 1 && y % 2 === 1 ? 30 : 200))); // only unsampled pixels change
    m.push(frame(128, 128, (x, y) => (x % 2 === 1 && y % 2 === 1 ? (x < 64 ? 40 : 30) : 0))); // half the samples +10
    expect(Array.from(m.energy)).toEqual([0, 30, 0, 5]);
  });

  it('small frames sample every pixel; frames past the count are ignored', () => {
    const m = new MotionMeter(4, 2, 2);
    m.push(frame(4, 2, () => 10));
    m.push(frame(4, 2, (x, y) => (x === 0 && y === 1 ? 18 : 10))); // 1 of 8 pixels, +8 → 1
    m.push(frame(4, 2, () => 255));
    expect(Array.from(m.energy)).toEqual([0, 1]);
  });

  it('colour channels count separately', () => {
    const m = new MotionMeter(2, 1, 2);
    m.push(new Uint8Array(6));
    m.push(Uint8Array.from([0, 0, 12, 0, 0, 0])); // one channel of one pixel: 12 / 6
    expect(m.energy[1]).toBe(2);
  });
});

describe('pearson', () => {
  it('over the common length; fewer than three values, or a flat series, is 0', () => {
    expect(pearson([1, 2, 3, 100], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2], [1, 2])).toBe(0);
    expect(pearson([1, 2, 3], [5, 5, 5])).toBe(0);
    // 1, 2, 3 against 1, 3, 2: r = 0.5.
    expect(pearson([1, 2, 3], [1, 3, 2])).toBeCloseTo(0.5, 12);
    expect(pearson([0, 0, 1, 0], [0, 1, 0, 0])).toBeCloseTo(-1 / 3, 12);
  });
});

describe('motionPeaks', () => {
  it('a frame that is the largest within ±2 frames and above the mean; the first of equal values; never frame 0', () => {
    const e = [0, 0, 5, 0, 0, 0, 4, 6, 0, 0, 0, 0, 3, 3, 0, 0];
    // mean = 21 / 16: 5 (frame 2) and 6 (frame 7) are peaks, 4 (frame 6) is beaten by 6,
    // 3 and 3 (frames 12, 13) tie: the first one counts.
    expect(motionPeaks(e, 1)).toEqual([2, 7, 12]);
    expect(motionPeaks(e, 10)).toEqual([0.2, 0.7, 1.2]);
    // A ±5 window: frame 7's 6 beats frame 2's 5 and frame 12's 3.
    expect(motionPeaks(e, 1, 5)).toEqual([7]);
    // Frame 0 is never a peak (there is no motion before it).
    expect(motionPeaks([9, 0, 0, 0], 1)).toEqual([]);
    expect(motionPeaks([9, 0, 0, 7, 0, 0], 1)).toEqual([3]);
    expect(motionPeaks([2, 2, 2, 2], 1)).toEqual([]); // nothing above the mean
    // A local maximum exactly at the mean (1 = 8 / 8) is not a peak.
    expect(motionPeaks([0, 7, 0, 0, 0, 1, 0, 0], 1)).toEqual([1]);
    expect(motionPeaks([0, 1], 1)).toEqual([1]);
    expect(motionPeaks([], 1)).toEqual([]);
  });
});

describe('beatAlignment', () => {
  it('mean over beats of exp(−d²/2σ²) to the nearest peak, σ = 0.1 s', () => {
    expect(beatAlignment([1], [1])).toBe(1);
    expect(beatAlignment([1], [0.5, 1.1, 2])).toBeCloseTo(Math.exp(-0.5), 12);
    expect(beatAlignment([1, 2], [1, 2.2])).toBeCloseTo((1 + Math.exp(-2)) / 2, 12);
    // The nearest peak, even when an earlier one is closer to the previous beat.
    expect(beatAlignment([0.5, 1, 3], [0.52, 0.9, 2.95])).toBeCloseTo((Math.exp(-0.02) + Math.exp(-0.5) + Math.exp(-0.125)) / 3, 12);
    expect(beatAlignment([1], [1.2], 0.2)).toBeCloseTo(Math.exp(-0.5), 12);
    expect(beatAlignment([], [1])).toBe(0);
    expect(beatAlignment([1], [])).toBe(0);
  });
});

describe('syncScore', () => {
  it('only beats inside the clip count; both numbers are rounded to 3 decimals', () => {
    const fps = 10;
    const energy = new Float32Array(30); // 3 s
    energy[10] = 5; // a peak at 1 s
    energy[25] = 5; // and at 2.5 s
    const onset = Array.from(energy, (v, i) => v + (i === 3 ? 1 : 0));
    const s = syncScore(energy, onset, [-1, 1, 2.5, 3, 4], fps);
    expect(s.beatAlignment).toBe(1); // the beats at −1, 3 and 4 s are outside the clip
    expect(s.onsetCorrelation).toBe(Math.round(pearson(energy, onset) * 1000) / 1000);
    expect(s.onsetCorrelation).not.toBe(pearson(energy, onset));
    expect(syncScore(energy, onset, [1.02], fps).beatAlignment).toBe(Math.round(Math.exp(-0.02) * 1000) / 1000);
    expect(syncScore(energy, onset, [0], fps).beatAlignment).toBe(Math.round(Math.exp(-50) * 1000) / 1000);
  });
});
