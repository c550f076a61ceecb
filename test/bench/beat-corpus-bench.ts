/**
 * Beat tracking on human-written music never used to build the tracker: the corpus from
 * test/fixtures/audio/corpus (built on first use: Debian MIDI/ABC files, songs played by
 * MMA's groove library, Frets on Fire band recordings and the Freedoom soundtrack, 485 excerpts), dev and held-out halves
 * reported apart (per package too, MMA's songs and groove sets each apart), ours and
 * aubio's tracker (`aubio beat`, the Queen Mary-style tracker) on the same files in the same
 * run, plus the two eval-dev excerpts as a regression check and the synthetic phase/meter
 * failure modes of test/fixtures/audio/meter-grooves.ts (swung 3/4, off-beat chords, 6/8,
 * off-beat snare, disco, syncopated funk kicks).
 *
 * Last full run (2026-12-04, 2 cores shared with other engineers' jobs, load ≈ 3.5–4), 188 excerpts,
 * after the second pass's re-split (Planet Blupi all dev; Frets on Fire recordings added), tracker unchanged:
 *   dev (105)      ours F 0.805, Acc1 77 %, Acc2 95 %, F = 0: 9   aubio F 0.454, 24 %, 92 %, F = 0: 3
 *   held-out (83)  ours F 0.808, Acc1 66 %, Acc2 86 %, F = 0: 2   aubio F 0.497, 27 %, 93 %, F = 0: 4
 *     of which Frets on Fire (12): ours F 0.558 (F = 0: 1), aubio 0.357; older sources (71): 0.850 / 0.521
 *   the first pass's held-out set (79, now partly seen), same run: ours F 0.799 (F = 0: 5), aubio 0.499
 * Third pass (2026-12-04, load ≈ 15): 20 drums-only zoom grooves added to dev only (208 excerpts), tracker
 * unchanged: dev (125) ours F 0.798, Acc1 74 %, Acc2 95 %, F = 0: 11 (--no-aubio); held-out (83), run once
 * after the merge, with aubio: ours F 0.808, Acc1 66 %, Acc2 86 %, F = 0: 2; aubio F 0.497, F = 0: 4.
 * Fourth pass (2026-12-05, load ≈ 6–7): the Freedoom soundtrack added to dev only (109 excerpts of 55 band
 * arrangements; 317 excerpts, held-out unchanged), tracker unchanged: dev (234) ours F 0.710, Acc1 66 %, Acc2 87 %,
 * F = 0: 28 (--no-aubio); Freedoom alone F 0.609, F = 0: 17 (11 at the right tempo on the wrong phase, 28
 * excerpts at 4/3 or 2/3 of the notated tempo); the other sources as before. Tried on that dev, judged leaving
 * out one line of this bench at a time, none kept (src/audio/beat-phase.ts says why): phase weights and costs
 * re-searched (0.716 / 27 zeros, losing three lines), the learned phase cue retrained (0.724 / 25, losing MMA's
 * first groove set: branch beats3-net), ¾ and 4/3 tempo levels, tracking on onsets plus the kick accent.
 * No held-out run this pass (tracker unchanged). A caveat on Freedoom's ground truth: the notated grid is
 * the file's, and at least one song (D_DOOM2: kick on "1 and" and 4, snare on "2 and" and "4 and") plays
 * its drums an 8th off it, so its two zeros may be the notation's, not the tracker's.
 * Fifth pass (2026-12-05, dev only, --no-aubio figures from the same envelopes): a third-beat phase shift costs
 * 1.5 (was 1; on the corpus it was chosen five times and never right) and a phase with no evidence either way
 * is reported with its midpoints (metrical-level.ts, phaseEvidence): dev 0.710 / 28 zeros → 0.719 / 25
 * (Frets on Fire sectoid 0.316 → 0.580, Freedoom 0.609 → 0.615), no line loses, eval-dev unchanged (this bench,
 * load ≈ 4–5: dev F 0.719, Acc1 65 %, Acc2 87 %, F = 0: 25; t03 0.987, t07 0.991). Then third-beat shifts only
 * where the beat divides in three (beat-phase.ts): 0.722 / 24 (MMA's SAMBA02 0 → 0.66, third set 0.761 → 0.794);
 * this bench on main after both (load ≈ 6–8): dev F 0.722, Acc1 65 %, Acc2 87 %, F = 0: 24; eval-dev 0.987 / 0.991.
 * Then the learned fail-safe (metrical-level.ts netMargin, models/build/beatnet/loso.ts, each line scored by a net
 * trained without it): dev 0.722 / 24 → 0.742 / 16 (first groove set 0.882 → 0.895, third 0.794 → 0.827, Freedoom
 * 0.615 → 0.639, Planet Blupi 0.569 → 0.643; no line loses; generated grooves 0.910 → 0.933, eval-dev unchanged);
 * with the shipped net (trained on all dev: in-sample, optimistic) 0.764 / 9.
 * Tried and not kept (beat-phase.ts, fifth pass): the fail-safe with a one-seed net (a knife edge), the double level
 * taken when it scores close (0.735 / 20, losing the first groove set through Funk1).
 * No held-out run this pass.
 * Sixth pass (2026-12-05, dev only): a low-band fail-safe (metrical-level.ts LIMITS.lowLead, beat-phase.ts
 * lowPeakLead: the loudest kick/bass attack of each two beats on the chosen grid's "ands" → beats with midpoints).
 * Leaving one line out (scratch harness over the envelopes loso.ts reads, each line's net trained without it):
 * 0.742 / 16 → 0.755 / 12, no line loses, generated grooves and eval-dev unchanged. This bench (shipped net,
 * in-sample, load ≈ 6): dev F 0.764, Acc1 59 %, F = 0: 9 → F 0.767, Acc1 58 %, Acc2 87 %, F = 0: 8; Freedoom
 * 0.670 → 0.676, sectoid and Blupi unchanged in-sample, MMA's second set 0.930 → 0.945, but the first set
 * 0.907 → 0.895: Funk1 (lead −0.59, its kicks on the "a" of 1 and the "ands" of 2 and 3) goes 1 → 0.67, where
 * the shipped net, trained on it, kept it whole; leaving its line out the net already halves it.
 * eval-dev t03 0.987, t07 0.991; synthetic rows unchanged.
 * Seventh pass, ground truth (corpus code; corpus /work/corpus/beats6): an ABC tune's grid starts at its first
 * bar line, the pickup's length read from the tune's text (corpus/abc-pickup.ts; checked against abc2midi's own
 * timing by a marker event after the first bar line on all 16 readable tunes, dev and held-out: 15 agree, held-out
 * demo10 does not, its beats unchanged either way), and a time signature repeating the one before no longer restarts
 * the grid (abc2midi writes 4/4 at ticks 0 and 1). Dev: dergasn145's beats move ⅙ beat onto its bar lines
 * (3/16 pickup in 3/8), araber47, demo4, demo6, demo8 only their downbeats. Held-out ids changed (scores not
 * looked at): coleraine8 and demo5 (beats), demo10 (downbeats). This bench (dev, in-sample net, load ≈ 4–5): dev
 * F 0.767, Acc1 58 %, Acc2 87 %, F = 0: 8, as before: dergasn145 is still at F 0, now at the right tempo ⅓ beat
 * early (on the bar's 3rd eighth, where chords, drum and melody meet). Then Freedoom's D_DOOM2 (two dev zeros) is
 * left out (sources.ts leaveOut says why: its drums play a rock beat an 8th off the file's grid; aubio's tracker
 * also scores F 0 / 0.15 on the notated beats and 0.66 / 0.49 half a beat later): 315 excerpts, 232 dev.
 * Leaving one line out (loso.ts) on that corpus: 0.760 / 10 zeros (without the learned fail-safe 0.748 / 15);
 * its per-line nets moved with the corpus, and MMA's second groove set now loses SoulPop (1 → 0.67) to it.
 * Then a ¾ level (metrical-level.ts threeQuarterLevel: four beats of the slower level repeat by the bar):
 * one line out 0.760 → 0.769, zeros unchanged, only Freedoom moves (0.670 → 0.689: six excerpts read at 4/3
 * or 2/3 of their tempo). This bench after it (shipped net, in-sample, load ≈ 2–5): dev (232) F 0.782,
 * Acc1 58 %, Acc2 90 %, F = 0: 6 (Freedoom 0.708 / 4; before it, from the same figures, 0.774 / 6);
 * eval-dev t03 0.987, t07 0.991; synthetic rows unchanged.
 * Eighth pass (corpus /work/corpus/beats7): a fourth MMA groove set, dev only, 36 drums-only zoom grooves
 * chosen by name (351 excerpts, 268 dev; no held-out or earlier dev excerpt changed). Leaving one line out
 * (loso.ts) the new set scores 0.744 with 6 zeros (dev 0.770 / 14); then the sub-beat check (metrical-level.ts
 * quarterShift): 0.777 / 12, no line loses (the new set 0.789 / 4: FUNK11 0 → 0.96, AFRO06 0 → 0.65).
 * This bench after both, the check's alike limit at 1 (shipped net, in-sample but for the new set, load ≈ 3.5–4):
 * dev (268) F 0.780, Acc1 60 %, Acc2 91 %, F = 0: 11 (the new set 0.762 / 5: that net keeps FUNK11 off at 1);
 * eval-dev t03 0.987, t07 0.991; synthetic rows unchanged (the same run on the code before the check).
 * With the limit at 1.5 (load ≈ 2.5–3.5): dev (268) F 0.783, Acc1 60 %, Acc2 91 %, F = 0: 10 (the new set
 * 0.789 / 4: DnB04, LATN04, LATN08, LATN10); eval-dev and synthetic rows unchanged.
 * Ninth pass (corpus /work/corpus/beats8): a fifth MMA groove set, dev only: each of the 68 dev drums-only zoom grooves
 * (sets 3 and 4, and the zoom grooves of sets 1 and 2 their split puts in dev) at ×0.85 and ×1.2 of its table tempo
 * (×0.7 / ×1.4 where that leaves 60–180 BPM; the rule fixed before any tracking), 134 excerpts (LATN05's two fall
 * under the on-grid check as it does): 485 excerpts, 402 dev; every beats7 excerpt identical, held-out ids unchanged.
 * This bench, shipped net unchanged (load ≈ 0.3–2), on the tracker of the eighth pass: dev (402) F 0.792, Acc1 64 %,
 * Acc2 93 %, F = 0: 22; the new line F 0.810, Acc1 71 %, Acc2 99 %, F = 0: 12 (tempo ratio, phase in 16ths of the
 * true beat): at the right tempo half a beat off DnB04@146, FUNK07@126, LATN02@132, LATN08@132, LATN10@132 and @94
 * (DnB04, LATN08, LATN10 are zeros at their table tempo too); FUNK11@89 at 13/16 (the 16th before the beat);
 * LATN04@94 at 14–15/16 (as at 110); half tempo on the "and" HRK02@168, SHFL04@132 and @94; double tempo ¼ of that
 * beat off (4/16 and 12/16) SAMBA02@85, the held-out zero's class. After the ninth pass's two level changes
 * (metrical-level.ts: the double level keeps the tracked level's phase; a third-beat shift needs the learned cue's
 * agreement): dev (402) F 0.799, Acc1 64 %, Acc2 93 %, F = 0: 19; the new line F 0.823, Acc1 72 %,
 * Acc2 99 %, F = 0: 10 (SHFL04 ×2 → 0.98 / 1, SAMBA02@85 → 0.66 at double tempo on 0 and 8/16; LATN04@132
 * 0.99 → 0, an 8th off); the other lines as before but abcmidi 0.948 / 0; eval-dev 0.987 / 0.991, synthetic rows
 * unchanged. Leaving one line out (loso.ts; a variant is left out with its original's line), on that tracker:
 * without the net 0.768 / 36, with 0.785 / 26; the new line 0.793 / 15 → 0.803 / 13. Retraining on the new material
 * does not hold: on beats7's lines the per-line nets go 0.781 / 11 → 0.775 / 13 (third set 0.827 → 0.778, AFRO05
 * 0.99 → 0 and its two variants with it; Freedoom 0.699 → 0.694, THEDA2@60 → 0; 0.777 / 12 → 0.772 / 14 on the
 * tracker before), the same to the excerpt with five seeds per net (not seed noise; five seeds without the new set:
 * 0.776 / 13 on the tracker before). The shipped net retrained on beats7's 268 dev alone (the baseline; tracker
 * before): in-sample beats7 dev 0.783 / 10, as the shipped one (trained on beats6's 232), the new line 0.803 / 13
 * against 0.810 / 12; retrained on all 402: beats7 dev 0.787 / 9, the new line 0.818 / 11, but even in-sample it
 * loses AFRO03@132 and AFRO06@132 (0.62 / 0.65 → 0). Half the dose (only the faster variant of each groove in the
 * folds, 335 dev; third-beat check in): beats7's lines lose more (fourth set 0.789 → 0.744, Planet Blupi 0.699 →
 * 0.679, third set AFRO05 → 0). None kept: the shipped net is still beats6's.
 * Then the sub-beat check's fifths (metrical-level.ts SIXTEENTHS: the grid moved by ⅕ or ⅘ of a beat is tried beside
 * ¼ and ¾): this bench dev (402) F 0.801, Acc1 64 %, Acc2 93 %, F = 0: 18 (FUNK11@89 0 → 0.96, nothing else moves);
 * leaving one line out 0.785 / 26 → 0.787 / 25. Held-out: see the README (run once, on main, at the end).
 *
 * Metrics: F (±70 ms, beats before 5 s ignored, mir_eval convention); Acc1 = tempo (median
 * inter-beat interval) within 4 % of the reference; Acc2 = the same allowing ×2, ×½, ×3, ×⅓.
 *
 *   node bin/tsx-run.js test/bench/beat-corpus-bench.ts [--split dev|held-out] [--quiet] [--no-aubio]
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePcm, beatFMeasure } from '../../src/audio/index.js';
import { groovePieceName, loadCorpus, type Excerpt } from '../fixtures/audio/corpus/build.js';
import { SOURCES } from '../fixtures/audio/corpus/sources.js';
import { meterGroove, type MeterStyle } from '../fixtures/audio/meter-grooves.js';

const EVAL_DIR = '/work/shared/eval-dev';
const EVAL_TRACKS = ['t03_last_trip', 't07_techno_movement'];

export interface BeatScore {
  F: number;
  acc1: boolean;
  acc2: boolean;
  bpm: number;
}

export function scoreBeats(reference: number[], estimated: number[]): BeatScore {
  const F = beatFMeasure(reference, estimated);
  const ref = ibiTempo(reference);
  const est = ibiTempo(estimated);
  const near = (k: number) => Math.abs(est - k * ref) <= 0.04 * k * ref;
  return { F, acc1: near(1), acc2: [1, 2, 0.5, 3, 1 / 3].some(near), bpm: est };
}

function ibiTempo(beats: number[]): number {
  const ibi = beats.slice(1).map((b, i) => b - beats[i]!).sort((a, b) => a - b);
  return ibi.length ? 60 / ibi[ibi.length >> 1]! : 0;
}

/** 16 kHz mono float PCM of a WAV (sox, as the corpus builder uses). */
function pcm16k(wav: string): Float32Array {
  const out = execFileSync('sox', [wav, '-r', '16000', '-c', '1', '-t', 'f32', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4);
}

function aubioBeats(wav: string): number[] {
  const out = execFileSync('aubio', ['beat', '-i', wav], { maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return out.split(/\s+/).filter(Boolean).map(Number);
}

interface Row {
  ex: Excerpt;
  ours: BeatScore;
  aubio?: BeatScore;
}

/**
 * The line an excerpt is reported under: its package, except MMA, whose example songs and five
 * groove sets (added in different passes, tuned on to different degrees) each get their own.
 */
const grooveSet = new Map<string, string>(
  SOURCES.filter((s) => s.grooves?.length).flatMap((s, k) =>
    s.grooves!.map((g) => [groovePieceName(s.pkg, g), `${s.pkg} grooves ${['1st set', '2nd set', '3rd set (drums)', '4th set (drums)', '5th set (tempi)'][k] ?? `set ${k + 1}`}`] as const),
  ),
);
export function reportGroup(ex: Pick<Excerpt, 'pkg' | 'piece'>): string {
  return grooveSet.get(ex.piece) ?? (ex.pkg === 'mma' ? 'mma songs' : ex.pkg);
}

function summary(rows: Row[], pick: (r: Row) => BeatScore | undefined): string {
  const s = rows.map(pick).filter((x): x is BeatScore => !!x);
  if (!s.length) return 'n/a';
  const mean = s.reduce((a, x) => a + x.F, 0) / s.length;
  const acc = (k: 'acc1' | 'acc2') => ((100 * s.filter((x) => x[k]).length) / s.length).toFixed(0);
  const zero = s.filter((x) => x.F === 0).length;
  const min = Math.min(...s.map((x) => x.F));
  return `F ${mean.toFixed(3)}  Acc1 ${acc('acc1')} %  Acc2 ${acc('acc2')} %  min F ${min.toFixed(3)}  F=0: ${zero}`;
}

export async function benchBeatCorpus(opts: { split?: string; quiet?: boolean; aubio?: boolean } = {}): Promise<{ dev: number; heldOut: number }> {
  const corpus = loadCorpus((s) => console.log(s)).filter((e) => !opts.split || e.split === opts.split);
  const withAubio = opts.aubio ?? true;
  console.log(`beat tracking on ${corpus.length} human-written excerpts (${new Set(corpus.map((e) => e.pkg)).size} Debian packages; F ±70 ms, Acc1/Acc2 = tempo within 4 % / up to ×2, ×3)`);
  const rows: Row[] = [];
  for (const ex of corpus) {
    const f = await analyzePcm(pcm16k(ex.wav), { vad: false });
    const row: Row = { ex, ours: scoreBeats(ex.beats, f.beats), aubio: withAubio ? scoreBeats(ex.beats, aubioBeats(ex.wav)) : undefined };
    rows.push(row);
    if (!opts.quiet) {
      const ref = ibiTempo(ex.beats);
      console.log(
        `  ${ex.split === 'dev' ? 'dev ' : 'held'} ${ex.id.padEnd(44)} ${ex.meters.join(',').padEnd(8)} ref ${ref.toFixed(0).padStart(3)} BPM  ` +
          `ours F ${row.ours.F.toFixed(3)} (${row.ours.bpm.toFixed(0)})` + (row.aubio ? `  aubio F ${row.aubio.F.toFixed(3)} (${row.aubio.bpm.toFixed(0)})` : ''),
      );
    }
  }
  const half = (s: string) => rows.filter((r) => r.ex.split === s);
  for (const s of ['dev', 'held-out']) {
    const h = half(s);
    if (!h.length) continue;
    console.log(`  ${s.padEnd(8)} (${h.length}) ours:  ${summary(h, (r) => r.ours)}`);
    if (withAubio) console.log(`  ${''.padEnd(8)} ${''.padEnd(String(h.length).length + 2)} aubio: ${summary(h, (r) => r.aubio)}`);
    // Per package too: a half's mean can hide one source failing wholesale.
    for (const pkg of [...new Set(h.map((r) => reportGroup(r.ex)))].sort()) {
      const p = h.filter((r) => reportGroup(r.ex) === pkg);
      console.log(`    ${pkg.padEnd(28)} (${p.length}) ours: ${summary(p, (r) => r.ours)}` + (withAubio ? ` · aubio F ${summary(p, (r) => r.aubio).split('  ')[0]!.slice(2)}` : ''));
    }
  }
  for (const id of EVAL_TRACKS) {
    const wav = path.join(EVAL_DIR, `${id}.wav`);
    const ref = readFileSync(path.join(EVAL_DIR, `${id}.beats`), 'utf8').trim().split(/\s+/).map(Number);
    const f = await analyzePcm(pcm16k(wav), { vad: false });
    console.log(`  eval-dev ${id}: ours F ${beatFMeasure(ref, f.beats).toFixed(3)}` + (withAubio ? `, aubio F ${beatFMeasure(ref, aubioBeats(wav)).toFixed(3)}` : ''));
  }
  const duple = [90, 120, 150];
  const modes: Array<[MeterStyle, number[]]> = [
    ['swung-triple', duple],
    ['offbeat-chords', duple],
    ['six-eight', [50, 60, 72]],
    ['offbeat-snare', duple],
    ['disco', duple],
    ['syncopated-kick', duple],
  ];
  for (const [style, tempi] of modes) {
    const fs: string[] = [];
    for (const bpm of tempi) {
      const s = meterGroove({ style, bpm, durationSec: 24 });
      fs.push(`${bpm}: ${beatFMeasure(s.beats, (await analyzePcm(s.pcm, { vad: false })).beats).toFixed(2)}`);
    }
    console.log(`  synthetic ${style.padEnd(15)} F at ${fs.join(', ')} BPM`);
  }
  const meanF = (a: Row[]) => a.reduce((s, r) => s + r.ours.F, 0) / Math.max(1, a.length);
  return { dev: meanF(half('dev')), heldOut: meanF(half('held-out')) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (k: string) => {
    const i = process.argv.indexOf(k);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  await benchBeatCorpus({ split: arg('--split'), quiet: process.argv.includes('--quiet'), aubio: !process.argv.includes('--no-aubio') });
}
