/**
 * The cinematic vocabulary the built-in screenwriter draws from, kept as data in vocab.json.
 * Each list is grouped by the audio's character so calm music gets slow moves and soft light,
 * energetic music gets handheld energy and hard light, bright music gets bright grades and
 * dark music dark ones. The order of each list is part of the output: a seed picks by index.
 */
import vocab from './vocab.json' with { type: 'json' };

export type Energy = 'calm' | 'moderate' | 'energetic';
export type Tone = 'bright' | 'neutral' | 'dark';

export const { shots: SHOTS, lenses: LENSES, camera: CAMERA, lighting: LIGHTING, grades: GRADES, atmosphere: ATMOSPHERE, detail: DETAIL } = vocab;
