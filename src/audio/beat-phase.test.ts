import { beforeAll, describe, expect, it } from 'vitest';
import { analyzePcm } from './analyze.js';
import { lowPeakLead } from './beat-phase.js';
import { beatFMeasure, tempoError } from './beat-metrics.js';
import { grooveExcerpt } from '../../test/fixtures/audio/corpus/groove-excerpt.js';
import { freedoomExcerpt } from '../../test/fixtures/audio/corpus/wad-excerpt.js';
import { meterGroove } from '../../test/fixtures/audio/meter-grooves.js';
import { RATE } from '../../test/fixtures/audio/corpus/render.js';

const fast = { vad: false } as const;

// On a fresh machine the first groove fetches MMA (apt-get download, bounded at 180 s) and
// builds its groove database: that set-up happens here, under its own limit, so each test's
// 30 s covers only what it checks.
const BONEYM = { lib: 'stdlib/boneym', groove: 'BoneyM', bpm: 125 };
const AFRO01 = { lib: 'zoom/afro', groove: 'AFRO01', bpm: 110 };
const SAMBA02 = { lib: 'zoom/samba', groove: 'SAMBA02', bpm: 100 };
const AFRO03 = { lib: 'zoom/afro', groove: 'AFRO03', bpm: 110 };
const LATN12 = { lib: 'zoom/latin', groove: 'LATN12', bpm: 110 };
const AFRO06 = { lib: 'zoom/afro', groove: 'AFRO06', bpm: 110 };
const FUNK11 = { lib: 'zoom/funk', groove: 'FUNK11', bpm: 105 };
const SAMBA02_85 = { lib: 'zoom/samba', groove: 'SAMBA02', bpm: 85 };
const SHFL04_94 = { lib: 'zoom/shuffle', groove: 'SHFL04', bpm: 94 };
const FUNK11_89 = { lib: 'zoom/funk', groove: 'FUNK11', bpm: 89 };
let grooves: Map<string, ReturnType<typeof grooveExcerpt>>;
beforeAll(() => {
  grooves = new Map([BONEYM, AFRO01, SAMBA02, AFRO03, LATN12].map((g) => [g.groove, grooveExcerpt(g, 24)]));
  // Rendered as the corpus renders it (30 s, synthesised at its rate): the decision sits near its margin.
  for (const g of [AFRO06, FUNK11]) grooves.set(g.groove, grooveExcerpt(g, 30, RATE));
  grooves.set('SAMBA02@85', grooveExcerpt(SAMBA02_85, 30, RATE));
  grooves.set('SHFL04@94', grooveExcerpt(SHFL04_94, 30, RATE));
  grooves.set('FUNK11@89', grooveExcerpt(FUNK11_89, 30, RATE));
}, 600_000);

/** Beat F of the analysis of one of the grooves rendered above, against its reference beats. */
async function grooveF(name: string): Promise<number> {
  const s = grooves.get(name)!;
  return beatFMeasure(s.beats, (await analyzePcm(s.pcm, fast)).beats);
}

describe('beat phase on grooves whose loudest hits are off the beat', () => {
  // MMA's BoneyM disco groove: bass on every 8th, open and closed hats loudest on the
  // "ands", the snare on 2 and 4. Phase chosen by the bass accent behind a fixed shift cost,
  // the tracker stayed on the hats, half a beat late (F = 0 in the beat corpus's dev half).
  it('puts a human-written disco groove (MMA BoneyM, 125 BPM) on its beats, not on the open hats', async () => {
    const s = grooves.get(BONEYM.groove)!;
    const f = await analyzePcm(s.pcm, fast);
    expect(tempoError(125, f.tempo)).toBeLessThan(0.04);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
  }, 30_000);

  // Generated counterparts of the same failure modes (off-beat snare and hat, a disco
  // octave bass under open hats on the "ands", funk kicks on two "ands" of four): each must
  // keep its phase at a tempo where its level is read right.
  it.each(['offbeat-snare', 'disco', 'syncopated-kick'] as const)('keeps a generated %s groove at 120 BPM on the beat', async (style) => {
    const s = meterGroove({ style, bpm: 120, durationSec: 24 });
    const f = await analyzePcm(s.pcm, fast);
    expect(tempoError(120, f.tempo)).toBeLessThan(0.04);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.9);
  });

  // The same funk groove at 150 BPM is read at half tempo. Tracked on its own, the half
  // level locked onto the "ands" (F = 0), where no shift of that level reaches a beat; taken
  // as every other beat of the phase-settled grid it holds half the beats.
  it('never puts a generated funk groove at 150 BPM wholly off the beat, whatever level it is read at', async () => {
    const s = meterGroove({ style: 'syncopated-kick', bpm: 150, durationSec: 24 });
    const f = await analyzePcm(s.pcm, fast);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.6);
  });

  // MMA's zoom AFRO01 (drums only, 16th-note hats and toms around the kick): its beats
  // grouped in pairs look uneven, so 3/2 of the tempo was tried and won (F = 0: that grid
  // meets the beat only every other beat); a 3/2 level must now win clearly.
  it('tracks a human-written afro drum groove (MMA zoom AFRO01, 110 BPM) at its level, not at 3/2 of it', async () => {
    expect(await grooveF(AFRO01.groove)).toBeGreaterThanOrEqual(0.6);
  }, 30_000);
});

