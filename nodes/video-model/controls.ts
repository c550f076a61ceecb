/**
 * Per-frame controls for a video model: the audio curves at the video frame rate,
 * normalised per track, plus event timings (seconds since the last beat / downbeat /
 * section / onset, snapped to the nearest frame so a punch lands on the frame closest to
 * its beat), seeded shake directions and blink times, and zero-phase smoothed loudness.
 * The table is tiny (frames × ~20 floats), so the whole track is computed up front.
 */
import type { FeaturesValue, VisemeFrames } from '../../src/engine/index.js';
import { seededRandom } from './style.js';

export interface ControlTable {
  frames: number;
  names: readonly string[];
  /** Row-major [frames, names.length]. */
  data: Float32Array;
}

/** A long time: "no event yet" (every envelope has decayed to zero). */
const NEVER = 1e3;

/** Divide by the 98th percentile and clip to 0..1: curves arrive in unknown units. */
export function normalise(curve: Float32Array | undefined, frames: number): Float32Array {
  const out = new Float32Array(frames);
  if (!curve || curve.length === 0) return out;
  const sorted = Float32Array.from(curve.subarray(0, frames)).sort();
  const ref = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.98))] ?? 0;
  if (!(ref > 1e-9)) return out;
  for (let i = 0; i < frames; i++) out[i] = Math.min(1, Math.max(0, (curve[i] ?? 0) / ref));
  return out;
}

/** Forward-backward exponential smoothing: no lag, no jerks. */
export function smooth(x: Float32Array, fps: number, tauSec: number): Float32Array {
  const a = 1 - Math.exp(-1 / (fps * tauSec));
  const y = Float32Array.from(x);
  for (let i = 1; i < y.length; i++) y[i] = y[i - 1]! + a * (y[i]! - y[i - 1]!);
  for (let i = y.length - 2; i >= 0; i--) y[i] = y[i + 1]! + a * (y[i]! - y[i + 1]!);
  return y;
}

/** For each frame: seconds since the last event at or before it (events snapped to frames). */
export function secondsSince(events: readonly number[], frames: number, fps: number): Float32Array {
  const out = new Float32Array(frames).fill(NEVER);
  const idx = [...new Set(events.map((t) => Math.round(t * fps)).filter((i) => i >= 0 && i < frames))].sort((a, b) => a - b);
  let k = -1;
  for (let i = 0; i < frames; i++) {
    while (k + 1 < idx.length && idx[k + 1]! <= i) k++;
    if (k >= 0) out[i] = (i - idx[k]!) / fps;
  }
  return out;
}

/** Seeded blink start times: every 2–5.5 s (divided by `rate`), first after ~1.5 s; rate 0 = never. */
export function blinkTimes(durationSec: number, seed: number, rate = 1): number[] {
  if (!(rate > 0)) return [];
  const rnd = seededRandom(seed + 7919);
  const out: number[] = [];
  for (let t = 1.2 + rnd() * 1.5; t < durationSec; t += (2 + rnd() * 3.5) / rate) out.push(t);
  return out;
}

/** Eyelid closure 0..1, `s` seconds after a blink starts: 70 ms down, 30 ms shut, 120 ms up. */
export function blinkShape(s: number): number {
  if (s < 0) return 0;
  if (s < 0.07) return s / 0.07;
  if (s < 0.1) return 1;
  if (s < 0.22) return 1 - (s - 0.1) / 0.12;
  return 0;
}

/** The performer's own knobs (node params) and its visemes. */
export interface PerformerControls {
  /** Mouth shapes per frame; without them the jaw follows the loudness `mouth` curve. */
  visemes?: VisemeFrames;
  /** Scales jaw, rounding, spread and tuck (1 = as the shapes say). */
  expressiveness: number;
  /** Scales head roll/nod/sway/turn (1 = natural). */
  headMotion: number;
  /** Blinks per ~3.7 s on average (1 = natural, 0 = none). */
  blinkRate: number;
}

