import { describe, expect, it } from 'vitest';
import { analyzePcm } from './analyze.js';
import { beatFMeasure, tempoError } from './beat-metrics.js';
import { meterGroove } from '../../test/fixtures/audio/meter-grooves.js';

describe('beat phase', () => {
  // The tracker alone locks onto the loud stab on the swung 8th, ⅔ of a beat late (F = 0,
  // as a swung 3/4 boogie of the beat corpus did); the bass on the beat moves it back.
  it.each([90, 120, 150])('puts a swung 3/4 boogie at %i BPM on its bass notes, not on the stabs a third of a beat off', async (bpm) => {
    const s = meterGroove({ style: 'swung-triple', bpm, durationSec: 24 });
    const f = await analyzePcm(s.pcm, { vad: false });
    expect(tempoError(bpm, f.tempo)).toBeLessThan(0.04);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
  });

  // Loud chord stabs and hats on every "and", the bass on the beats (a skank, a game-music
  // comp): the tracker alone follows the stabs, half a beat late (F = 0).
  it.each([120, 150])('puts off-beat chords at %i BPM back on the bass, half a beat earlier', async (bpm) => {
    const s = meterGroove({ style: 'offbeat-chords', bpm, durationSec: 24 });
    const f = await analyzePcm(s.pcm, { vad: false });
    expect(tempoError(bpm, f.tempo)).toBeLessThan(0.04);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
  });
});
