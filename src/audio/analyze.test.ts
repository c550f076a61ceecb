import { describe, expect, it } from 'vitest';
import { analyzePcm, CURVE_NAMES } from './analyze.js';
import { beatFMeasure, tempoError } from './beat-metrics.js';
import { clickTrack, drumPattern, rng, tone } from '../../test/fixtures/audio/synth.js';
import { groove } from '../../test/fixtures/audio/grooves.js';

const fast = { vad: false } as const;

describe('beat tracking on synthetic music', () => {
  it.each([70, 120, 150])('click track at %i BPM: tempo within 4 %, beats F ≥ 0.95', async (bpm) => {
    const s = clickTrack({ bpm, durationSec: 20 });
    const f = await analyzePcm(s.pcm, fast);
    expect(tempoError(bpm, f.tempo)).toBeLessThan(0.04);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.95);
  });

  it('follows a tempo change (100 → 130 BPM)', async () => {
    const s = clickTrack({ bpm: 100, toBpm: 130, changeAtSec: 12, durationSec: 26 });
    const f = await analyzePcm(s.pcm, fast);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.85);
    const late = f.beats.filter((b) => b > 18);
    const ibi = late.slice(1).map((b, i) => b - late[i]!).sort((a, b) => a - b);
    expect(tempoError(130, 60 / ibi[ibi.length >> 1]!)).toBeLessThan(0.04);
  });

  it.each([0.5, 0.62, 0.67])('drum pattern with swing %f: beats on quarters, not swung 8ths; downbeats on kick bars', async (swing) => {
    const s = drumPattern({ bpm: 110, durationSec: 24, swing });
    const f = await analyzePcm(s.pcm, fast);
    expect(tempoError(110, f.tempo)).toBeLessThan(0.04);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
    expect(beatFMeasure(s.downbeats, f.downbeats)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('metrical level (tempo octave)', () => {
  it.each([
    ['rock', 70],
    ['rock', 180],
    ['four-floor', 180],
    ['funk', 70],
  ] as const)('tracks a %s groove at %i BPM at the notated level, not half or double', async (style, bpm) => {
    const s = groove({ style, bpm, durationSec: 20 });
    const f = await analyzePcm(s.pcm, fast);
    expect(tempoError(bpm, f.tempo)).toBeLessThan(0.03);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
  });

  it.each([60, 180])('tracks a click on every beat at %i BPM at that level', async (bpm) => {
    const s = clickTrack({ bpm, durationSec: 16 });
    const f = await analyzePcm(s.pcm, fast);
    expect(tempoError(bpm, f.tempo)).toBeLessThan(0.03);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.95);
  });

  it('tracks a 150 BPM waltz on its quarter notes, not on every other 8th (100 BPM)', async () => {
    const s = groove({ style: 'waltz', bpm: 150, durationSec: 20 });
    const f = await analyzePcm(s.pcm, fast);
    expect(tempoError(150, f.tempo)).toBeLessThan(0.03);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('downbeats', () => {
  it('finds 3/4 bars in a waltz (bass on 1, chord stabs on 2 and 3)', async () => {
    const s = groove({ style: 'waltz', bpm: 120, durationSec: 24 });
    const f = await analyzePcm(s.pcm, fast);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
    expect(beatFMeasure(s.downbeats, f.downbeats)).toBeGreaterThanOrEqual(0.9);
    // Three beats per bar, not four.
    const perBar = f.beats.filter((b) => b >= f.downbeats[1]! - 0.05 && b < f.downbeats[2]! - 0.05).length;
    expect(perBar).toBe(3);
  });

  it.each([100, 128])('finds 4/4 bars marked only by bass-note changes (every beat alike) at %i BPM', async (bpm) => {
    const s = groove({ style: 'bass-changes', bpm, durationSec: 24 });
    const f = await analyzePcm(s.pcm, fast);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
    expect(beatFMeasure(s.downbeats, f.downbeats)).toBeGreaterThanOrEqual(0.9);
  });

  it.each([126, 140])('puts the bar on 1, not on a clap, in a techno loop over one chord (kick on every beat, claps on 2 and 4, crash every other bar) at %i BPM', async (bpm) => {
    const s = groove({ style: 'techno', bpm, durationSec: 24 });
    const f = await analyzePcm(s.pcm, fast);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
    expect(beatFMeasure(s.downbeats, f.downbeats)).toBeGreaterThanOrEqual(0.9);
  });
});

describe('curves and values', () => {
  it('gives every curve, 0..1, one value per 10 ms frame', async () => {
    const s = drumPattern({ bpm: 120, durationSec: 6 });
    const f = await analyzePcm(s.pcm, fast);
    expect(f.rate).toBe(100);
    expect(f.durationSec).toBeCloseTo(6, 2);
    for (const name of CURVE_NAMES) {
      const c = f.curves[name]!;
      expect(c, name).toHaveLength(600);
      expect(Math.min(...c), name).toBeGreaterThanOrEqual(0);
      expect(Math.max(...c), name).toBeLessThanOrEqual(1);
    }
    // Percussive energy dominates drums; a sustained tone is harmonic.
    const drums = f.curves.percussive!.reduce((a, b) => a + b, 0);
    expect(drums).toBeGreaterThan(0);
    const t = await analyzePcm(tone({ freq: 440, durationSec: 4, amp: 0.3 }), fast);
    const mid = (c: number[]) => c.slice(100, 300).reduce((a, b) => a + b, 0) / 200;
    expect(mid(t.curves.harmonic!)).toBeGreaterThan(0.5);
    expect(mid(t.curves.percussive!)).toBeLessThan(0.35);
    // Bass band lights up on kicks, not on a 3 kHz tone.
    const hi = await analyzePcm(tone({ freq: 3000, durationSec: 2, amp: 0.3 }), fast);
    const early = (c: number[]) => c.slice(20, 180).reduce((a, b) => a + b, 0) / 160;
    expect(early(hi.curves.treble!)).toBeGreaterThan(0.5);
    expect(Math.max(...hi.curves.bass!.slice(20, 180))).toBeLessThan(0.5);
    expect(early(hi.curves.brightness!)).toBeGreaterThan(early(t.curves.brightness!));
  });

  it('onsets land on the clicks', async () => {
    const s = clickTrack({ bpm: 90, durationSec: 10 });
    const f = await analyzePcm(s.pcm, fast);
    expect(beatFMeasure(s.beats, f.onsets, { skipSec: 0, windowSec: 0.05 })).toBeGreaterThan(0.95);
  });

  it('finds a section boundary where the music changes', async () => {
    const a = drumPattern({ bpm: 120, durationSec: 20 }).pcm;
    const b = tone({ freq: 330, durationSec: 20, amp: 0.4 });
    const noise = rng(9);
    const pcm = new Float32Array(a.length + b.length);
    pcm.set(a);
    for (let i = 0; i < b.length; i++) pcm[a.length + i] = b[i]! + 0.02 * noise();
    const f = await analyzePcm(pcm, fast);
    expect(f.sections.some((s) => Math.abs(s - 20) < 2)).toBe(true);
  });
});

describe('health check', () => {
  it('flags near-silence', async () => {
    const f = await analyzePcm(tone({ freq: 440, durationSec: 3, amp: 0.001 }), fast);
    expect(f.warnings.join('\n')).toMatch(/near-silent.*fix/);
  });

  it('flags clipping and an abrupt start/end', async () => {
    const pcm = tone({ freq: 200, durationSec: 3, amp: 2 }).map((x) => Math.max(-1, Math.min(1, x)));
    const w = (await analyzePcm(pcm, fast)).warnings.join('\n');
    expect(w).toMatch(/clipped/);
    expect(w).toMatch(/starts abruptly/);
    expect(w).toMatch(/ends abruptly/);
  });

  it('flags long silences but not a clean faded click track', async () => {
    const s = clickTrack({ bpm: 120, durationSec: 12 });
    s.pcm.fill(0, 4 * 16000, 8 * 16000);
    const w = (await analyzePcm(s.pcm, fast)).warnings;
    expect(w.join('\n')).toMatch(/1 long silence \([34]\.\d–8\.\d s\)/);
    expect(w.join('\n')).not.toMatch(/clipped|abruptly|near-silent/);
  });
});
