/**
 * The built-in screenwriter: turns a short idea ("a fox in a snowy forest") into a cinematic
 * scene prompt by adding a shot type, lens, camera movement, lighting, colour grade,
 * atmosphere and a subject detail. The user's words come first, verbatim; the choices are
 * drawn by seed and, when features are given, by the music's energy and tone.
 */
import { Rng, hashString } from '../../src/engine/index.js';
import type { AudioCharacter } from './character.js';
import { ATMOSPHERE, CAMERA, DETAIL, GRADES, LENSES, LIGHTING, SHOTS, type Energy, type Tone } from './vocab.js';

export interface SceneElements {
  shot: string;
  lens: string;
  camera: string;
  lighting: string;
  grade: string;
  atmosphere: string;
  detail: string;
}

export interface Expansion {
  text: string;
  elements: SceneElements;
  energy: Energy;
  tone: Tone;
}

/** Expand `subject` (already free of rhythm wording) into a scene prompt. Pure. */
export function expandScene(subject: string, seed: number, character?: AudioCharacter): Expansion {
  const rng = new Rng(hashString(`screenwriter|${subject}|${seed}`));
  // Without audio the seed picks the character too, so different seeds explore different moods.
  const energy: Energy = character?.energy ?? rng.pick(['calm', 'moderate', 'energetic'] as const);
  const tone: Tone = character?.tone ?? rng.pick(['bright', 'neutral', 'dark'] as const);
  const elements: SceneElements = {
    shot: rng.pick(SHOTS[energy]),
    lens: rng.pick(LENSES[energy]),
    camera: rng.pick(CAMERA[energy]),
    lighting: rng.pick(LIGHTING[tone]),
    grade: rng.pick(GRADES[tone]),
    atmosphere: rng.pick(ATMOSPHERE[energy]),
    detail: rng.pick(DETAIL),
  };
  const e = elements;
  const text = `${subject}. ${capitalise(e.shot)}, ${e.lens}, ${e.camera}. ${capitalise(e.lighting)}, ${e.grade}. ${capitalise(e.atmosphere)}, ${e.detail}.`;
  return { text, elements, energy, tone };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
