/**
 * Which metrical level to call "the beat". The tempo estimator's periodicity is nearly as
 * strong at half or double the notated tempo (and, in 3/4, at 2/3 of it), so the tracker
 * often locks one level off: 70 BPM read as 140, 180 read as 90, a 150 BPM waltz as 100.
 * Here the tracker runs again at the neighbouring levels and each beat sequence is judged
 * by what a beat is in most music:
 *   - every beat carries an accent: a level where every second beat is empty (only soft
 *     hats between kick and snare) is a subdivision (too fast);
 *   - the points halfway between beats carry less accent than the beats: a level whose
 *     midpoints hold kicks or snares as strong as its beats is too slow (the classic
 *     "snare falls between the beats" sign of a half-tempo reading);
 *   - beats land on strong events overall;
 *   - a broad log-normal tempo prior (the tempo estimator's) breaks what these leave open.
 * Accent is read on linear band magnitudes (kick band, body band, hats band, each scaled by
 * its own loud level and summed), not on the log-compressed onset envelope: compression
 * makes a soft hat look almost as strong as a snare. With one band per instrument family,
 * a kick on 1 and 3 and a snare on 2 and 4 both count as accents, so a backbeat level has
 * every beat accented while the 8th-note level has every other beat empty.
 * The same accents also check the phase: beats that sit on the off-beats (midpoints much
 * stronger than the beats, e.g. a loud off-beat bass) are moved by half a beat.
 */
import { trackBeats } from './beats.js';
import { median, peakAround, percentile } from './stats.js';

export interface LevelInput {
  /** Onset envelope the beat tracker follows. */
  flux: Float32Array;
  /** Beat period in frames at every frame (the tempo path). */
  periodAt: Float32Array;
  /** Linear band magnitudes per frame: kick/bass, body (snare, chords), hats/treble. */
  bands: Float32Array[];
  rate: number;
  tightness: number;
  /** Tempo prior: centre (BPM) and width (σ, octaves). */
  priorBpm?: number;
  priorOctaves?: number;
}

export interface LevelCandidate extends LevelChoice {
  score: number;
  /** The cues behind the score (see the file comment), for tuning and tests. */
  cues: { bpm: number; prior: number; weak: number; mid: number; hit: number; weak2: number; weak3: number };
}

export interface LevelChoice {
  /** Beat frames (may be fractional after a half-beat phase shift). */
  beats: number[];
  /** Tempo multiplier against the input path: 0.5, 2/3, 1, 1.5 or 2. */
  factor: number;
  /** True when the beats were moved by half a beat onto the stronger phase. */
  shifted: boolean;
}

/**
 * How much each cue counts (log-likelihood units); see the file comment. Picked on a coarse
 * grid over generated grooves and renderMusic tracks, preferring settings that keep both
 * eval-dev tracks well clear of the switch (score margin ≈ 0.75 for their own level).
 * A grid over the dev half of the human-written beat corpus (test/fixtures/audio/corpus)
 * preferred lighter accent weights (1, 1.5; dev F 0.825 → 0.857) but then read the
 * generated 70 BPM funk and 180 BPM four-on-the-floor grooves a level off; with those kept
 * right no setting beat these on the corpus, so they stay.
 */
const WEAK_BEAT_WEIGHT = 3;
const MIDPOINT_WEIGHT = 2.5;
const HIT_WEIGHT = 1;
/**
 * Tempo prior of the level choice: narrower than the tempo estimator's (0.7 octaves), so
 * the accent cues must be clear before a level far from 120 BPM wins.
 */
const PRIOR_BPM = 120;
const PRIOR_OCTAVES = 0.5;
/** Midpoint/beat accent ratios above this count no worse (one loud fill must not dominate). */
const MIDPOINT_CAP = 1.5;
/** Overriding the tracker's phase needs this much more evidence than keeping it. */
const SHIFT_COST = 1;
/** Below this weakest-phase ratio the level is suspect, and 3/2 of it (triple meter) is tried too. */
const TRIPLE_GATE = 0.5;
/** A beat position this much weaker than the strongest one counts as empty. */
const EMPTY = 0.15;
const MIN_BPM = 40;
const MAX_BPM = 240;

/**
 * Track beats at the tempo path's level and at half, double (and, when every other beat is
 * empty, 3/2) tempo, each also shifted by half a beat, and return the sequence that scores
 * best (see the file comment). Falls back to the plain tracker when there are too few beats.
 */
export function chooseBeatLevel(inp: LevelInput): LevelChoice {
  const all = levelCandidates(inp);
  let best = all[0]!;
  for (const c of all) if (c.score > best.score) best = c;
  return { beats: best.beats, factor: best.factor, shifted: best.shifted };
}