describe('beat phase: third-beat shifts', () => {
  // MMA's zoom SAMBA02 (drums only, 16th-note patterns, a dev excerpt of the beat corpus): the
  // grid a third of a beat off won at its level, and half tempo taken on that grid met no beat
  // (F = 0). Its half-beat points are busier than its third-beat ones (a beat divided in two),
  // so a third-beat shift no longer competes. AFRO03 beside it must keep its partial credit (it
  // went to F = 0 when the half level's phase margin read thirds the same way).
  it('never puts a drums-only samba groove (MMA zoom SAMBA02, 100 BPM) wholly off the beat, nor the afro groove AFRO03', async () => {
    for (const g of [SAMBA02, AFRO03]) {
      expect(await grooveF(g.groove), g.groove).toBeGreaterThanOrEqual(0.6);
    }
  }, 60_000);

  // MMA's zoom SHFL04 (drums only, a dev groove of the beat corpus) at 94 BPM, 0.85 of its corpus
  // tempo: read at half tempo, where the phase cues took a third-beat shift (F = 0). The learned cue
  // takes the tracked grid over it, so the shift no longer stands; the swung 3/4 grooves that need
  // one keep it (metrical-level.test.ts).
  it('keeps a drums-only shuffle groove (MMA zoom SHFL04, 94 BPM) off a third-beat shift the learned cue does not take', async () => {
    expect(await grooveF('SHFL04@94')).toBeGreaterThanOrEqual(0.6);
  }, 30_000);

  // Freedoom's D_E3M4 from 60 s (a dev excerpt of the beat corpus, 140 BPM) is read at half tempo,
  // and there a ⅔-beat shift won on a cost half that of a ½-beat shift (F = 0). On the corpus a
  // third-beat shift was chosen five times and never right; at cost 1.5 the half level keeps its
  // phase (F ≈ 0.66), and the swung 3/4 grooves that need the shift still get it
  // (metrical-level.test.ts).
  it('keeps a Freedoom song read at half tempo (D_E3M4 from 60 s) on its beats, not a third of a beat off', async () => {
    const s = freedoomExcerpt('freedoom1', 'D_E3M4', 60);
    const f = await analyzePcm(s.pcm, fast);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.6);
  }, 600_000);
});

describe('beat phase: the double level', () => {
  // The same samba groove at 85 BPM is read at double tempo, rightly on its beats and their "ands";
  // the phase was then chosen again at that level, where half a beat is a 16th of the groove, and
  // moved onto its 16ths (.25 and .75 of the beat, 176 ms from every beat: F = 0). The double
  // level keeps the tracked level's phase.
  it('keeps a drums-only samba groove read at double tempo (MMA zoom SAMBA02, 85 BPM) on its beats and "ands", not on its 16ths', async () => {
    expect(await grooveF('SAMBA02@85')).toBeGreaterThanOrEqual(0.6);
  }, 30_000);
});

describe('beat phase: the learned fail-safe', () => {
  // MMA's zoom LATN12 (drums only, a dev excerpt of the beat corpus): the phase cues lean towards
  // the grid half a beat away but by less than the cost of moving (F = 0 as tracked); the learned
  // beat cue (beat-activation.ts) prefers that grid too, so the beats are reported with their
  // midpoints (F ≈ 0.66). The shipped net was trained on the dev half, this excerpt included: the
  // leave-one-line-out figures are in models/build/beatnet/loso.ts's output and metrical-level.ts.
  it('never puts a drums-only latin groove (MMA zoom LATN12, 110 BPM) wholly off the beat', async () => {
    expect(await grooveF(LATN12.groove)).toBeGreaterThanOrEqual(0.6);
  }, 30_000);
});

