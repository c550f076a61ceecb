/**
 * The performer's head follows the voice's intonation when the pitch was measured: a rising
 * voice lifts the head (headPitch up), a falling one lowers it, and a flat voice leaves only
 * the slow drift. (controls.test.ts covers the beat, loudness and the brightness fallback.)
 */
import { describe, expect, it } from 'vitest';
import type { FeaturesValue, VisemeFrames } from '../../src/engine/index.js';
import { buildControls } from './controls.js';

const FPS = 24;
const FRAMES = 8 * FPS;
const features: FeaturesValue = { kind: 'features', durationSec: 8, sampleRate: 16000, tempo: 120, tempoConfidence: 1, beats: [], downbeats: [], onsets: [], speech: [], sections: [], rate: 100, curves: {}, warnings: [] };

function headPitch(pitch: Float32Array | undefined): number[] {
  const z = () => new Float32Array(FRAMES);
  const visemes: VisemeFrames = { names: [], weights: z(), jaw: z(), round: z(), spread: z(), press: z(), tuck: z(), pitch };
  const steady = new Float32Array(FRAMES).fill(0.5);
  const t = buildControls(['headPitch'], {
    features, curves: { rms: steady, vocal: steady, brightness: steady }, frames: FRAMES, fps: FPS, seed: 1, motion: 1,
    performer: { visemes, expressiveness: 1, headMotion: 1, blinkRate: 0 },
  });
  return Array.from(t.data);
}

/** Mean over frames [a, b). */
const mean = (x: number[], a: number, b: number) => x.slice(a, b).reduce((s, v) => s + v, 0) / (b - a);

describe('head motion follows the voice pitch', () => {
  it('4 s low then 4 s high: the head is lifted in the high half by the pitch term alone (drift cancels against a flat voice)', () => {
    const lowHigh = Float32Array.from({ length: FRAMES }, (_, i) => (i < FRAMES / 2 ? -3 : 3));
    const flat = new Float32Array(FRAMES);
    const moved = headPitch(lowHigh), still = headPitch(flat);
    const lift = (x: number[]) => mean(x, FRAMES / 2 + FPS, FRAMES - FPS) - mean(x, FPS, FRAMES / 2 - FPS);
    // 3 semitones → 0.75 of full intonation → 0.5 · 0.75 = 0.375 each way.
    expect(lift(moved) - lift(still)).toBeCloseTo(0.75, 1);
  });

  it('the pitch contour, not its sign convention, drives it: a mirrored contour mirrors the head', () => {
    const rise = Float32Array.from({ length: FRAMES }, (_, i) => -4 + (8 * i) / FRAMES);
    const fall = rise.map((v) => -v);
    const flat = headPitch(new Float32Array(FRAMES));
    const up = headPitch(rise), down = headPitch(fall);
    for (let i = FPS; i < FRAMES - FPS; i += 12) expect(up[i]! - flat[i]!).toBeCloseTo(-(down[i]! - flat[i]!), 4);
    expect(up[FRAMES - FPS]! - flat[FRAMES - FPS]!).toBeGreaterThan(0.3);
  });
});
