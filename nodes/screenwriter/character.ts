/** What the audio feels like, in the two axes the screenwriter uses: energy and tone. */
import type { FeaturesValue } from '../../src/engine/index.js';
import type { Energy, Tone } from './vocab.js';

export interface AudioCharacter {
  energy: Energy;
  tone: Tone;
  /** 0..1 scores behind the labels (for logs and tests). */
  energyScore: number;
  brightnessScore: number;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const mean = (xs: ArrayLike<number> | undefined) => {
  if (!xs || xs.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
};

/**
 * Energy from tempo, onset density and loudness; tone from the brightness curve (spectral
 * centroid mapped to 0..1 by the analyzer).
 */
export function audioCharacter(f: FeaturesValue): AudioCharacter {
  const seconds = Math.max(1e-3, f.durationSec);
  const onsetRate = f.onsets.length / seconds;
  const tempo = Number.isFinite(f.tempo) && f.tempo > 0 ? f.tempo : 100;
  const energyScore = 0.45 * clamp01((tempo - 70) / 80) + 0.35 * clamp01(onsetRate / 8) + 0.2 * clamp01(mean(f.curves.rms));
  const brightnessScore = clamp01(mean(f.curves.brightness));
  return {
    energy: energyScore >= 0.55 ? 'energetic' : energyScore <= 0.35 ? 'calm' : 'moderate',
    tone: brightnessScore >= 0.35 ? 'bright' : brightnessScore <= 0.12 ? 'dark' : 'neutral',
    energyScore,
    brightnessScore,
  };
}
