/**
 * Per-frame controls for a video model: the audio curves at the video frame rate,
 * normalised per track, plus event timings (seconds since the last beat / downbeat /
 * section / onset, snapped to the nearest frame so a punch lands on the frame closest to
 * its beat), seeded shake directions and blink times, and zero-phase smoothed loudness.
 * The table is tiny (frames × ~20 floats), so the whole track is computed up front.
 */
import type { FeaturesValue } from '../../src/engine/index.js';
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

/** Seeded blink start times: every 2–5.5 s, first after ~1.5 s. */
export function blinkTimes(durationSec: number, seed: number): number[] {
  const rnd = seededRandom(seed + 7919);
  const out: number[] = [];
  for (let t = 1.2 + rnd() * 1.5; t < durationSec; t += 2 + rnd() * 3.5) out.push(t);
  return out;
}

export interface ControlInputs {
  features: FeaturesValue;
  curves: Record<string, Float32Array>;
  frames: number;
  fps: number;
  seed: number;
  /** Node motion param × the prompt's motion character. */
  motion: number;
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
  const K = names.length;
  const data = new Float32Array(frames * K);
  names.forEach((name, k) => {
    const col = columns[name];
    if (!col) return; // a model asking for a control we do not make reads zeros
    for (let i = 0; i < frames; i++) data[i * K + k] = col[i]!;
  });
  return { frames, names, data };
}
