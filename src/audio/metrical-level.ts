/**
 * Which metrical level to call "the beat", and on which phase. The tempo estimator's
 * periodicity is nearly as strong at half or double the notated tempo (and, in 3/4 or 6/8,
 * at 2/3, 3/2 or 1/3 of it), so the tracker often locks one level off: 70 BPM read as 140,
 * 180 read as 90, a 150 BPM waltz as 100. It also locks onto loud events between the beats:
 * off-beat chords half a beat late, or in swing the stab on the swung 8th, ⅔ of a beat late.
 *
 * Two decisions, each on cues that hold in most music:
 *   1. Level: the tracker runs at the tempo path's level (and, when the beats group
 *      unevenly, at 3/2, 2/3 and 1/3 of it); half and double tempo are every other beat and
 *      the beats with their midpoints, after the phase of the tracked beats is settled
 *      (decision 2); each candidate also moved by half a beat, and
 *      - every beat carries an accent: a level where every second beat is empty (only soft
 *        hats between kick and snare) is a subdivision (too fast);
 *      - the points halfway between beats carry less accent than the beats: a level whose
 *        midpoints hold kicks or snares as strong as its beats is too slow;
 *      - beats land on strong events overall;
 *      - a broad log-normal tempo prior (the tempo estimator's) breaks what these leave open.
 *   2. Phase, at the chosen level only: the tracked beats and the same grid moved by ½, ⅓
 *      and ⅔ of a beat compete on where the bass (kick, bass notes) falls — the bass plays on
 *      the beat far more often than between beats, whatever the hats and chords do. Decided
 *      after the level, because at a wrong level the bass picks the phase that makes that
 *      level look right (a 180 BPM rock beat read at 90 on its kicks).
 * Accent is read on linear band magnitudes (kick band, body band, hats band, each scaled by
 * its own loud level and summed), not on the log-compressed onset envelope: compression
 * makes a soft hat look almost as strong as a snare. With one band per instrument family,
 * a kick on 1 and 3 and a snare on 2 and 4 both count as accents, so a backbeat level has
 * every beat accented while the 8th-note level has every other beat empty.
 */
import { trackBeats } from './beats.js';
import { accentEnvelope, between, decimate, lagCorrelation, meanPeak } from './beat-accent.js';
import { preferOver, shippedBeatNet, type BeatNet } from './beat-activation.js';
import { choosePhase, lowPeakLead, type PhaseInput } from './beat-phase.js';
import { mean, median, peakAround } from './stats.js';

export interface LevelInput extends Omit<PhaseInput, 'flux'> {
  /** Onset envelope the beat tracker follows (and the phase choice reads). */
  flux: Float32Array;
  /** Beat period in frames at every frame (the tempo path). */
  periodAt: Float32Array;
  /** Linear band magnitudes per frame: kick/bass first, then body (snare, chords), hats/treble. */
  bands: Float32Array[];
  rate: number;
  tightness: number;
  /** Tempo prior: centre (BPM) and width (σ, octaves). */
  priorBpm?: number;
  priorOctaves?: number;
  /** The learned beat cue of the phase fail-safe: the shipped one unless given; null leaves it out. */
  beatNet?: BeatNet | null;
}

/** The cues behind a candidate's scores (see the file comment), for tuning and tests. */
export interface LevelCues {
  bpm: number;
  /** Log tempo prior. */
  prior: number;
  /** log of the weakest beat position (beats in pairs) over the strongest. */
  weak: number;
  /** Midpoint accent over beat accent (capped). */
  mid: number;
  /** log of the beat accent over the mean accent. */
  hit: number;
  /** Weakest beat position over the strongest, beats in pairs / in threes. */
  weak2: number;
  weak3: number;
}

export interface LevelChoice {
  /** Beat frames (may be fractional after a phase shift). */
  beats: number[];
  /** Tempo multiplier against the input path: 1/3, 0.5, 2/3, 1, 1.5 or 2 (¾ of one of these after the ¾ check). */
  factor: number;
  /** Fraction of a beat the tracked beats were moved by: 0, ⅓, ½ or ⅔, plus ¼, ¾, ⅕ or ⅘ after the sub-beat check (mod 1). */
  shift: number;
  /** The phase fail-safe's grid: the chosen level's beats (even indices) with their midpoints. */
  midpoints?: true;
}

export interface LevelCandidate extends LevelChoice {
  /** Level score (decision 1). */
  score: number;
  cues: LevelCues;
}

