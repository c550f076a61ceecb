/**
 * The control table the video models read, column by column, on inputs whose answer is known
 * by hand: steady curves (normalised to 1, so smoothing leaves them exactly as they are),
 * square-wave visemes held long enough for the 20 ms smoothing to settle, beats and onsets
 * at known frames. The performer's columns are checked for what they promise: the mouth
 * follows the visemes (or the loudness without them), expressiveness scales the shapes but
 * not the lip closure, the head nods on beats and with the voice, sways more when loud.
 */
import { describe, expect, it } from 'vitest';
import type { FeaturesValue, VisemeFrames } from '../../src/engine/index.js';
import { blinkShape, blinkTimes, buildControls, normalise, secondsSince, smooth, type ControlInputs, type PerformerControls } from './controls.js';

const FPS = 24;

function features(over: Partial<FeaturesValue> = {}): FeaturesValue {
  return { kind: 'features', durationSec: 30, sampleRate: 16000, tempo: 120, tempoConfidence: 1, beats: [], downbeats: [], onsets: [], speech: [], sections: [], rate: 100, curves: {}, warnings: [], ...over };
}

const steady = (frames: number, v = 0.3) => new Float32Array(frames).fill(v);

/** Builds the table and hands back each named column as a plain array. */
function columns(names: string[], o: Partial<ControlInputs> & { frames: number }): Record<string, number[]> {
  const t = buildControls(names, { features: features(), curves: {}, fps: FPS, seed: 1, motion: 1, ...o });
  expect(t.data.length).toBe(o.frames * names.length);
  return Object.fromEntries(names.map((n, k) => [n, Array.from({ length: o.frames }, (_, i) => t.data[i * names.length + k]!)]));
}

/** A 0/1 square wave: `hold` frames off, `hold` frames on, … */
const square = (frames: number, hold: number) => Float32Array.from({ length: frames }, (_, i) => (Math.floor(i / hold) % 2 ? 1 : 0));

function visemes(frames: number, shape: Partial<Record<'jaw' | 'round' | 'spread' | 'press' | 'tuck', Float32Array>>): VisemeFrames {
  const z = () => new Float32Array(frames);
  return { names: [], weights: z(), jaw: z(), round: z(), spread: z(), press: z(), tuck: z(), ...shape };
}

const performer = (p: Partial<PerformerControls> = {}): PerformerControls => ({ expressiveness: 1, headMotion: 1, blinkRate: 1, ...p });
/** Frames in the middle of each "on" half of a square wave of period 2·hold. */
const onFrames = (frames: number, hold: number) => Array.from({ length: frames }, (_, i) => i).filter((i) => Math.floor(i / hold) % 2 === 1 && i % hold === hold / 2);
const offFrames = (frames: number, hold: number) => Array.from({ length: frames }, (_, i) => i).filter((i) => Math.floor(i / hold) % 2 === 0 && i % hold === hold / 2);
const maxAbs = (a: number[]) => Math.max(...a.map(Math.abs));

describe('normalise', () => {
  it('divides by the 98th percentile of the first `frames` values and clips to 0..1', () => {
    // 1..100: the 98th percentile is sorted[98] = 99.
    const x = Float32Array.from({ length: 100 }, (_, i) => i + 1);
    const y = normalise(x, 100);
    expect(y[49]).toBeCloseTo(50 / 99, 6);
    expect(y[98]).toBe(1);
    expect(y[99]).toBe(1);
    // The reference is a percentile, whatever the order of the values.
    const shuffled = Float32Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1);
    expect(normalise(shuffled, 100)[shuffled.indexOf(50)]).toBeCloseTo(50 / 99, 6);
    // Values past `frames` neither count for the reference nor appear.
    const longer = Float32Array.from({ length: 150 }, (_, i) => (i < 100 ? i + 1 : 1e6));
    expect(Array.from(normalise(longer, 100))).toEqual(Array.from(y));
  });
  it('a short curve reads zeros past its end; negative values clip to 0; silence and no curve are all zeros', () => {
    const y = normalise(Float32Array.from([2, -2, 2]), 5);
    expect(Array.from(y)).toEqual([1, 0, 1, 0, 0]);
    expect(Array.from(normalise(new Float32Array(4), 4))).toEqual([0, 0, 0, 0]);
    expect(Array.from(normalise(undefined, 3))).toEqual([0, 0, 0]);
    expect(Array.from(normalise(new Float32Array(0), 2))).toEqual([0, 0]);
  });
});

