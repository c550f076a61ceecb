/**
 * The arranger: turns a MusicSpec + seed into timed events (drum hits and notes) and a
 * sound design (synth settings). Everything is placed on an exact tempo grid; swing only
 * delays off-beat 16ths/8ths, never the beats themselves, so `beats` is exactly where the
 * quarter notes land.
 */
import type { MusicSpec } from './prompt.js';
import { DRUM_PATTERNS } from './patterns.js';
import { PROGRESSIONS, SCALES, bassNote, chordTones, degreeToSemitone, voiceChord } from './theory.js';
import { Rng, hashString } from '../../../src/engine/index.js';

export interface Hit {
  /** Seconds from the start. */
  t: number;
  vel: number;
}

export interface Note extends Hit {
  dur: number;
  midi: number;
}

/** Synth settings chosen per track (seeded), read by the voices. */
export interface SoundDesign {
  kickHz: number;
  kickDecay: number;
  kickSweep: number;
  snareHz: number;
  snareDecay: number;
  hatHz: number;
  hatDecay: number;
  bassCutoff: number;
  bassDrive: number;
  chordCutoff: number;
  chordDetune: number;
  padCutoff: number;
  padDetune: number;
  leadCutoff: number;
  /** Sidechain duck depth for bass and chords, 0..1 (house/techno pump). */
  duck: number;
  echoBeats: number;
  echoMix: number;
}

export interface Arrangement {
  tempo: number;
  beatSec: number;
  stepSec: number;
  barSec: number;
  durationSec: number;
  /** Quarter-note times (seconds) inside the track. */
  beats: number[];
  kick: Hit[];
  snare: Hit[];
  clap: Hit[];
  hat: Hit[];
  openHat: Hit[];
  ride: Hit[];
  tom: Note[];
  bass: Note[];
  chords: Note[];
  pad: Note[];
  lead: Note[];
  sound: SoundDesign;
}

type Section = 'intro' | 'A' | 'B';