describe('beat phase: the low-band fail-safe', () => {
  // A bass band with a loud kick on the "and" of every other beat and soft notes on every beat:
  // on the beats' grid the loudest low attack sits between its points (negative lead), on the
  // "ands'" grid it sits on them.
  it('reads where the loudest low attack of each two beats falls', () => {
    const bass = new Float32Array(4000);
    const hit = (f: number, level: number) => {
      for (let t = f; t < f + 8; t++) bass[t] = Math.max(bass[t]!, level * Math.exp(-(t - f) / 4));
    };
    for (let b = 0; b < 70; b++) {
      hit(40 + 50 * b, 0.3);
      if (b % 2 === 0) hit(65 + 50 * b, 1);
    }
    const beats = Array.from({ length: 70 }, (_, b) => 40 + 50 * b);
    expect(lowPeakLead(bass, beats)).toBeLessThan(-1);
    expect(lowPeakLead(bass, beats.map((b) => b + 25))).toBeGreaterThan(1);
  });

  // Freedoom's D_E2M9 from 60 s (a dev excerpt of the beat corpus, 6/8 at 80 dotted quarters a
  // minute, a kick on every 16th): tracked at its tempo half a beat off, where the phase cues and
  // the learned cue both keep it (F = 0). The loudest low-band attack of each two beats falls
  // between the tracked beats (beat-phase.ts lowPeakLead, −0.41), so the beats are reported with
  // their midpoints (F ≈ 0.66).
  it('never puts a Freedoom song whose loudest kicks fall between its tracked beats (D_E2M9 from 60 s) wholly off the beat', async () => {
    const s = freedoomExcerpt('freedoom1', 'D_E2M9', 60);
    const f = await analyzePcm(s.pcm, fast);
    expect(beatFMeasure(s.beats, f.beats)).toBeGreaterThanOrEqual(0.6);
    // Listed with their midpoints, so the tempo said is the beat's (80), not the list's.
    expect(f.beatsWithMidpoints).toBe(true);
    expect(tempoError(80, f.tempo)).toBeLessThan(0.04);
  }, 600_000);
});

describe('beat phase: the sub-beat check', () => {
  // MMA's zoom AFRO06 (drums only, from the beat corpus's fourth groove set, dev): hats on every 16th and a
  // kick only on the "and" of 2, read at half tempo on the "ands" (F = 0), with the phase cues, the learned
  // fail-safe and the low-band fail-safe all keeping that grid. Its points a quarter of its beat away are far
  // busier than its half-beat points, and the learned beat cue takes the grid moved by a quarter for the beat
  // (by 0.60, over a margin of 0.3), so the beats move there: the true beats at half tempo (F ≈ 0.65). Rendered
  // at 16 kHz, or cut to 24 s, the net's preference falls under the margin and the grid stays (F = 0).
  it('never puts a drums-only afro groove read at half tempo on the "ands" (MMA zoom AFRO06, 110 BPM) wholly off the beat', async () => {
    expect(await grooveF(AFRO06.groove)).toBeGreaterThanOrEqual(0.6);
  }, 30_000);

  // MMA's zoom FUNK11 (drums only, fourth groove set, dev): kicks on 1 and on the 16th before 2, 3 and 4
  // (written .8 of a beat), hats on every 16th; tracked at its tempo on those 16ths, 0.2 beat early (F = 0).
  // Its grid's alternate points look alike to the learned cue (1.17), which takes the grid a quarter later
  // for the beat (by 0.62): the beats (F ≈ 0.96).
  it('tracks a drums-only funk groove whose kicks fall on the 16th before the beat (MMA zoom FUNK11, 105 BPM) on its beats', async () => {
    expect(await grooveF(FUNK11.groove)).toBeGreaterThanOrEqual(0.9);
  }, 30_000);

  // The same groove at 89 BPM (its tempo variant in the corpus's fifth set) is also tracked on the .8
  // before each beat, but there the learned cue takes the grid moved by a fifth of a beat and not the
  // one moved by a quarter: the 16ths of the zoom set sit at .2 and .8 of the beat.
  it('tracks the same funk groove at 89 BPM on its beats, its 16th written at .8 of the beat', async () => {
    expect(await grooveF('FUNK11@89')).toBeGreaterThanOrEqual(0.9);
  }, 30_000);
});