describe('smooth', () => {
  it('is a forward then backward one-pole filter with a = 1 − e^(−1/(fps·τ))', () => {
    const a = 1 - Math.exp(-1);
    // Forward: [0, a, a − a²]; backward from the end: y1 = y2 + a(y1 − y2), y0 = (1 − a)·y1.
    const y1 = a - a * a + a * (a - (a - a * a));
    const y = smooth(Float32Array.from([0, 1, 0]), 1, 1);
    expect(y[2]).toBeCloseTo(a - a * a, 6);
    expect(y[1]).toBeCloseTo(y1, 6);
    expect(y[0]).toBeCloseTo((1 - a) * y1, 6);
  });
  it('leaves a steady curve exactly as it is and does not touch its input', () => {
    const x = steady(10, 0.7);
    expect(Array.from(smooth(x, 24, 0.3))).toEqual(Array.from(x));
    const impulse = Float32Array.from([0, 0, 1, 0, 0]);
    smooth(impulse, 24, 0.3);
    expect(Array.from(impulse)).toEqual([0, 0, 1, 0, 0]);
  });
});

describe('secondsSince', () => {
  it('ignores events before 0 or past the last frame and does not care about their order', () => {
    const s = secondsSince([3.0, -0.2, 0.5, 9], 20, 10);
    expect(s[4]).toBe(1000); // nothing yet: a long time
    expect(s[5]).toBe(0);
    expect(s[19]).toBeCloseTo(1.4, 6); // the 3.0 s event is past frame 19
    expect(Array.from(secondsSince([1.0, 0.49], 40, 10))).toEqual(Array.from(secondsSince([0.49, 1.0], 40, 10)));
    // An event on the first frame counts.
    expect(Array.from(secondsSince([0], 3, 10)).map((x) => Number(x.toFixed(6)))).toEqual([0, 0.1, 0.2]);
  });
});

describe('blinks', () => {
  it('blink times: first after 1.2–2.7 s, then every 2–5.5 s divided by the rate, none at rate 0', () => {
    const t = blinkTimes(120, 5);
    expect(t[0]).toBeGreaterThanOrEqual(1.2);
    expect(t[0]).toBeLessThan(2.7);
    const gaps = t.slice(1).map((x, i) => x - t[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...gaps)).toBeLessThan(5.5);
    expect(t.at(-1)).toBeLessThan(120);
    expect(t.length).toBeGreaterThan(120 / 5.5);
    const fast = blinkTimes(120, 5, 2);
    expect(fast[0]).toBe(t[0]);
    gaps.forEach((g, i) => expect(fast[i + 1]! - fast[i]!).toBeCloseTo(g / 2, 9));
    expect(blinkTimes(120, 5, 0)).toEqual([]);
    expect(blinkTimes(120, 5, -1)).toEqual([]);
    expect(blinkTimes(1.1, 5)).toEqual([]);
    // Over many seeds the first blink spreads over the whole 1.2–2.7 s window.
    const firsts = Array.from({ length: 60 }, (_, seed) => blinkTimes(10, seed)[0]!);
    expect(Math.min(...firsts)).toBeLessThan(1.4);
    expect(Math.max(...firsts)).toBeGreaterThan(2.5);
  });
  it('eyelid shape: 70 ms down, 30 ms shut, 120 ms up, open otherwise', () => {
    expect([-0.01, 0, 0.035, 0.07, 0.085, 0.1, 0.16, 0.22, 0.5].map((s) => Number(blinkShape(s).toFixed(9)))).toEqual([0, 0, 0.5, 1, 1, 1, 0.5, 0, 0]);
  });
});

