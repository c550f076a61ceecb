/**
 * Prompt → finished stereo track. Parses the prompt, arranges, renders each part into its own
 * bus with the synth voices, mixes (echo, sidechain duck, colour), then masters to −14 LUFS
 * with a −1 dBFS look-ahead limiter. Deterministic for a given prompt + seed.
 */
import { arrange, type Arrangement, type Note } from './arrange.js';
import { createBus, type StereoBus } from './dsp.js';
import { clap, hat, kick, snare, tom, type DrumContext } from './drums.js';
import { addVinyl, applyCurve, duckCurve, fades, lowPass, pingPongEcho } from './effects.js';
import { DEFAULT_MASTER, master } from './master.js';
import { parseMusicPrompt, type MusicSpec } from './prompt.js';
import { renderFm, renderSubtractive } from './tonal.js';
import { midiToHz } from './theory.js';
import { bassPatch, chordPatch, leadPatch, padPatch, type Patch } from './voices.js';
import { hashString } from '../random.js';
import { S2VError, cancelledError } from '../../engine/errors.js';

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

/** Notes that start and end together (a chord) become one voice. */
function groupChords(notes: Note[]): Array<{ t: number; dur: number; vel: number; midi: number[] }> {
  const groups = new Map<string, { t: number; dur: number; vel: number; midi: number[] }>();
  for (const n of notes) {
    const key = `${n.t.toFixed(6)}|${n.dur.toFixed(6)}`;
    const g = groups.get(key);
    if (g) g.midi.push(n.midi);
    else groups.set(key, { t: n.t, dur: n.dur, vel: n.vel, midi: [n.midi] });
  }
  return [...groups.values()];
}

function playNotes(bus: StereoBus, sr: number, notes: Note[], patch: Patch, spread: number): void {
  for (const c of groupChords(notes)) {
    // A little pan movement by pitch keeps single-note parts from sitting dead centre.
    const pan = spread * (((c.midi[0]! % 5) - 2) / 2);
    const span = { t: c.t, dur: c.dur, hz: c.midi.map(midiToHz), vel: c.vel, pan };
    if (patch.engine === 'sub') renderSubtractive(bus, sr, span, patch.voice);
    else renderFm(bus, sr, span, patch.voice);
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
 * Longest track renderMusic makes. Every part has its own full-length bus, so 600 s at
 * 44.1 kHz already peaks near 1.7 GB; an unbounded length would exhaust memory (Infinity
 * aborted the process outright).
 */
export const MAX_MUSIC_SEC = 600;

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
  const duck = duckCurve(frames, sr, a.kick.map((h) => h.t), a.sound.duck);
  const bass = createBus(frames);
  playNotes(bass, sr, a.bass, bassPatch(spec.genre.bass, a.sound), 0);
  const harmony = createBus(frames);
  const chord = chordPatch(spec.chords, a.sound, spec.brightness);
  if (chord) playNotes(harmony, sr, a.chords, chord, 0.35);
  checkAbort(opts.signal);
  progress(0.5, 'pads');
  const pad = createBus(frames);
  playNotes(pad, sr, tieNotes(a.pad), padPatch(a.sound, spec.chords === 'keys' || spec.chords === 'comp'), 0.6);
  checkAbort(opts.signal);

  progress(0.65, 'lead');
  const lead = createBus(frames);
  if (spec.lead !== 'none') playNotes(lead, sr, a.lead, leadPatch(spec.lead, a.sound), 0.15);
  const keysEcho = spec.chords === 'keys' || spec.chords === 'comp';
  if (keysEcho) mixInto(lead, harmony, 0.6);
  pingPongEcho(lead, sr, a.sound.echoBeats * a.beatSec, 0.35, a.sound.echoMix);

  applyCurve(bass, duck);
  applyCurve(harmony, duck);
  applyCurve(pad, duck);
  mixInto(mix, bass, 0.7);
  if (!keysEcho) mixInto(mix, harmony, 0.55);
  mixInto(mix, pad, spec.genre.id === 'ambient' ? 0.7 : 0.3);
  mixInto(mix, lead, 0.5);
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

/** Interleave planar stereo for a WAV writer. */
export function interleave(left: Float32Array, right: Float32Array): Float32Array {
  const out = new Float32Array(left.length * 2);
  for (let i = 0; i < left.length; i++) {
    out[2 * i] = left[i]!;
    out[2 * i + 1] = right[i]!;
  }
  return out;
}