/**
 * How much each cue counts (log-likelihood units). The level weights were picked on a
 * coarse grid over generated grooves and renderMusic tracks, keeping both eval-dev tracks
 * well clear of the switch; a grid over the dev half of the beat corpus
 * (test/fixtures/audio/corpus) found none better that kept the generated grooves at their
 * level. The half-vs-phase weight and the 3/2 cost (see levelCandidates) were set on that
 * dev half: anywhere in 0.2–1 and 0.25–2 they give the same result (a 150 BPM twist back at
 * its level; an afro groove read at 3/2 of its tempo, F 0, back at its level); the 150 BPM
 * waltz that needs the 3/2 level still gets it.
 */
const LEVEL_WEIGHTS = { prior: 1, weak: 3, mid: 2.5, hit: 1, shiftHalf: 1, halfVsPhase: 0.5, threeHalves: 1 };

const LIMITS = {
  /** Centre and width of the level choice's tempo prior: narrower than the tempo estimator's (0.7 octaves). */
  priorBpm: 120,
  priorOctaves: 0.5,
  /** Midpoint/beat accent ratios above this count no worse (one loud fill must not dominate). */
  midpointCap: 1.5,
  /** Below this weakest-position ratio (pairs / threes) the level is suspect and 3/2 (2/3, 1/3) of it is tried too. */
  tripleGate: 0.5,
  /** A beat position this much weaker than the strongest one counts as empty. */
  empty: 0.15,
  minBpm: 40,
  maxBpm: 240,
  /** Half-level phase margins (cue-score units) from this up count as full evidence for it. */
  halfMarginFull: 2,
  /**
   * Below this phase evidence (choosePhase: the weighted cues' differences between the chosen grid
   * and the one half a beat away, summed unsigned) the beats are reported with their midpoints. On
   * the dev half of the beat corpus the right phases all have 0.94 or more; the flat ones are two
   * Frets on Fire metal excerpts (0.44, 0.48: every cue alike on the beats and the "ands", F = 0 →
   * 0.66); a Freedoom song read at twice its tempo (0.64, F 0.63 → 0.39 if reported doubled again)
   * and a Freedoom zero at 0.90 are left out. Dev 0.713 → 0.719, no bench line loses.
   */
  phaseEvidence: 0.6,
  /**
   * The learned fail-safe (beat-activation.ts): below this phase evidence, and when the net takes
   * the grid half a beat away for the beat by more than `netMargin` (mean log-odds), the beats are
   * reported with their midpoints. Judged leaving one bench line out (the net retrained without it,
   * three seeds): dev 0.722 / 24 zeros → 0.742 / 16, no line loses (models/build/beatnet/loso.ts).
   * The margin sits mid-way in the range that loses no line (0.45–0.87: MMA's SoulPop, right, at
   * 0.44; its HeavyMetal, a zero, at 0.90 makes up in its set for Funk1, right, at 1.89).
   */
  netEvidence: 4,
  netMargin: 0.65,
  /**
   * The low-band fail-safe (beat-phase.ts lowPeakLead): when the strongest kick/bass attack of each
   * two beats sits on the chosen grid's "ands" (lead below this log ratio), the beats are reported
   * with their midpoints, whatever the other evidence says. Judged leaving one bench line out (the
   * learned fail-safe's nets each trained without the line scored): dev 0.742 / 16 zeros → 0.755 / 12,
   * no line loses (Freedoom 0.639 → 0.657, Frets on Fire sectoid 0.580 → 0.712, MMA's second groove
   * set 0.930 → 0.945); generated grooves and eval-dev unchanged. It fires on six right-tempo grids
   * that were off the beat or at half tempo (D_STLKS3@60, D_E2M9@60, D_STALKS, Escape from
   * chaosland@150: 0 → 0.66; Rock2 0.67 → 1; D_DDTBLU 0.64 → 0.97) and on one right one (D_E3M4,
   * −0.57: 0.99 → 0.67). Anywhere in −0.30…−0.38 no line loses (right phases next above: MMA's
   * 60sSoul −0.29, D_E1M6@60 −0.32 at −0.30; wrong ones next below: D_STALKS −0.38).
   */
  lowLead: -0.34,
  /**
   * The ¾ level (threeQuarterLevel): tried only where the chosen level's own bars (three or four of its
   * beats) repeat with a correlation below `barRepeatMax`, and taken where four beats of the slower level
   * repeat better by `barRepeatGain` or more, in the kick/body/hats accent and in the onset envelope alike.
   * Judged leaving one bench line out (models/build/beatnet/loso.ts, each line's learned fail-safe trained
   * without it): dev 0.760 → 0.769, zeros unchanged (10); only Freedoom changes (0.670 → 0.689): six
   * excerpts read at 4/3 or 2/3 of their tempo, D_E1M4@0 0.25 → 0.99 and five others 0.37–0.40 →
   * 0.65–0.67 (at half the tempo after it); generated grooves and eval-dev unchanged. Any gain in
   * 0.05–0.15 and any gate in 0.40–0.50 loses no line; with no gate (or one from 0.55) MMA's Salsa (first
   * groove set, its two-bar clave repeating at 0.55 already) goes 0.40 → 0 and that set loses.
   */
  barRepeatMax: 0.45,
  barRepeatGain: 0.11,
  /**
   * The sub-beat check (quarterShift): tried where the chosen grid's quarter points carry more onsets than
   * its half-beat points by `quarterGate` (log ratio), and taken where the learned beat cue prefers the grid
   * moved by ¼ (or ¾) of a beat by more than `quarterMargin` (mean log-odds) while its alternate points look
   * alike to it (|even − odd| up to `quarterAlike`). Judged leaving one bench line out on the dev half with
   * the fourth (drums-only) groove set (268 excerpts; models/build/beatnet/loso.ts, each line's net trained
   * without it): 0.770 / 14 zeros → 0.777 / 12, no line loses; MMA's zoom FUNK11 (kick and hats on the 16th
   * before the beat, tracked there) 0 → 0.96, AFRO06 (read at half tempo on the "ands") 0 → 0.65, Planet
   * Blupi music003 (read at 3/2 of its tempo) 0.05 → 0.40. The same with margins 0.2–0.45, gates 0.73–1.27
   * and alike limits 1.3–1.9; a margin from 0.6 loses AFRO06 (0.48), a gate of 0.5 loses a Freedoom excerpt
   * read at 4/3 of its tempo (0.30 → 0.27) and no gate a generated funk groove (0.66 → 0); above 2.03 MMA's
   * Salsa, read at 2/3 of its tempo, goes 0.40 → 0.38. Generated grooves and eval-dev unchanged. The shipped
   * net (not trained on the fourth set) moves FUNK11 (alike 1.17) and AFRO06, not music003 (1.88).
   */
  quarterMargin: 0.3,
  quarterGate: 1,
  quarterAlike: 1.5,
  /**
   * A third-beat shift of the chosen level stands only where the learned beat cue does not take the
   * tracked grid over it by more than this (mean log-odds). Judged leaving one bench line out
   * (models/build/beatnet/loso.ts): dev 0.777 / 12 zeros → 0.781 / 11, no line loses; abcmidi's
   * dergasn145 (3/8, its tracked grid on the beat, moved ⅓ by a tom and chords on the bar's third 8th)
   * 0 → 1, a Freedoom song read at 3/2 tempo 0.27 → 0.29. The shifts that stand are the generated swung
   * 3/4 grooves' (−6.9…−7.7); those undone sit at 1.5–5.5, so anything in −6…1 gives the same. On the
   * 57 dev drums-only grooves re-rendered at 0.85× and 1.2× of their tempo: SHFL04 ×2 0 → 1 (read at
   * half tempo, a third off), LATN04 at 1.2× 0.99 → 0 (the net takes its tracked grid, half a beat off), LATN08 0 → 0.02.
   */
  thirdVeto: 0,
};

