/** Scales, chord building and voicing: the little music theory the arranger needs. */
import type { ScaleMode } from './prompt.js';

export const SCALES: Record<ScaleMode, readonly number[]> = {
  major: [0, 2, 4, 5, 7, 9, 11],
  minor: [0, 2, 3, 5, 7, 8, 10],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
  phrygian: [0, 1, 3, 5, 7, 8, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11],
};

/** Progressions as 0-based scale degrees, one entry per chord slot. */
export const PROGRESSIONS = {
  bright: [[0, 4, 5, 3], [0, 5, 3, 4], [0, 3, 0, 4], [5, 3, 0, 4], [0, 2, 3, 4]],
  dark: [[0, 5, 2, 6], [0, 3, 4, 0], [0, 6, 5, 6], [0, 3, 6, 2], [5, 6, 0, 0], [0, 0, 5, 4]],
  jazz: [[1, 4, 0, 0, 1, 4, 0, 5], [0, 5, 1, 4, 2, 5, 1, 4], [1, 4, 2, 5, 1, 4, 0, 0]],
} as const;

/** Semitones above the tonic of scale degree `deg` (any integer; wraps with octaves). */
export function degreeToSemitone(scale: readonly number[], deg: number): number {
  const n = scale.length;
  const oct = Math.floor(deg / n);
  return scale[((deg % n) + n) % n]! + 12 * oct;
}

/** Pitch classes (relative to the tonic) of the chord on `deg`: triad, seventh, or power chord. */
export function chordTones(scale: readonly number[], deg: number, kind: 'triad' | 'seventh' | 'power'): number[] {
  if (kind === 'power') return [degreeToSemitone(scale, deg), degreeToSemitone(scale, deg + 4), degreeToSemitone(scale, deg + 7)];
  const tones = [0, 2, 4].map((s) => degreeToSemitone(scale, deg + s));
  if (kind === 'seventh') tones.push(degreeToSemitone(scale, deg + 6));
  return tones;
}

/** Closed voicing: each tone moved into [low, low+12) so successive chords move by small steps. */
export function voiceChord(tonic: number, tones: number[], low: number): number[] {
  return tones
    .map((t) => {
      let p = tonic + t;
      while (p < low) p += 12;
      while (p >= low + 12) p -= 12;
      return p;
    })
    .sort((a, b) => a - b);
}

/** MIDI note of the chord root in the bass register (E1..D#2 region). */
export function bassNote(tonic: number, semitone: number): number {
  let p = 28 + (((tonic + semitone) % 12) + 12) % 12;
  if (p < 31) p += 12;
  return p;
}

export function midiToHz(midi: number): number {
  return 440 * Math.pow(2, (midi - 69) / 12);
}
