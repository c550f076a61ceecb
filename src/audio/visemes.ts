/**
 * Visemes per video frame: which mouth shape of the Oculus set (sil PP FF TH DD kk CH SS nn RR
 * aa E I O U) the voice is making, as a distribution per frame.
 *
 * The classifier is @met4citizen/headaudio's (MIT), run offline in viseme-classifier.mjs: 12
 * MFCCs every 16 ms at 16 kHz scored against the prototypes of its English model, the distances
 * turned into soft weights. Here they are made to behave like a mouth:
 *  - our VAD (`vocal`) gates them: no voice → sil;
 *  - co-articulation: each frame looks ahead ~2 frames (lips shape before the sound), a
 *    bilabial (p b m) now or on the next frame closes the lips fully, and vowels hold (decay
 *    slowly) instead of flickering between frames.
 * Which frames are bilabial comes from our own detector (bilabial.ts) when it ran: headaudio
 * hears only about a third of p/b/m closures as PP. Closures show only where closure-gate.ts
 * allows (in speech spans, next to voice): the detector also hears them in music.
 * `openness` (jaw) is the weighted openness of the shapes, scaled by the loudness `mouth` curve.
 */
import { VISEMES, classifyVisemes } from './viseme-classifier.mjs';
import { BILABIAL_SHUT } from './bilabial.js';
import { closureGate } from './closure-gate.js';
import type { VisemeFrames } from '../engine/index.js';

export { VISEMES, classifyVisemes };
export type Viseme = (typeof VISEMES)[number];

/**
 * How each shape moves the mouth: jaw opening, lip rounding (pucker), spread (wide), press
 * (lips together), and lower-lip tuck (under the upper teeth). 0..1, from phonetics charts.
 */
export const SHAPES: Record<Viseme, { jaw: number; round: number; spread: number; press: number; tuck: number }> = {
  sil: { jaw: 0, round: 0, spread: 0, press: 0, tuck: 0 },
  PP: { jaw: 0, round: 0.1, spread: 0, press: 1, tuck: 0 },
  FF: { jaw: 0.12, round: 0, spread: 0.2, press: 0, tuck: 1 },
  TH: { jaw: 0.25, round: 0, spread: 0.2, press: 0, tuck: 0.3 },
  DD: { jaw: 0.3, round: 0, spread: 0.25, press: 0, tuck: 0 },
  kk: { jaw: 0.35, round: 0, spread: 0.15, press: 0, tuck: 0 },
  CH: { jaw: 0.25, round: 0.7, spread: 0, press: 0, tuck: 0 },
  SS: { jaw: 0.15, round: 0, spread: 0.6, press: 0, tuck: 0 },
  nn: { jaw: 0.25, round: 0, spread: 0.2, press: 0, tuck: 0 },
  RR: { jaw: 0.3, round: 0.5, spread: 0, press: 0, tuck: 0 },
  aa: { jaw: 1, round: 0, spread: 0.2, press: 0, tuck: 0 },
  E: { jaw: 0.6, round: 0, spread: 0.6, press: 0, tuck: 0 },
  I: { jaw: 0.35, round: 0, spread: 1, press: 0, tuck: 0 },
  O: { jaw: 0.7, round: 0.8, spread: 0, press: 0, tuck: 0 },
  U: { jaw: 0.35, round: 1, spread: 0, press: 0, tuck: 0 },
};

/** The service's viseme frames (weights row-major [frames, 15], mouth movement, pitch from pitch.ts), with their timing. */
export interface VisemeTrack extends VisemeFrames {
  names: readonly Viseme[];
  fps: number;
  frames: number;
}

export interface VisemeOptions {
  /** Per-frame vocal activity 0..1 (our VAD at the video rate); gates speech vs silence. */
  vocal?: Float32Array;
  /** Per-frame loudness mouth curve 0..1: scales how far the jaw opens. */
  mouth?: Float32Array;
  /** Frames to look ahead for co-articulation (default 2). */
  lookAhead?: number;
  /** Per-frame probability that the lips are shut for p/b/m (bilabial.ts); without it headaudio's PP decides. */
  bilabial?: Float32Array;
  /** The analysis' speech spans (seconds): closures show only inside them (closure-gate.ts). */
  speech?: ReadonlyArray<readonly [number, number]>;
}