/** The best level (decision 1), then its best phase (decision 2); see the file comment. */
export function chooseBeatLevel(inp: LevelInput): LevelChoice {
  const all = levelCandidates(inp);
  let best = all[0]!;
  for (const c of all) if (c.score > best.score) best = c;
  if (best.cues.bpm === 0) return best;
  let tracked = all.find((c) => c.factor === best.factor && c.shift === 0)!.beats;
  let factor = best.factor;
  const slower = threeQuarterLevel(inp, tracked, factor);
  if (slower) [tracked, factor] = [slower, factor * 0.75];
  // The double level is the tracked level's settled beats with their midpoints (levelCandidates), so its
  // phase was chosen there; half of its beat is a quarter of that one, a 16th the phase cues do not weigh
  // (only the sub-beat check below moves a grid by a 16th, on the learned cue's word).
  let phase = factor === 2 && !slower ? settled(tracked) : choosePhase(tracked, inp);
  // A third-beat shift only on the learned cue's word too: the phase cues reach for one where a
  // pattern's busiest points sit a third of a beat off, and on the corpus they were mostly wrong.
  if ((phase.shift === 1 / 3 || phase.shift === 2 / 3) && inp.beatNet !== null && preferOver(inp.beatNet ?? shippedBeatNet(), inp, phase.beats, tracked) > LIMITS.thirdVeto) {
    phase = choosePhase(tracked, inp, { noThird: true });
  }
  // Fail-safe: when the phase is in doubt, either guess scores F = 1 or F = 0; both together
  // (the beats and their midpoints) score ≈ 0.67 whichever is right.
  if (factor <= 1 && phaseInDoubt(inp, phase)) return { beats: withMidpoints(phase.beats), factor: 2 * factor, shift: phase.shift, midpoints: true };
  const quarter = quarterShift(inp, phase.beats);
  if (quarter) return { beats: between(phase.beats, quarter), factor, shift: (phase.shift + quarter) % 1 };
  return { beats: phase.beats, factor, shift: phase.shift };
}

