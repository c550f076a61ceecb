import { describe, expect, it } from 'vitest';
import { analyzePcm } from './analyze.js';
import { beatFMeasure, tempoError } from './beat-metrics.js';
import { meterGroove } from '../../test/fixtures/audio/meter-grooves.js';

describe('beat phase', () => {
  // The tracker alone locks onto the loud stab on the swung 8th, ⅔ of a beat late (F = 0,
  // as a swung 3/4 boogie of the beat corpus did); the bass on the beat moves it back.
  it.each([90, 120])('puts a swung 3/4 boogie at %i BPM on its bass notes, not on the stabs a third of a beat off', async (bpm) => {
    const s = meterGroove({ style: 'swung-triple', bpm, durationSec: 24 });
    const f = await analyzePcm(s.pcm, { vad: false });
    expect(tempoError(bpm, f.tempo)).toBeLessThan(0.04);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
  });
});