export function arrange(spec: MusicSpec, durationSec: number, seed: number): Arrangement {
  const rng = new Rng(hashString(`arrange|${spec.genre.id}|${spec.tempo}|${spec.key}|${spec.mode}|${seed}`));
  const g = spec.genre;
  const beatSec = 60 / spec.tempo;
  const stepSec = beatSec / 4;
  const barSec = beatSec * 4;
  const bars = Math.ceil(durationSec / barSec) + 1;
  const scale = SCALES[spec.mode];
  const energy = spec.energy;

  // Swing shifts off-beats by a fraction of the swung unit; beats (step % 4 === 0) never move.
  const swingStep = (step: number): number => {
    const s = spec.swing;
    if (g.swingUnit === 16) return step % 2 === 1 ? step + s : step;
    const inBeat = step % 4;
    const base = step - inBeat;
    return base + [0, 1 + s, 2 + 2 * s, 3 + s][inBeat]!;
  };
  const timeOf = (bar: number, step: number) => bar * barSec + swingStep(step) * stepSec;
  const inside = (t: number) => t < durationSec;

  const introBars = barSec > 2.4 ? 1 : 2;
  const leadFirst = rng.chance(0.5);
  const sectionOf = (bar: number): Section => {
    if (bar < introBars) return 'intro';
    const phrase = Math.floor((bar - introBars) / 4);
    return phrase % 2 === (leadFirst ? 1 : 0) ? 'A' : 'B';
  };

  // Harmony: one progression for the track, cycled.
  const bright = spec.mode === 'major' || spec.mode === 'lydian' || spec.mode === 'mixolydian';
  const progs = g.id === 'jazz' ? PROGRESSIONS.jazz : bright ? PROGRESSIONS.bright : PROGRESSIONS.dark;
  const progression = rng.pick(progs as readonly (readonly number[])[]);
  const chordKind = spec.chords === 'power' ? 'power' : g.sevenths ? 'seventh' : 'triad';
  const slotsPerBar = g.harmonicRhythm;
  const slotSteps = 16 / slotsPerBar;
  const chordAt = (bar: number, slot: number) => progression[(bar * slotsPerBar + slot) % progression.length]!;

  const pattern = rng.pick(DRUM_PATTERNS[g.drums]);
  // Seeded variety beyond the notes: chord register, hat feel, and a breakdown bar per 8.
  const voicingLow = rng.pick([48, 51, 53, 56]);
  const hatFeel = rng.pick(['pattern', 'pattern', 'sparse', 'busy'] as const);
  const breakdownAt = rng.int(3, 7);
  const stabRhythm = rng.pick([[2, 6, 10, 14], [0, 3, 6, 10, 13], [3, 6, 11], [0, 6, 12], [2, 7, 10]]);
  const out: Arrangement = {
    tempo: spec.tempo,
    beatSec,
    stepSec,
    barSec,
    durationSec,
    beats: [],
    kick: [],
    snare: [],
    clap: [],
    hat: [],
    openHat: [],
    ride: [],
    tom: [],
    bass: [],
    chords: [],
    pad: [],
    lead: [],
    sound: designSound(spec, rng.fork('sound')),
  };
  for (let k = 0; k * beatSec < durationSec - 1e-9; k++) out.beats.push(k * beatSec);

  const drumRng = rng.fork('drums');
  const jitter = g.swing > 0 ? 0.004 : 0;
  const hit = (list: Hit[], t: number, vel: number, onGrid: boolean) => {
    const tt = onGrid ? t : Math.max(0, t + drumRng.range(-jitter, jitter));
    if (inside(tt)) list.push({ t: tt, vel: Math.min(1, Math.max(0.05, vel)) });
  };
  const hatDense = energy > 0.7;

  for (let bar = 0; bar < bars; bar++) {
    const section = sectionOf(bar);
    const fillBar = section !== 'intro' && (bar - introBars) % 4 === 3;
    const breakdown = section !== 'intro' && (bar - introBars) % 8 === breakdownAt;
    if (spec.drums) {
      for (const s of pattern.kick) hit(out.kick, timeOf(bar, s), s % 4 === 0 ? 1 : 0.8, s % 4 === 0);
      if (section !== 'intro' || g.drums === 'four-floor' || g.drums === 'techno') {
        for (const s of pattern.snare) hit(out.snare, timeOf(bar, s), s % 4 === 0 ? 0.95 : 0.5, s % 4 === 0);
        for (const s of pattern.clap) hit(out.clap, timeOf(bar, s), 0.9, s % 4 === 0);
      }
      let hats = hatDense && pattern.hat.length === 8 ? pattern.hat.concat(pattern.hat.map((s) => s + 1)) : pattern.hat;
      if (hatFeel === 'sparse') hats = hats.filter((s) => s % 4 === 2 || s % 8 === 0);
      else if (hatFeel === 'busy') hats = [...new Set([...hats, 3, 7, 11, 15])].sort((x, y) => x - y);
      if (breakdown) hats = [];
      for (const s of hats) {
        const accent = s % 4 === 0 ? 0.75 : s % 2 === 0 ? 0.6 : 0.38;
        hit(out.hat, timeOf(bar, s), accent * drumRng.range(0.85, 1.05) * (0.6 + 0.5 * energy), s % 4 === 0);
      }
      for (const s of pattern.openHat) hit(out.openHat, timeOf(bar, s), 0.55, false);
      for (const s of pattern.ride) hit(out.ride, timeOf(bar, s), s % 4 === 0 ? 0.7 : 0.5, s % 4 === 0);
      for (const s of pattern.tom) {
        const t = timeOf(bar, s);
        if (inside(t)) out.tom.push({ t, dur: 0.5, midi: 38 + (s % 3) * 3, vel: 0.8 });
      }
      if (fillBar && drumRng.chance(0.6)) {
        // A short snare fill into the next phrase (after the last beat, so the pulse stays clear).
        for (const s of [13, 14, 15]) hit(out.snare, timeOf(bar, s), 0.35 + 0.1 * (s - 13), false);
      }
      if (g.swing > 0 && drumRng.chance(0.5)) hit(out.snare, timeOf(bar, 7), 0.22, false); // ghost note
    }

    // Harmony per chord slot.
    for (let slot = 0; slot < slotsPerBar; slot++) {
      const deg = chordAt(bar, slot);
      const tones = chordTones(scale, deg, chordKind);
      const voiced = voiceChord(spec.key, tones, voicingLow);
      const t0 = timeOf(bar, slot * slotSteps);
      const slotSec = slotSteps * stepSec;
      if (spec.pad && inside(t0)) {
        for (const m of voiced) out.pad.push({ t: t0, dur: slotSec, midi: m, vel: 0.5 });
      }
      if (!breakdown || spec.chords === 'keys') placeChords(out.chords, spec, voiced, bar, slot, slotSteps, timeOf, inside, stabRhythm, rng);
      if (section !== 'intro' || g.bass === 'drone') {
        placeBass(out.bass, spec, scale, deg, tones, bar, slot, slotSteps, chordAt, timeOf, inside, pattern.kick, rng);
      }
    }
  }

  placeLead(out, spec, scale, chordAt, chordKind, slotSteps, sectionOf, timeOf, inside, bars, rng.fork('lead'));
  return out;
}