/** Every level and phase tried, scored; the first is the tempo path's own level. */
export function levelCandidates(inp: LevelInput): LevelCandidate[] {
  const { flux, periodAt, rate } = inp;
  const accent = accentEnvelope(inp.bands);
  let accentMean = 0;
  for (let i = 0; i < accent.length; i++) accentMean += accent[i]!;
  accentMean = accentMean / Math.max(1, accent.length) || 1;
  const priorBpm = inp.priorBpm ?? PRIOR_BPM;
  const priorOct = inp.priorOctaves ?? PRIOR_OCTAVES;

  type Candidate = LevelCandidate & { weak: number };
  const judge = (beats: number[], factor: number, shifted: boolean): Candidate | undefined => {
    if (beats.length < 8) return undefined;
    const st = levelStats(accent, beats);
    const ibi = beats.slice(1).map((b, i) => b - beats[i]!);
    const bpm = (60 * rate) / median(ibi);
    if (!(bpm >= MIN_BPM && bpm <= MAX_BPM) || !(st.top > 0)) return undefined;
    // A 3/2 level on duple music puts two of every three beats where nothing sounds. (In
    // triple meter beats 2 and 3 are weaker than 1, but not empty, so only emptiness counts.)
    if (factor === 1.5 && st.weak3 < EMPTY) return undefined;
    const weak = Math.max(1e-3, st.weak2);
    const mid = Math.min(MIDPOINT_CAP, st.mid / st.top);
    const hit = Math.max(1e-3, st.beat / accentMean);
    const oct = Math.log2(bpm / priorBpm) / priorOct;
    const cues = { bpm, prior: -0.5 * oct * oct, weak: WEAK_BEAT_WEIGHT * Math.log(weak), mid: -MIDPOINT_WEIGHT * mid, hit: HIT_WEIGHT * Math.log(hit), weak2: st.weak2, weak3: st.weak3 };
    const score = cues.prior + cues.weak + cues.mid + cues.hit - (shifted ? SHIFT_COST : 0);
    return { beats, factor, shifted, score, weak, cues };
  };
  const track = (factor: number) => (factor === 1 ? trackBeats(flux, periodAt, { tightness: inp.tightness }) : trackBeats(flux, periodAt.map((p) => p / factor), { tightness: inp.tightness }));

  const base = track(1);
  const first = judge(base, 1, false);
  if (!first) return [{ beats: base, factor: 1, shifted: false, score: 0, cues: { bpm: 0, prior: 0, weak: 0, mid: 0, hit: 0, weak2: 1, weak3: 1 } }];
  const factors = [0.5, 2];
  if (first.weak < TRIPLE_GATE) factors.push(1.5);
  // Beats grouped in threes with an empty position: quarter notes read in 6/8 (two eighths
  // apart, so every third one lands where no dotted-quarter beat is); 2/3 of the tempo puts
  // them on the dotted quarters. Found on the corpus's dev half (a jig at 120 for 80 BPM).
  if (first.cues.weak3 < TRIPLE_GATE) factors.push(2 / 3);
  const candidates: Candidate[] = [first];
  for (const f of factors) {
    const c = judge(track(f), f, false);
    if (c) candidates.push(c);
  }
  // Each level also at the other phase: beats on the midpoints.
  for (const c of [...candidates]) {
    const s = judge(midpoints(c.beats), c.factor, true);
    if (s) candidates.push(s);
  }
  return candidates;
}

/**
 * Sum of per-band positive magnitude steps (frame t vs t−2), each band scaled by its 99th
 * percentile so kick, snare and hats vote alike whatever the mix balance.
 */
export function accentEnvelope(bands: Float32Array[]): Float32Array {
  const n = bands[0]?.length ?? 0;
  const out = new Float32Array(n);
  const step = new Float32Array(n);
  for (const b of bands) {
    for (let t = 2; t < n; t++) step[t] = Math.max(0, b[t]! - b[t - 2]!);
    const top = percentile(step, 0.99);
    if (!(top > 1e-12)) continue;
    for (let t = 0; t < n; t++) out[t] = out[t]! + step[t]! / top;
  }
  return out;
}

/**
 * Mean peak accent (±30 ms) over all beats and over the midpoints between beats; `top` is
 * the stronger of even- and odd-numbered beats, and `weak2`/`weak3` the weakest beat
 * position relative to the strongest when beats are grouped in twos/threes (1: every
 * position accented alike; near 0: every second/third beat empty).
 */
function levelStats(accent: Float32Array, beats: number[]): { weak2: number; weak3: number; top: number; beat: number; mid: number } {
  const at = beats.map((b) => peakAround(accent, b));
  let mid = 0;
  for (let i = 1; i < beats.length; i++) mid += peakAround(accent, (beats[i]! + beats[i - 1]!) / 2);
  const grouped = (group: number) => {
    const sum = new Float64Array(group);
    const count = new Float64Array(group);
    at.forEach((v, i) => {
      sum[i % group] = sum[i % group]! + v;
      count[i % group] = count[i % group]! + 1;
    });
    return Array.from(sum, (s, k) => s / Math.max(1, count[k]!));
  };
  const two = grouped(2);
  const three = grouped(3);
  const top = Math.max(...two);
  const top3 = Math.max(...three);
  return {
    weak2: top > 0 ? Math.min(...two) / top : 0,
    weak3: top3 > 0 ? Math.min(...three) / top3 : 0,
    top,
    beat: at.reduce((a, v) => a + v, 0) / at.length,
    mid: mid / Math.max(1, beats.length - 1),
  };
}

/** The points halfway between consecutive beats (one fewer than the beats). */
function midpoints(beats: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < beats.length; i++) out.push((beats[i - 1]! + beats[i]!) / 2);
  return out;
}