/** Columns the performer model reads on top of the shared ones (see performer-layout.ts). */
function performerColumns(o: ControlInputs, p: PerformerControls, base: Record<string, Float32Array>): Record<string, Float32Array> {
  const { frames, fps } = o;
  const v = p.visemes;
  const e = p.expressiveness;
  const col = (f: (i: number) => number) => Float32Array.from({ length: frames }, (_, i) => f(i));
  const mouth = base.mouth!;
  const jawRaw = v ? v.jaw : mouth;
  const jaw = smooth(col((i) => Math.min(1.2, (jawRaw[i] ?? 0) * e)), fps, 0.02);
  const round = smooth(col((i) => Math.min(1, (v?.round[i] ?? 0) * e)), fps, 0.02);
  const spread = smooth(col((i) => Math.min(1, (v?.spread[i] ?? 0) * e)), fps, 0.02);
  // Closure is not scaled: a bilabial closes the lips whatever the expressiveness.
  const press = col((i) => v?.press[i] ?? 0);
  const tuck = smooth(col((i) => Math.min(1, (v?.tuck[i] ?? 0) * e)), fps, 0.02);
  const teeth = col((i) => Math.min(1, 0.35 + 0.65 * spread[i]! + 0.5 * tuck[i]!));
  const since = secondsSince(blinkTimes(frames / fps, o.seed, p.blinkRate), frames, fps);
  const blink = col((i) => blinkShape(since[i]!));
  // Head: the beat (a small alternating roll and a nod on each beat), prosody (louder syllables
  // nod; a rising voice lifts the chin, a falling one lowers it — brightness stands in for pitch
  // when it was not measured), plus a slow seeded drift.
  const h = p.headMotion * o.motion;
  const rnd = seededRandom(o.seed + 31337);
  const ph = [rnd(), rnd(), rnd(), rnd()].map((x) => x * Math.PI * 2);
  const beat = col((i) => Math.exp(-base.sinceBeat![i]! / 0.3));
  const voice = smooth(col((i) => (base.vocal![i] ?? 0) * (base.rms![i] ?? 0)), fps, 0.15);
  const bright = smooth(base.brightness!, fps, 0.4);
  const pitch = v?.pitch;
  const intonation = pitch ? smooth(col((i) => Math.max(-1, Math.min(1, (pitch[i] ?? 0) / 4))), fps, 0.12) : col((i) => (bright[i]! - 0.5) * voice[i]!);
  const t = base.t!;
  return {
    jaw, lipRound: round, lipSpread: spread, lipPress: press, lipTuck: tuck, teeth, blink,
    headRoll: smooth(col((i) => h * (0.35 * beat[i]! * base.beatSign![i]! * (0.4 + base.rmsSlow![i]!) + 0.35 * Math.sin(0.45 * t[i]! + ph[0]!) * (0.3 + base.rmsSlow![i]!))), fps, 0.08),
    headNod: smooth(col((i) => h * (0.35 * beat[i]! * (0.3 + base.rms![i]!) + 0.45 * voice[i]!)), fps, 0.06),
    headSway: smooth(col((i) => h * 0.4 * Math.sin(0.3 * t[i]! + ph[1]!) * (0.3 + base.rmsSlow![i]!)), fps, 0.2),
    headYaw: smooth(col((i) => h * 0.5 * Math.sin(0.37 * t[i]! + ph[2]!) * (0.3 + base.rmsSlow![i]!)), fps, 0.2),
    headPitch: smooth(col((i) => h * (0.5 * intonation[i]! + 0.25 * Math.sin(0.29 * t[i]! + ph[3]!))), fps, 0.15),
  };
}

export interface ControlInputs {
  features: FeaturesValue;
  curves: Record<string, Float32Array>;
  frames: number;
  fps: number;
  seed: number;
  /** Node motion param × the prompt's motion character. */
  motion: number;
  /** For the performer: visemes and its knobs (adds its extra columns). */
  performer?: PerformerControls;
}

export function buildControls(names: readonly string[], o: ControlInputs): ControlTable {
  const { features, curves, frames, fps } = o;
  const curve = (...keys: string[]) => normalise(keys.map((k) => curves[k]).find((c) => c && c.length > 0), frames);
  const rms = curve('rms');
  const brightness = curve('brightness');
  const rnd = seededRandom(o.seed + 104729);
  // One shake direction per onset, held until the next one.
  const onsetFrames = new Set(features.onsets.map((t) => Math.round(t * fps)));
  const shakeX = new Float32Array(frames);
  const shakeY = new Float32Array(frames);
  const beatSign = new Float32Array(frames);
  const beatFrames = new Set(features.beats.map((t) => Math.round(t * fps)));
  let sx = 0;
  let sy = 0;
  let sign = 1;
  for (let i = 0; i < frames; i++) {
    if (onsetFrames.has(i)) {
      const a = rnd() * Math.PI * 2;
      sx = Math.cos(a);
      sy = Math.sin(a);
    }
    if (beatFrames.has(i)) sign = -sign;
    shakeX[i] = sx;
    shakeY[i] = sy;
    beatSign[i] = sign;
  }
  const columns: Record<string, Float32Array> = {
    t: Float32Array.from({ length: frames }, (_, i) => i / fps),
    rms,
    onset: curve('onset'),
    bass: curve('bass'),
    treble: curve('treble', 'high'),
    brightness,
    percussive: curve('percussive'),
    mouth: curve('mouth'),
    vocal: curve('vocal'),
    sinceBeat: secondsSince(features.beats, frames, fps),
    sinceDownbeat: secondsSince(features.downbeats, frames, fps),
    sinceSection: secondsSince(features.sections.filter((t) => t > 0.5), frames, fps),
    sinceOnset: secondsSince(features.onsets, frames, fps),
    shakeX,
    shakeY,
    rmsSlow: smooth(rms, fps, 1.2),
    brightSlow: smooth(brightness, fps, 2),
    sinceBlink: secondsSince(blinkTimes(frames / fps, o.seed), frames, fps),
    motion: new Float32Array(frames).fill(o.motion),
    beatSign,
  };
  if (o.performer) Object.assign(columns, performerColumns(o, o.performer, columns));
  const K = names.length;
  const data = new Float32Array(frames * K);
  names.forEach((name, k) => {
    const col = columns[name];
    if (!col) return; // a model asking for a control we do not make reads zeros
    for (let i = 0; i < frames; i++) data[i * K + k] = col[i]!;
  });
  return { frames, names, data };
}