/** A grid kept as it is, for choosePhase's place: no shift, and nothing against it. */
function settled(beats: number[]): ReturnType<typeof choosePhase> {
  return { beats, shift: 0, margin: 0, evidence: Infinity };
}

/**
 * The sub-beat check: ¼ or ¾ (or ⅕ or ⅘, see SIXTEENTHS) when the chosen grid sits on a 16th beside the beat (drum patterns whose
 * loudest hits are the 16th before or after it), else 0 (see LIMITS.quarterMargin). The phase cues and
 * fail-safes only weigh ½ and ⅓ shifts; the learned beat cue reads each point against its neighbours'
 * onsets in every band, which tells a beat from the 16th beside it. Costs ≈ 0.05 ms for a 30 s file where
 * the onset gate stops it (about nine files in ten on the corpus); past the gate the net's channels and four
 * grids (with two grids it was ≈ 3 ms warm and ≈ 7 ms cold at load ≈ 4.5, most of it the channels, computed
 * once; less where the learned fail-safe computed them).
 */
function quarterShift(inp: LevelInput, beats: number[]): number {
  if (inp.beatNet === null || beats.length < 8) return 0;
  // Only where the grid's quarter points carry more onsets than its half-beat points: on the beat
  // the "and" is at least as busy as the 16ths either side of it.
  const m0 = mean(inp.flux) || 1;
  const at = (f: number) => Math.log(Math.max(0.1, meanPeak(inp.flux, between(beats, f)) / m0));
  if (Math.max(at(0.25), at(0.75)) - at(0.5) < LIMITS.quarterGate) return 0;
  const net = inp.beatNet ?? shippedBeatNet();
  let shift = 0;
  let prefer = LIMITS.quarterMargin;
  for (const s of SIXTEENTHS) {
    const p = preferOver(net, inp, beats, between(beats, s));
    if (p > prefer) [shift, prefer] = [s, p];
  }
  if (shift === 0) return 0;
  // Every point of the grid at one place in the bar (alternate points alike to the net): a grid at 2/3
  // or 4/3 of the tempo alternates between beats and "ands", and a quarter of its beat is no 16th.
  const alike = Math.abs(preferOver(net, inp, beats.filter((_, i) => i % 2 === 0), beats.filter((_, i) => i % 2 === 1)));
  if (alike > LIMITS.quarterAlike) return 0;
  return shift;
}

/**
 * Where the beat may sit from a grid on the 16th beside it, as a fraction of the grid's beat: a quarter
 * either way, or a fifth, where the 16th is placed nearer the beat it leads to or follows (MMA's zoom
 * grooves write their 16ths at .2 and .8 of the beat; players push and drag them alike). The fifths were
 * added in the ninth pass: leaving one bench line out on beats8 (402 dev, each line and its grooves' tempo
 * variants scored by a net trained without them), 0.785 / 26 zeros → 0.787 / 25, no other excerpt changes;
 * MMA's zoom FUNK11 at 89 BPM (kicks and hats on the .8 before the beat, tracked there; the net prefers the
 * grid moved by ⅕ by 1.9 and by ¼ not at all, −1.4) 0 → 0.96.
 */
const SIXTEENTHS = [0.25, 0.75, 0.2, 0.8];

/**
 * The beats tracked at ¾ of the chosen level's tempo, when that level is a dotted-8th reading of
 * the music (figures of three 8ths or 16ths make the tempo path's period ¾ of the beat, or 3/2 of
 * it): music repeats by the bar, and four beats of the slower level (a bar of 4/4) repeat clearly
 * better than three or four of the chosen one, which does not itself repeat by its bars. About
 * 2 ms for a 30 s file the first time it runs (the JIT cold), 0.1 ms warm; tracking again only when taken.
 */
