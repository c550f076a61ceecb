/**
 * Curves at video frame times t_i = i / fps exactly. Going down in rate each frame
 * averages the analysis frames it covers (onset takes the max so hits are not lost);
 * going up it interpolates. Adds per-frame impulses (beat, downbeat, onsetHit), a
 * beatPhase ramp 0..1 between beats and the section index.
 */
import type { FeaturesValue } from '../engine/types.js';

const PEAK_CURVES = new Set(['onset', 'percussive']);

export function curvesAtFps(features: FeaturesValue, fps: number, frames: number): Record<string, Float32Array> {
  if (!(fps > 0) || !Number.isInteger(frames) || frames < 0) throw new Error(`curvesAtFps: bad fps ${fps} or frames ${frames}`);
  const rate = features.rate;
  const out: Record<string, Float32Array> = {};
  for (const [name, curve] of Object.entries(features.curves)) {
    out[name] = resample(curve, rate, fps, frames, PEAK_CURVES.has(name));
  }
  out.beat = impulses(features.beats, fps, frames);
  out.downbeat = impulses(features.downbeats, fps, frames);
  out.onsetHit = impulses(features.onsets, fps, frames);
  out.beatPhase = beatPhase(features.beats, fps, frames);
  const section = new Float32Array(frames);
  const bounds = [...features.sections].sort((a, b) => a - b);
  let k = 0;
  for (let i = 0; i < frames; i++) {
    while (k < bounds.length && bounds[k]! <= i / fps) k++;
    section[i] = k;
  }
  out.section = section;
  return out;
}

/** One curve at `rate` Hz at video frame times (what curvesAtFps gives for it). */
export function resample(curve: number[], rate: number, fps: number, frames: number, peak = false): Float32Array {
  const out = new Float32Array(frames);
  const n = curve.length;
  if (n === 0) return out;
  const span = rate / fps;
  for (let i = 0; i < frames; i++) {
    const x = (i / fps) * rate;
    if (span <= 1.5) {
      const j = Math.floor(x);
      const f = x - j;
      const a = curve[Math.min(n - 1, j)]!;
      const b = curve[Math.min(n - 1, j + 1)]!;
      out[i] = a * (1 - f) + b * f;
      continue;
    }
    // Window centred on the frame time so averaging does not shift anything in time.
    const lo = Math.max(0, Math.ceil(x - span / 2));
    const hi = Math.min(n - 1, Math.floor(x + span / 2 - 1e-9));
    let s = 0;
    let m = 0;
    let c = 0;
    for (let j = lo; j <= hi; j++) {
      s += curve[j]!;
      if (curve[j]! > m) m = curve[j]!;
      c++;
    }
    out[i] = c === 0 ? curve[Math.min(n - 1, Math.round(x))]! : peak ? m : s / c;
  }
  return out;
}

/** 1 on the frame nearest each event time. */
function impulses(times: number[], fps: number, frames: number): Float32Array {
  const out = new Float32Array(frames);
  for (const t of times) {
    const i = Math.round(t * fps);
    if (i >= 0 && i < frames) out[i] = 1;
  }
  return out;
}

function beatPhase(beats: number[], fps: number, frames: number): Float32Array {
  const out = new Float32Array(frames);
  if (beats.length < 2) return out;
  let k = 0;
  for (let i = 0; i < frames; i++) {
    const t = i / fps;
    while (k + 1 < beats.length && beats[k + 1]! <= t) k++;
    // Before the first and after the last beat, extend the nearest beat period.
    const a = k + 1 < beats.length ? k : beats.length - 2;
    const period = beats[a + 1]! - beats[a]!;
    const ph = (t - beats[k]!) / period;
    out[i] = ph - Math.floor(ph);
  }
  return out;
}