describe('buildControls: shared columns', () => {
  it('time, motion and the curve columns by name; "treble" falls back to "high"; unknown names read zeros', () => {
    const frames = 12;
    const hi = Float32Array.from({ length: frames }, (_, i) => i);
    const c = columns(['t', 'motion', 'treble', 'bass', 'rms', 'nothing', 'onset', 'percussive', 'vocal', 'mouth', 'brightness'], {
      frames, motion: 0.75, curves: { high: hi, bass: steady(frames, 4), onset: steady(frames, 2), percussive: steady(frames, 3), vocal: steady(frames, 5), mouth: steady(frames, 6), brightness: steady(frames, 7) },
    });
    for (const k of ['onset', 'percussive', 'vocal', 'mouth', 'brightness']) expect(c[k], k).toEqual(new Array(frames).fill(1));
    expect(c.t).toEqual(Array.from({ length: frames }, (_, i) => Math.fround(i / FPS)));
    expect(c.motion).toEqual(new Array(frames).fill(0.75));
    expect(c.treble).toEqual(Array.from(normalise(hi, frames)));
    expect(c.bass).toEqual(new Array(frames).fill(1));
    expect(c.rms).toEqual(new Array(frames).fill(0));
    expect(c.nothing).toEqual(new Array(frames).fill(0));
    // A treble curve of its own wins over "high"; an empty one does not.
    expect(columns(['treble'], { frames, curves: { treble: steady(frames), high: hi } }).treble).toEqual(new Array(frames).fill(1));
    expect(columns(['treble'], { frames, curves: { treble: new Float32Array(0), high: hi } }).treble).toEqual(c.treble);
  });

  it('event clocks: beats, downbeats, onsets and sections (a section at the very start is not a change)', () => {
    const c = columns(['sinceBeat', 'sinceDownbeat', 'sinceOnset', 'sinceSection'], {
      frames: 48, features: features({ beats: [0.5, 1.0], downbeats: [1.0], onsets: [0.25], sections: [0, 1.5] }),
    });
    expect(c.sinceBeat[12]).toBe(0);
    expect(c.sinceBeat[18]).toBeCloseTo(0.25, 6);
    expect(c.sinceDownbeat[23]).toBe(1000);
    expect(c.sinceDownbeat[24]).toBe(0);
    expect(c.sinceOnset[6]).toBe(0);
    expect(c.sinceSection[35]).toBe(1000);
    expect(c.sinceSection[36]).toBe(0);
    // A section boundary up to half a second in is the start of the track, not a change; just after it is one.
    expect(Math.min(...columns(['sinceSection'], { frames: 48, features: features({ sections: [0.5] }) }).sinceSection)).toBe(1000);
    expect(columns(['sinceSection'], { frames: 48, features: features({ sections: [0.55] }) }).sinceSection[13]).toBe(0);
  });

  it('beat sign starts at +1 and flips on every beat frame', () => {
    const c = columns(['beatSign'], { frames: 40, features: features({ beats: [0.5, 1.0, 1.25] }) });
    const at = (i: number) => c.beatSign[i];
    expect([at(0), at(11), at(12), at(23), at(24), at(29), at(30), at(39)]).toEqual([1, 1, -1, -1, 1, 1, -1, -1]);
  });

  it('camera shake: a seeded unit direction chosen at each onset and held until the next; still before the first', () => {
    const f = features({ onsets: [0.5, 1.0] });
    const c = columns(['shakeX', 'shakeY'], { frames: 36, features: f });
    expect([c.shakeX[11], c.shakeY[11]]).toEqual([0, 0]);
    for (const i of [12, 20, 24, 35]) expect(Math.hypot(c.shakeX[i]!, c.shakeY[i]!)).toBeCloseTo(1, 6);
    expect(c.shakeX[23]).toBe(c.shakeX[12]);
    expect(c.shakeY[23]).toBe(c.shakeY[12]);
    expect([c.shakeX[24], c.shakeY[24]]).not.toEqual([c.shakeX[12], c.shakeY[12]]);
    const other = columns(['shakeX'], { frames: 36, features: f, seed: 2 });
    expect(other.shakeX[12]).not.toBe(c.shakeX[12]);
    // Directions cover the whole circle: over 40 onsets every quadrant is hit.
    const many = columns(['shakeX', 'shakeY'], { frames: 400, features: features({ onsets: Array.from({ length: 40 }, (_, k) => k * 0.4) }) });
    const quadrants = new Set(many.shakeX.map((x, i) => `${Math.sign(x)},${Math.sign(many.shakeY[i]!)}`));
    for (const q of ['1,1', '-1,1', '-1,-1', '1,-1']) expect(quadrants.has(q), q).toBe(true);
  });

  it('slow loudness and brightness are the normalised curves smoothed (a steady curve stays 1)', () => {
    const frames = 48;
    const c = columns(['rmsSlow', 'brightSlow', 'rms'], { frames, curves: { rms: square(frames, 12), brightness: steady(frames) } });
    expect(c.brightSlow).toEqual(new Array(frames).fill(1));
    // Over 1.2 s a 0.5 s square wave is flattened towards its mean, without moving its timing.
    expect(Math.max(...c.rmsSlow) - Math.min(...c.rmsSlow)).toBeLessThan(0.5);
    expect(Math.max(...c.rmsSlow)).toBeGreaterThan(0.3);
  });

  it('blink clock: seconds since the seeded blink times of the clip', () => {
    const frames = 10 * FPS;
    const c = columns(['sinceBlink'], { frames, seed: 9 });
    expect(c.sinceBlink).toEqual(Array.from(secondsSince(blinkTimes(10, 9), frames, FPS)));
    expect(c.sinceBlink.filter((s) => s === 0).length).toBe(blinkTimes(10, 9).length);
  });
});