function threeQuarterLevel(inp: LevelInput, beats: number[], factor: number): number[] | undefined {
  if (beats.length < 8) return undefined;
  // Bar lengths are long: the envelopes are read at a quarter of the frame rate (25 a second), which
  // keeps this to a few ms before the JIT has compiled anything.
  const period = median(beats.slice(1).map((b, i) => b - beats[i]!)) / BAR_DECIMATION;
  const accent = decimate(bandAccent(inp.bands), BAR_DECIMATION);
  const [a3, a4, a16] = [3, 4, 16 / 3].map((k) => lagCorrelation(accent, k * period));
  const now = Math.max(a3!, a4!);
  if (now >= LIMITS.barRepeatMax || a16! - now < LIMITS.barRepeatGain) return undefined;
  const flux = decimate(inp.flux, BAR_DECIMATION);
  const [f3, f4, f16] = [3, 4, 16 / 3].map((k) => lagCorrelation(flux, k * period));
  if (Math.max(f4!, f16!) - Math.max(f3!, f4!) < LIMITS.barRepeatGain) return undefined;
  return trackBeats(inp.flux, scaledPeriods(inp.periodAt, 0.75 * factor), { tightness: inp.tightness });
}

const BAR_DECIMATION = 4;

/** accentEnvelope of the level input's bands, computed once for the level choice and the ¾ check. */
const accents = new WeakMap<Float32Array[], Float32Array>();
function bandAccent(bands: Float32Array[]): Float32Array {
  let a = accents.get(bands);
  if (!a) accents.set(bands, (a = accentEnvelope(bands)));
  return a;
}

/**
 * Whether the chosen phase is in doubt: no cue tells the beats from the "ands"; or the cues are in
 * some doubt and the learned cue disagrees with them; or the loudest kick or bass note of each two
 * beats falls between the chosen beats.
 */
function phaseInDoubt(inp: LevelInput, phase: ReturnType<typeof choosePhase>): boolean {
  if (phase.evidence < LIMITS.phaseEvidence) return true;
  if (!phase.opposite) return false;
  if (phase.evidence < LIMITS.netEvidence && inp.beatNet !== null && preferOver(inp.beatNet ?? shippedBeatNet(), inp, phase.beats, phase.opposite) > LIMITS.netMargin) return true;
  return lowPeakLead(inp.bands[0]!, phase.beats) < LIMITS.lowLead;
}

/**
 * Every level tried, each as tracked and moved by half a beat, with its level score; the
 * first is the tempo path's own level as tracked. Falls back to the plain tracker when there
 * are too few beats to judge.
 */
export function levelCandidates(inp: LevelInput): LevelCandidate[] {
  const scorer = new CueScorer(inp);
  const track = (factor: number) => trackBeats(inp.flux, factor === 1 ? inp.periodAt : scaledPeriods(inp.periodAt, factor), { tightness: inp.tightness });
  const base = track(1);
  const first = scorer.judge(base, 1, 0);
  if (!first) return [{ beats: base, factor: 1, shift: 0, score: 0, cues: { bpm: 0, prior: 0, weak: 0, mid: 0, hit: 0, weak2: 1, weak3: 1 } }];
  const factors = [0.5, 2];
  if (first.cues.weak2 < LIMITS.tripleGate) factors.push(1.5);
  // Beats grouped in threes with an empty position: quarter notes or 8ths read in 6/8;
  // 2/3 or 1/3 of the tempo puts them on the dotted quarters.
  if (first.cues.weak3 < LIMITS.tripleGate) factors.push(2 / 3, 1 / 3);
  const out = [first];
  // Half and double tempo come from the tracked beats once their phase is settled (every
  // other beat; the beats and their midpoints), not from tracking again: tracked on its
  // own, the half level can lock onto the "ands" (kicks on two "ands" of four in funk), a
  // grid no phase shift of that level brings back onto the beats.
  const settled = choosePhase(base, inp).beats;
  for (const f of factors) {
    const beats = f === 0.5 ? settled.filter((_, i) => i % 2 === 0) : f === 2 ? withMidpoints(settled) : track(f);
    const c = scorer.judge(beats, f, 0);
    if (c) out.push(c);
  }
  for (const c of [...out]) {
    const moved = scorer.judge(between(c.beats, 0.5), c.factor, 0.5);
    if (moved) out.push(moved);
  }
  // Phase evidence about half tempo, which claims every other beat is not one: when the
  // phase cues can hardly tell those beats from the others, that claim is weak. (The
  // mirror image for double tempo — the phase cues preferring the beats over the "ands" —
  // does not hold: a backbeat at 180 BPM is exactly such an "and" at 90.) Every phase shift
  // competes here, a third-beat one too (its margin counts as 0: no evidence either way); read
  // with choosePhase's rule for thirds, a drums-only afro groove goes to half tempo off the beat.
  const half = out.find((c) => c.factor === 0.5 && c.shift === 0);
  const halfMargin = half ? Math.abs(choosePhase(half.beats, inp, { anyThird: true }).margin) : LIMITS.halfMarginFull;
  for (const c of out) if (c.factor === 0.5) c.score -= LEVEL_WEIGHTS.halfVsPhase * Math.max(0, LIMITS.halfMarginFull - halfMargin);
  // A 3/2 level meets the true beat only on every other beat (F ≈ 0–0.4 when it is wrong,
  // against 0.67 for a wrong octave), so it has to win clearly.
  for (const c of out) if (c.factor === 1.5) c.score -= LEVEL_WEIGHTS.threeHalves;
  return out;
}