function designSound(spec: MusicSpec, rng: Rng): SoundDesign {
  const b = spec.brightness;
  const g = spec.genre.id;
  return {
    kickHz: g === 'trap' ? rng.range(40, 46) : rng.range(46, 58),
    kickDecay: g === 'trap' ? rng.range(0.5, 0.8) : g === 'techno' ? rng.range(0.18, 0.28) : rng.range(0.22, 0.36),
    kickSweep: rng.range(3, 5),
    snareHz: rng.range(1400, 2600) * (0.7 + 0.6 * b),
    snareDecay: g === 'lofi' ? rng.range(0.08, 0.12) : rng.range(0.1, 0.18),
    hatHz: rng.range(6500, 9000) * (0.8 + 0.4 * b),
    hatDecay: rng.range(0.025, 0.05),
    bassCutoff: rng.range(250, 500) * (0.6 + 1.0 * b),
    bassDrive: g === 'rock' || g === 'techno' || g === 'dnb' ? rng.range(1.5, 3) : rng.range(1, 1.6),
    chordCutoff: rng.range(900, 1800) * (0.5 + 1.5 * b),
    chordDetune: rng.range(0.004, 0.012),
    padCutoff: rng.range(500, 1200) * (0.5 + 1.5 * b),
    padDetune: rng.range(0.006, 0.014),
    leadCutoff: rng.range(1500, 3500) * (0.5 + 1.2 * b),
    duck: g === 'house' || g === 'techno' || g === 'pop' || g === 'trap' ? rng.range(0.35, 0.6) : 0,
    echoBeats: rng.pick([0.75, 0.5, 1.5]),
    echoMix: 0.12 + 0.3 * spec.space,
  };
}

function placeChords(
  out: Note[],
  spec: MusicSpec,
  voiced: number[],
  bar: number,
  slot: number,
  slotSteps: number,
  timeOf: (bar: number, step: number) => number,
  inside: (t: number) => boolean,
  stabRhythm: readonly number[],
  rng: Rng,
): void {
  const add = (step: number, durSteps: number, vel: number) => {
    const t = timeOf(bar, step);
    if (!inside(t)) return;
    const dur = durSteps * (timeOf(0, 4) / 4);
    for (const m of voiced) out.push({ t, dur, midi: m, vel });
  };
  const base = slot * slotSteps;
  switch (spec.chords) {
    case 'none':
      return;
    case 'stabs': {
      for (const s of stabRhythm) if (s < slotSteps) add(base + s, 1.5, s % 4 === 0 ? 0.75 : 0.65);
      return;
    }
    case 'keys':
      add(base, slotSteps - 0.5, 0.7);
      if (rng.chance(0.35)) add(base + 10, slotSteps - 10.5, 0.45);
      return;
    case 'comp': {
      const hits = [2, 6, 10, 14, 3, 11].filter(() => rng.chance(0.4)).slice(0, 3);
      if (hits.length === 0) hits.push(6);
      for (const s of hits) if (s < slotSteps) add(base + s, 2, 0.55);
      return;
    }
    case 'power':
      for (let s = 0; s < slotSteps; s += 2) add(base + s, 1.8, s % 4 === 0 ? 0.75 : 0.6);
      return;
    case 'pad':
      add(base, slotSteps, 0.45);
      return;
  }
}

