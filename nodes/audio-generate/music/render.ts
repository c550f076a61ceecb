/**
 * Prompt → finished stereo track. Parses the prompt, arranges, renders each part into its own
 * bus with the synth voices, mixes (echo, sidechain duck, colour), then masters to −14 LUFS
 * with a −1 dBFS look-ahead limiter. Deterministic for a given prompt + seed.
 */
import { arrange, type Arrangement, type Note } from './arrange.js';
import { createBus, type StereoBus } from './dsp.js';
import { clap, hat, kick, snare, tom, type DrumContext } from './drums.js';
import { addVinyl, applyCurve, duckInto, fades, lowPass, PingPongEcho } from './effects.js';
import { DEFAULT_MASTER, master } from './master.js';
import { parseMusicPrompt, type MusicSpec } from './prompt.js';
import { renderFm, renderSubtractive } from './tonal.js';
import { midiToHz } from './theory.js';
import { bassPatch, chordPatch, leadPatch, padPatch, type Patch } from './voices.js';
import { S2VError, cancelledError, hashString } from '../../../src/engine/index.js';

export interface MusicRenderOptions {
  durationSec: number;
  seed: number;
  sampleRate?: number;
  targetLufs?: number;
  signal?: AbortSignal;
  progress?: (fraction: number, message: string) => void;
}

/** A rendered track: planar stereo, its exact beat grid, and what the prompt was read as. */
export interface MusicRender {
  sampleRate: number;
  left: Float32Array;
  right: Float32Array;
  /** Quarter-note times in seconds. */
  beats: number[];
  tempo: number;
  spec: MusicSpec;
  /** Integrated loudness after mastering, LUFS. */
  loudness: number;
}

interface NoteGroup {
  t: number;
  dur: number;
  vel: number;
  midi: number[];
}

/** Notes that start and end together (a chord) become one voice. */
function groupChords(notes: Note[]): NoteGroup[] {
  const groups = new Map<string, NoteGroup>();
  for (const n of notes) {
    const key = `${n.t.toFixed(6)}|${n.dur.toFixed(6)}`;
    const g = groups.get(key);
    if (g) g.midi.push(n.midi);
    else groups.set(key, { t: n.t, dur: n.dur, vel: n.vel, midi: [n.midi] });
  }
  return [...groups.values()];
}

/** A part's voices; each window plays all of them and the voices skip what lies outside it. */
interface Part {
  groups: NoteGroup[];
  patch: Patch;
  spread: number;
}

function part(notes: Note[], patch: Patch, spread: number): Part {
  return { groups: groupChords(notes), patch, spread };
}

function playPart(bus: StereoBus, sr: number, p: Part): void {
  for (const c of p.groups) {
    // A little pan movement by pitch keeps single-note parts from sitting dead centre.
    const pan = p.spread * (((c.midi[0]! % 5) - 2) / 2);
    const span = { t: c.t, dur: c.dur, hz: c.midi.map(midiToHz), vel: c.vel, pan };
    if (p.patch.engine === 'sub') renderSubtractive(bus, sr, span, p.patch.voice);
    else renderFm(bus, sr, span, p.patch.voice);
  }
}

/**
 * Tie a note into the next one of the same pitch that starts where it ends (common tones
 * between pad chords): smoother, and a held voice is cheaper than a restarted one.
 */
export function tieNotes(notes: Note[]): Note[] {
  const open = new Map<number, Note>();
  const out: Note[] = [];
  for (const n of [...notes].sort((a, b) => a.t - b.t || a.midi - b.midi)) {
    const prev = open.get(n.midi);
    if (prev && Math.abs(prev.t + prev.dur - n.t) < 1e-6) {
      prev.dur += n.dur;
      continue;
    }
    const copy = { ...n };
    open.set(n.midi, copy);
    out.push(copy);
  }
  return out;
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw cancelledError('music generator');
}

function renderDrums(a: Arrangement, frames: number, sr: number, seed: number): StereoBus {
  const bus = createBus(frames);
  const ctx: DrumContext = { bus, sampleRate: sr, noise: { s: (seed ^ 0x5bd1e995) | 0 || 1 } };
  const sd = a.sound;
  for (const h of a.kick) kick(ctx, h.t, h.vel, sd.kickHz, sd.kickDecay, sd.kickSweep);
  for (const h of a.snare) snare(ctx, h.t, h.vel * 0.7, sd.snareHz, sd.snareDecay);
  for (const h of a.clap) clap(ctx, h.t, h.vel * 0.6);
  for (const h of a.hat) hat(ctx, h.t, h.vel * 0.55, sd.hatHz, sd.hatDecay, 0.25);
  for (const h of a.openHat) hat(ctx, h.t, h.vel * 0.45, sd.hatHz * 0.9, 0.18, -0.2);
  for (const h of a.ride) hat(ctx, h.t, h.vel * 0.35, sd.hatHz * 0.7, 0.3, -0.35);
  for (const n of a.tom) tom(ctx, n.t, n.vel * 0.8, midiToHz(n.midi));
  return bus;
}

function mixInto(dst: StereoBus, src: StereoBus, gain: number): void {
  for (let i = 0; i < dst.L.length; i++) {
    dst.L[i]! += src.L[i]! * gain;
    dst.R[i]! += src.R[i]! * gain;
  }
}

/**
 * Longest track renderMusic makes. Tonal parts are rendered in WINDOW_SEC windows straight
 * into the one full-length mix, and mastering streams, so memory is the finished track
 * (8 bytes a frame: ~212 MB for 600 s at 44.1 kHz) plus a few MB, instead of a full-length
 * bus per part and copies for mastering (~1.7 GB at 600 s before).
 */