/**
 * The tempo path at `factor` times its tempo. A plain loop, not Float32Array.map: the map calls a
 * closure per frame, interpreted in a cold `s2v analyze` (≈ 2–3 ms per level tracked); the same values.
 */
function scaledPeriods(periodAt: Float32Array, factor: number): Float32Array {
  const out = new Float32Array(periodAt.length);
  for (let t = 0; t < periodAt.length; t++) out[t] = periodAt[t]! / factor;
  return out;
}

function withMidpoints(beats: number[]): number[] {
  return beats.flatMap((b, i) => (i + 1 < beats.length ? [b, 0.5 * (b + beats[i + 1]!)] : [b]));
}

/** The cues of a beat sequence (see LevelCues), on envelopes computed once. */
class CueScorer {
  private readonly accent: Float32Array;
  private readonly accentMean: number;
  constructor(private readonly inp: LevelInput) {
    this.accent = bandAccent(inp.bands);
    this.accentMean = mean(this.accent) || 1;
  }

  judge(beats: number[], factor: number, shift: number): LevelCandidate | undefined {
    if (beats.length < 8) return undefined;
    const st = levelStats(this.accent, beats);
    const bpm = (60 * this.inp.rate) / median(beats.slice(1).map((b, i) => b - beats[i]!));
    if (!(bpm >= LIMITS.minBpm && bpm <= LIMITS.maxBpm) || !(st.top > 0)) return undefined;
    // A 3/2 level on duple music puts two of every three beats where nothing sounds. (In
    // triple meter beats 2 and 3 are weaker than 1, but not empty, so only emptiness counts.)
    if (factor === 1.5 && st.weak3 < LIMITS.empty) return undefined;
    const oct = Math.log2(bpm / (this.inp.priorBpm ?? LIMITS.priorBpm)) / (this.inp.priorOctaves ?? LIMITS.priorOctaves);
    const cues: LevelCues = {
      bpm,
      prior: -0.5 * oct * oct,
      weak: Math.log(Math.max(1e-3, st.weak2)),
      mid: Math.min(LIMITS.midpointCap, st.mid / st.top),
      hit: Math.log(Math.max(1e-3, st.beat / this.accentMean)),
      weak2: st.weak2,
      weak3: st.weak3,
    };
    const w = LEVEL_WEIGHTS;
    const score = w.prior * cues.prior + w.weak * cues.weak - w.mid * cues.mid + w.hit * cues.hit - (shift === 0.5 ? w.shiftHalf : 0);
    return { beats, factor, shift, cues, score };
  }
}

/**
 * Mean peak accent (±30 ms) over all beats and over the midpoints between beats; `top` is
 * the stronger of even- and odd-numbered beats, and `weak2`/`weak3` the weakest beat
 * position relative to the strongest when beats are grouped in twos/threes (1: every
 * position accented alike; near 0: every second/third beat empty).
 */
function levelStats(accent: Float32Array, beats: number[]): { weak2: number; weak3: number; top: number; beat: number; mid: number } {
  const at = beats.map((b) => peakAround(accent, b));
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
    beat: mean(at),
    mid: meanPeak(accent, between(beats, 0.5)),
  };
}