/** Classifier weights → the track a mouth follows (VAD gate, look-ahead, full bilabial closure, vowel hold). */
export function shapeVisemes(raw: Float32Array, fps: number, frames: number, opts: VisemeOptions = {}): VisemeTrack {
  const K = VISEMES.length;
  const ahead = opts.lookAhead ?? 2;
  const sil = 0;
  const pp = VISEMES.indexOf('PP');
  const vowels = (['aa', 'E', 'I', 'O', 'U'] as const).map((v) => VISEMES.indexOf(v));
  const gated = Float32Array.from(raw);
  for (let i = 0; i < frames; i++) {
    const voice = opts.vocal ? Math.min(1, Math.max(0, opts.vocal[i] ?? 0)) : 1 - raw[i * K + sil]!;
    for (let k = 0; k < K; k++) gated[i * K + k] = raw[i * K + k]! * voice;
    gated[i * K + sil]! += 1 - voice;
  }
  const mayShut = closureGate(gated, K, fps, frames, opts.speech);
  const out = new Float32Array(frames * K);
  // Vowel hold: a vowel's weight decays by this factor per frame instead of vanishing.
  const hold = Math.exp(-1 / (fps * 0.08));
  const held = new Float32Array(K);
  for (let i = 0; i < frames; i++) {
    const row = out.subarray(i * K, (i + 1) * K);
    // Look ahead: the lips are already shaping the next sound (weights 1, 0.6, 0.3 …).
    let wsum = 0;
    for (let a = 0; a <= ahead && i + a < frames; a++) {
      const w = a === 0 ? 1 : 0.6 / a;
      for (let k = 0; k < K; k++) row[k]! += gated[(i + a) * K + k]! * w;
      wsum += w;
    }
    for (let k = 0; k < K; k++) row[k]! /= wsum;
    for (const v of vowels) {
      held[v] = Math.max(row[v]!, held[v]! * hold);
      row[v] = held[v]!;
    }
    // A bilabial now or on the next frame closes the lips completely: p/b/m are impossible otherwise.
    let shut = false;
    for (let a = 0; mayShut[i] && a <= Math.min(1, ahead) && i + a < frames; a++) {
      shut ||= opts.bilabial ? (opts.bilabial[i + a] ?? 0) >= BILABIAL_SHUT : gated[(i + a) * K + pp]! > 0.35;
    }
    if (shut) {
      row.fill(0);
      row[pp] = 1;
      held.fill(0);
    }
    let total = 0;
    for (let k = 0; k < K; k++) total += row[k]!;
    for (let k = 0; k < K; k++) row[k]! /= total || 1;
  }
  const track: VisemeTrack = {
    names: VISEMES, fps, frames, weights: out,
    jaw: new Float32Array(frames), round: new Float32Array(frames), spread: new Float32Array(frames), press: new Float32Array(frames), tuck: new Float32Array(frames),
  };
  for (let i = 0; i < frames; i++) {
    for (let k = 0; k < K; k++) {
      const w = out[i * K + k]!;
      const s = SHAPES[VISEMES[k]!];
      track.jaw[i]! += w * s.jaw;
      track.round[i]! += w * s.round;
      track.spread[i]! += w * s.spread;
      track.press[i]! += w * s.press;
      track.tuck[i]! += w * s.tuck;
    }
    // Louder speech opens the jaw further; the shape, not the loudness, decides how far at most.
    if (opts.mouth) track.jaw[i]! *= 0.55 + 0.45 * Math.min(1, Math.max(0, opts.mouth[i] ?? 0));
  }
  return track;
}

/** Mono 16 kHz PCM → visemes at `fps` for `frames` frames. */
export function analyzeVisemes(pcm16k: Float32Array, fps: number, frames: number, opts: VisemeOptions = {}): VisemeTrack {
  return shapeVisemes(classifyVisemes(pcm16k, fps, frames), fps, frames, opts);
}

/** The most likely viseme of each frame. */
export function dominantVisemes(track: VisemeTrack): Viseme[] {
  const K = VISEMES.length;
  return Array.from({ length: track.frames }, (_, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (track.weights[i * K + k]! > track.weights[i * K + best]!) best = k;
    return VISEMES[best]!;
  });
}