export const MAX_MUSIC_SEC = 600;
/** Window for the tonal parts; a voice that spans a window edge is computed again up to it. */
const WINDOW_SEC = 30;

/** A window of `bus`: track frames [from, from + n) as a bus of its own (shares memory). */
function view(bus: StereoBus, from: number, n: number): StereoBus {
  return { L: bus.L.subarray(from, from + n), R: bus.R.subarray(from, from + n), offset: from };
}

/** Render a prompt to a mastered stereo track. Throws E106 for a length or rate out of range. */
export function renderMusic(prompt: string, opts: MusicRenderOptions): MusicRender {
  const sr = opts.sampleRate ?? 44100;
  if (!(opts.durationSec > 0 && opts.durationSec <= MAX_MUSIC_SEC)) {
    throw new S2VError('E106', `music duration must be more than 0 and at most ${MAX_MUSIC_SEC} s (got ${opts.durationSec})`, { where: 'music generator' });
  }
  if (!(Number.isInteger(sr) && sr >= 8000 && sr <= 192000)) {
    throw new S2VError('E106', `music sample rate must be a whole number of Hz from 8000 to 192000 (got ${sr})`, { where: 'music generator' });
  }
  const frames = Math.max(1, Math.round(opts.durationSec * sr));
  checkAbort(opts.signal);
  const seed = opts.seed >>> 0;
  const spec = parseMusicPrompt(prompt, seed);
  const a = arrange(spec, frames / sr, hashString(`${prompt}|${seed}`));
  const progress = opts.progress ?? (() => undefined);

  progress(0.05, 'drums');
  const mix = spec.drums ? renderDrums(a, frames, sr, hashString(`drums|${seed}`)) : createBus(frames);
  checkAbort(opts.signal);

  progress(0.3, 'bass and chords');
  const kicks = a.kick.map((h) => h.t);
  const bass = part(a.bass, bassPatch(spec.genre.bass, a.sound), 0);
  const chord = chordPatch(spec.chords, a.sound, spec.brightness);
  const harmony = chord ? part(a.chords, chord, 0.35) : undefined;
  const pad = part(tieNotes(a.pad), padPatch(a.sound, spec.chords === 'keys' || spec.chords === 'comp'), 0.6);
  const lead = spec.lead !== 'none' ? part(a.lead, leadPatch(spec.lead, a.sound), 0.15) : undefined;
  const keysEcho = spec.chords === 'keys' || spec.chords === 'comp';
  const echo = new PingPongEcho(sr, a.sound.echoBeats * a.beatSec, 0.35, a.sound.echoMix);
  const padGain = spec.genre.id === 'ambient' ? 0.7 : 0.3;

  const win = Math.min(frames, Math.round(WINDOW_SEC * sr));
  const partBuf = createBus(win);
  const harmonyBuf = createBus(win);
  const leadBuf = createBus(win);
  const duckBuf = new Float32Array(win);
  // Per window, the same steps in the same order as a whole-track render: every part on its
  // own bus, harmony into the lead for keys (before the duck), echo on the lead, the duck on
  // bass/harmony/pad, then the mix in the order bass, harmony, pad, lead.
  for (let from = 0; from < frames; from += win) {
    checkAbort(opts.signal);
    const n = Math.min(win, frames - from);
    const out = view(mix, from, n);
    const bus = (b: StereoBus) => {
      b.L.fill(0);
      b.R.fill(0);
      return view(b, 0, n);
    };
    const at = (b: StereoBus): StereoBus => ({ ...b, offset: from });
    const duck = duckBuf.subarray(0, n);
    duckInto(duck, from, frames, sr, kicks, a.sound.duck);

    const bassBus = at(bus(partBuf));
    playPart(bassBus, sr, bass);
    applyCurve(bassBus, duck);
    mixInto(out, bassBus, 0.7);

    const harmonyBus = at(bus(harmonyBuf));
    if (harmony) playPart(harmonyBus, sr, harmony);
    const leadBus = at(bus(leadBuf));
    if (lead) playPart(leadBus, sr, lead);
    if (keysEcho) mixInto(leadBus, harmonyBus, 0.6);
    echo.process(leadBus);
    if (!keysEcho) {
      applyCurve(harmonyBus, duck);
      mixInto(out, harmonyBus, 0.55);
    }

    const padBus = at(bus(partBuf));
    playPart(padBus, sr, pad);
    applyCurve(padBus, duck);
    mixInto(out, padBus, padGain);
    mixInto(out, leadBus, 0.5);
    progress(0.3 + (0.5 * (from + n)) / frames, 'bass, chords, pads and lead');
  }
  checkAbort(opts.signal);

  progress(0.8, 'master');
  if (spec.dusty) {
    addVinyl(mix, sr, hashString(`vinyl|${seed}`), 0.02);
    lowPass(mix, sr, 5500);
  } else if (spec.warm) {
    lowPass(mix, sr, 8000);
  }
  fades(mix, sr, 0.003, Math.min(1.5, frames / sr / 10));
  const loudness = master(mix.L, mix.R, sr, { ...DEFAULT_MASTER, targetLufs: opts.targetLufs ?? DEFAULT_MASTER.targetLufs });
  checkAbort(opts.signal);
  progress(1, 'done');
  return { sampleRate: sr, left: mix.L, right: mix.R, beats: a.beats, tempo: a.tempo, spec, loudness };
}