describe('buildControls: performer columns', () => {
  const LIPS = ['jaw', 'lipRound', 'lipSpread', 'lipPress', 'lipTuck', 'teeth'];
  const HEAD = ['headRoll', 'headNod', 'headSway', 'headYaw', 'headPitch'];
  const frames = 96;
  const hold = 12;

  it('the mouth follows the visemes: each shape × expressiveness, jaw up to 1.2 and the lips up to 1', () => {
    const sq = square(frames, hold);
    const v = visemes(frames, { jaw: sq, round: sq, spread: sq, press: sq, tuck: sq });
    const loudMouth = { mouth: steady(frames) }; // must be ignored when visemes exist
    const one = columns(LIPS, { frames, curves: loudMouth, performer: performer({ visemes: v }) });
    const half = columns(LIPS, { frames, curves: loudMouth, performer: performer({ visemes: v, expressiveness: 0.5 }) });
    const big = columns(LIPS, { frames, curves: loudMouth, performer: performer({ visemes: v, expressiveness: 2 }) });
    for (const i of onFrames(frames, hold)) {
      expect([one.jaw[i], one.lipRound[i], one.lipSpread[i], one.lipTuck[i]].map((x) => x!.toFixed(3))).toEqual(['1.000', '1.000', '1.000', '1.000']);
      expect([half.jaw[i], half.lipRound[i], half.lipSpread[i], half.lipTuck[i]].map((x) => x!.toFixed(3))).toEqual(['0.500', '0.500', '0.500', '0.500']);
      expect([big.jaw[i], big.lipRound[i], big.lipSpread[i], big.lipTuck[i]].map((x) => x!.toFixed(3))).toEqual(['1.200', '1.000', '1.000', '1.000']);
      // A bilabial closes the lips whatever the expressiveness.
      expect([one.lipPress[i], half.lipPress[i], big.lipPress[i]]).toEqual([1, 1, 1]);
    }
    for (const i of offFrames(frames, hold)) {
      expect(Math.abs(one.jaw[i]!)).toBeLessThan(1e-3);
      expect(half.lipPress[i]).toBe(0);
    }
  });

  it('teeth show 35 % at rest, fully when spread, and more with a tucked lip', () => {
    const on = Float32Array.from(square(frames, hold));
    const spread = columns(['teeth'], { frames, performer: performer({ visemes: visemes(frames, { spread: on }) }) }).teeth;
    const tuck = columns(['teeth'], { frames, performer: performer({ visemes: visemes(frames, { tuck: on }) }) }).teeth;
    const halfSpread = columns(['teeth'], { frames, performer: performer({ expressiveness: 0.5, visemes: visemes(frames, { spread: on }) }) }).teeth;
    for (const i of offFrames(frames, hold)) expect(spread[i]).toBeCloseTo(0.35, 3);
    for (const i of onFrames(frames, hold)) {
      expect(spread[i]).toBeCloseTo(1, 3);
      expect(tuck[i]).toBeCloseTo(0.85, 3);
      expect(halfSpread[i]).toBeCloseTo(0.675, 3);
    }
  });

  it('without visemes the jaw follows the loudness `mouth` curve (scaled by expressiveness) and the lips rest', () => {
    const mouth = square(frames, hold);
    const c = columns(LIPS, { frames, curves: { mouth }, performer: performer({ expressiveness: 0.8 }) });
    for (const i of onFrames(frames, hold)) expect(c.jaw[i]).toBeCloseTo(0.8, 3);
    for (const i of offFrames(frames, hold)) expect(c.jaw[i]).toBeCloseTo(0, 3);
    for (const k of ['lipRound', 'lipSpread', 'lipPress', 'lipTuck']) expect(maxAbs(c[k]!), k).toBe(0);
    expect(c.teeth.every((x) => Math.abs(x - 0.35) < 1e-6)).toBe(true);
  });

  it('blinks close the eyes fully at the seeded times; blink rate 0 never blinks, rate 2 blinks about twice as often', () => {
    const long = 30 * FPS;
    const blink = (rate: number) => columns(['blink'], { frames: long, seed: 3, performer: performer({ blinkRate: rate }) }).blink;
    const b1 = blink(1);
    expect(Math.max(...b1)).toBe(1);
    // Closed (> 0) only within 0.22 s after a blink start.
    const starts = blinkTimes(30, 3, 1).map((t) => Math.round(t * FPS));
    b1.forEach((v, i) => {
      if (v > 0) expect(starts.some((s) => i > s && i - s < 0.22 * FPS), `frame ${i}`).toBe(true);
    });
    const shut = (b: number[]) => b.filter((v) => v === 1).length;
    expect(shut(b1)).toBeGreaterThanOrEqual(starts.length);
    expect(maxAbs(blink(0))).toBe(0);
    expect(shut(blink(2))).toBeGreaterThan(1.5 * shut(b1));
  });

  it('head motion scales with headMotion × motion; either at 0 holds the head still', () => {
    const f = features({ beats: [0.5, 1, 1.5, 2, 2.5, 3] });
    const curves = { rms: square(frames, hold), vocal: steady(frames), brightness: steady(frames) };
    const base = columns(HEAD, { frames, features: f, curves, performer: performer() });
    const double = columns(HEAD, { frames, features: f, curves, performer: performer({ headMotion: 2 }) });
    const slow = columns(HEAD, { frames, features: f, curves, motion: 0.5, performer: performer() });
    for (const k of HEAD) {
      expect(maxAbs(base[k]!), k).toBeGreaterThan(0.02);
      base[k]!.forEach((v, i) => {
        expect(double[k]![i], `${k}[${i}]`).toBeCloseTo(2 * v, 5);
        expect(slow[k]![i], `${k}[${i}]`).toBeCloseTo(0.5 * v, 5);
      });
      expect(maxAbs(columns([k], { frames, features: f, curves, performer: performer({ headMotion: 0 }) })[k]!), k).toBe(0);
      expect(maxAbs(columns([k], { frames, features: f, curves, motion: 0, performer: performer() })[k]!), k).toBe(0);
    }
  });

  it('the head nods on each beat and, while the voice is loud, by 0.45 more', () => {
    const f = features({ beats: [0.5, 1.5, 2.5] });
    const nod = (curves: Record<string, Float32Array>) => columns(['headNod'], { frames, features: f, curves, performer: performer() }).headNod;
    const quietVoice = nod({ rms: steady(frames) });
    const singing = nod({ rms: steady(frames), vocal: steady(frames) });
    // rms and vocal normalise to 1 and their smoothed product stays 1: the voice adds exactly 0.45.
    singing.forEach((v, i) => expect(v - quietVoice[i]!).toBeCloseTo(0.45, 5));
    // The beat's nod peaks on the beat (12, 36, 60) or a frame after (it decays after the beat
    // and the smoothing is zero-phase), and has decayed by half a second later.
    for (const b of [12, 36, 60]) {
      const around = quietVoice.slice(b - 6, b + 7);
      expect(around.indexOf(Math.max(...around)) - 6).toBeGreaterThanOrEqual(0);
      expect(around.indexOf(Math.max(...around)) - 6).toBeLessThanOrEqual(1);
      expect(quietVoice[b]!).toBeGreaterThan(3 * quietVoice[b + 12]!);
    }
    // Louder beats nod more: 0.35·(0.3 + rms) at rms 1 vs rms 0.
    const silent = nod({});
    expect(quietVoice[36]! / silent[36]!).toBeCloseTo(1.3 / 0.3, 3);
  });

  it('the head rolls to alternate sides on successive beats, more when the music is loud', () => {
    const withBeats = (curves: Record<string, Float32Array>) => columns(['headRoll'], { frames, features: features({ beats: [0.5, 1.5, 2.5] }), curves, performer: performer() }).headRoll;
    const without = (curves: Record<string, Float32Array>) => columns(['headRoll'], { frames, curves, performer: performer() }).headRoll;
    const loud = { rms: steady(frames) };
    const loudDrift = without(loud);
    const beatPart = withBeats(loud).map((v, i) => v - loudDrift[i]!);
    expect(beatPart[12]).toBeLessThan(-0.2); // the first beat flips the sign to −1
    expect(beatPart[36]).toBeGreaterThan(0.2);
    expect(beatPart[60]).toBeLessThan(-0.2);
    const quietDrift = without({});
    const quietPart = withBeats({}).map((v, i) => v - quietDrift[i]!);
    // 0.4 + rmsSlow: 1.4 when loud, 0.4 in silence.
    expect(beatPart[36]! / quietPart[36]!).toBeCloseTo(1.4 / 0.4, 3);
  });

  it('slow sway, turn and pitch drift: amplitudes 0.4, 0.5 and 0.25, the first two × (0.3 + loudness)', () => {
    const long = 40 * FPS; // every drift completes a full period
    const drift = (curves: Record<string, Float32Array>, seed = 1) => columns(['headSway', 'headYaw', 'headPitch', 'headRoll'], { frames: long, seed, curves, performer: performer() });
    const loud = drift({ rms: steady(long) });
    const quiet = drift({});
    const amp = (a: number[]) => maxAbs(a);
    expect(amp(loud.headSway)).toBeCloseTo(0.4 * 1.3, 2);
    expect(amp(quiet.headSway)).toBeCloseTo(0.4 * 0.3, 2);
    expect(amp(loud.headYaw)).toBeCloseTo(0.5 * 1.3, 2);
    expect(amp(quiet.headYaw)).toBeCloseTo(0.5 * 0.3, 2);
    expect(amp(loud.headRoll)).toBeCloseTo(0.35 * 1.3, 2);
    expect(amp(quiet.headPitch)).toBeCloseTo(0.25, 2);
    // Seeded phases: another seed starts the drift elsewhere, anywhere on the circle (over 16
    // seeds each drift starts on both sides of centre).
    const other = drift({ rms: steady(long) }, 2);
    expect(other.headSway[0]).not.toBeCloseTo(loud.headSway[0]!, 3);
    const starts = Array.from({ length: 16 }, (_, seed) => columns(HEAD, { frames: 2, seed, curves: { rms: steady(2) }, performer: performer() }));
    for (const k of HEAD.filter((h) => h !== 'headNod')) {
      const signs = new Set(starts.map((c) => Math.sign(c[k]![0]!)));
      expect(signs.has(1) && signs.has(-1), k).toBe(true);
    }
    // The drifts are slow: no more than a few hundredths per frame.
    for (const k of ['headSway', 'headYaw', 'headPitch']) {
      const step = Math.max(...loud[k]!.slice(1).map((v, i) => Math.abs(v - loud[k]![i]!)));
      expect(step, k).toBeLessThan(0.03);
    }
  });

  it('with a pitch track, the voice pitch lifts the head: 0.5 per 4 semitones up to ±0.5, whatever the brightness', () => {
    const pitched = (semitones: number) => columns(['headPitch'], { frames, curves: { rms: steady(frames), vocal: steady(frames) }, performer: performer({ visemes: { ...visemes(frames, {}), pitch: new Float32Array(frames).fill(semitones) } }) }).headPitch;
    const flat = pitched(0);
    pitched(2).forEach((v, i) => expect(v - flat[i]!).toBeCloseTo(0.25, 5));
    pitched(-2).forEach((v, i) => expect(v - flat[i]!).toBeCloseTo(-0.25, 5));
    pitched(9).forEach((v, i) => expect(v - flat[i]!).toBeCloseTo(0.5, 5));
    pitched(-9).forEach((v, i) => expect(v - flat[i]!).toBeCloseTo(-0.5, 5));
  });

  it('a bright voice lifts the head by 0.25, a dark one lowers it by 0.25', () => {
    const pitch = (curves: Record<string, Float32Array>) => columns(['headPitch'], { frames, curves, performer: performer() }).headPitch;
    const silent = pitch({});
    const bright = pitch({ rms: steady(frames), vocal: steady(frames), brightness: steady(frames) });
    const dark = pitch({ rms: steady(frames), vocal: steady(frames) });
    bright.forEach((v, i) => expect(v - silent[i]!).toBeCloseTo(0.25, 5));
    dark.forEach((v, i) => expect(v - silent[i]!).toBeCloseTo(-0.25, 5));
  });
});