function placeBass(
  out: Note[],
  spec: MusicSpec,
  scale: readonly number[],
  deg: number,
  tones: number[],
  bar: number,
  slot: number,
  slotSteps: number,
  chordAt: (bar: number, slot: number) => number,
  timeOf: (bar: number, step: number) => number,
  inside: (t: number) => boolean,
  kickSteps: number[],
  rng: Rng,
): void {
  const root = bassNote(spec.key, tones[0]!);
  const fifth = root + ((tones[2] ?? tones[0]! + 7) - tones[0]!);
  const step = timeOf(0, 4) / 4; // beats never swing, so this is the plain 16th
  const base = slot * slotSteps;
  const add = (s: number, durSteps: number, midi: number, vel: number) => {
    const t = timeOf(bar, base + s);
    if (inside(t)) out.push({ t, dur: durSteps * step, midi, vel });
  };
  switch (spec.genre.bass) {
    case 'offbeat':
      for (const s of [2, 6, 10, 14]) if (s < slotSteps) add(s, 1.6, root, 0.9);
      return;
    case 'rumble':
      for (let s = 0; s < slotSteps; s++) if (s % 4 !== 0) add(s, 0.8, root, s % 2 ? 0.6 : 0.8);
      return;
    case 'roots':
      add(0, 6, root, 0.9);
      add(10, 3, rng.chance(0.5) ? fifth : root, 0.75);
      if (rng.chance(0.4)) add(14, 1.5, root + 12, 0.6);
      return;
    case 'walking': {
      const next = bassNote(spec.key, degreeToSemitone(scale, chordAt(bar, slot + 1)));
      const third = root + ((tones[1]! - tones[0]! + 12) % 12);
      const line = slotSteps === 8 ? [root, rng.chance(0.5) ? third : fifth] : [root, third, fifth, next + (rng.chance(0.5) ? 1 : -1)];
      line.forEach((m, i) => add(i * 4, 3.6, m, i === 0 ? 0.9 : 0.75));
      void deg;
      return;
    }
    case 'reese':
      add(0, 10, root, 0.9);
      add(10, 6, rng.chance(0.5) ? root : fifth - 12 >= 28 ? fifth - 12 : fifth, 0.8);
      return;
    case 'eighths':
      for (let s = 0; s < slotSteps; s += 2) add(s, 1.7, s === 12 && rng.chance(0.3) ? fifth : root, s % 4 === 0 ? 0.9 : 0.75);
      return;
    case 'sub': {
      const ks = kickSteps.filter((s) => s >= base && s < base + slotSteps).map((s) => s - base);
      if (ks.length === 0) ks.push(0);
      ks.forEach((s, i) => add(s, (ks[i + 1] ?? slotSteps) - s, root, 0.95));
      return;
    }
    case 'drone':
      add(0, slotSteps, root, 0.7);
      return;
  }
}

function placeLead(
  out: Arrangement,
  spec: MusicSpec,
  scale: readonly number[],
  chordAt: (bar: number, slot: number) => number,
  chordKind: 'triad' | 'seventh' | 'power',
  slotSteps: number,
  sectionOf: (bar: number) => Section,
  timeOf: (bar: number, step: number) => number,
  inside: (t: number) => boolean,
  bars: number,
  rng: Rng,
): void {
  if (spec.lead === 'none') return;
  // A two-bar motif: rhythm + scale-degree contour, reused with small changes.
  const density = 0.25 + 0.35 * spec.energy;
  const motif: Array<{ step: number; len: number; deg: number }> = [];
  let deg = rng.int(2, 6);
  for (let s = 0; s < 32; ) {
    const strong = s % 4 === 0;
    if (rng.chance(strong ? density + 0.2 : density)) {
      const len = rng.pick([1, 2, 2, 3, 4, 6]);
      deg += rng.pick([-2, -1, -1, 0, 1, 1, 2, 3, -3]);
      deg = Math.max(0, Math.min(10, deg));
      motif.push({ step: s, len: Math.min(len, 32 - s), deg });
      s += len;
    } else {
      s += rng.pick([1, 2]);
    }
  }
  if (motif.length === 0) motif.push({ step: 0, len: 4, deg: 4 });
  const tonic = 60 + spec.key;
  const step = timeOf(0, 4) / 4; // beats never swing, so this is the plain 16th
  for (let bar = 0; bar < bars; bar += 2) {
    if (sectionOf(bar) !== 'B') continue;
    const variation = rng.chance(0.3) ? rng.pick([-1, 1]) : 0;
    for (const n of motif) {
      const b = bar + Math.floor(n.step / 16);
      const s = n.step % 16;
      const t = timeOf(b, s);
      if (!inside(t)) continue;
      let midi = tonic + degreeToSemitone(scale, n.deg + (n.step >= 16 ? variation : 0));
      if (s % 4 === 0) {
        // Strong beats land on a chord tone of the chord under them.
        const chord = chordTones(scale, chordAt(b, Math.floor(s / slotSteps)), chordKind).map((c) => tonic + c);
        midi = nearestPitchClass(midi, chord);
      }
      out.lead.push({ t, dur: n.len * step * 0.92, midi, vel: s % 4 === 0 ? 0.8 : 0.65 });
    }
  }
}

function nearestPitchClass(midi: number, chord: number[]): number {
  let best = midi;
  let bestD = 99;
  for (const c of chord) {
    for (const o of [-12, 0, 12]) {
      const d = Math.abs(c + o - midi);
      if (d < bestD) {
        bestD = d;
        best = c + o;
      }
    }
  }
  return best;
}
