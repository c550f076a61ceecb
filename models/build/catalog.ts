/**
 * The shipped models: id → builder + manifest fields. `models/build.ts` writes them to
 * disk; the reproducibility test rebuilds them in memory and compares bytes.
 */
import { createHash } from 'node:crypto';
import type { ModelManifest } from '../../src/engine/services/inference.js';
import type { GraphBuilder } from './graph-builder.js';
import { CONTROLS, STYLE } from './layout.js';
import { MESH_BASES, MESH_MAPS, PERFORMER_CONTROLS } from './models/performer-layout.js';
import { buildPulse } from './models/pulse.js';
import { buildPerformer } from './models/performer.js';
import { buildDrift } from './models/drift.js';
import { buildA2v } from './models/a2v.js';

/** The manifest fields a builder states itself; the rest (files, defaults, layout) are derived. */
export type ModelSpec = Pick<ModelManifest, 'id' | 'title' | 'version' | 'kind' | 'requiresImage' | 'features' | 'description'> & {
  build(): GraphBuilder;
};

export const MODEL_SPECS: readonly ModelSpec[] = [
  {
    id: 'pulse',
    title: 'Pulse (music)',
    version: '1.1.0',
    kind: 's2v',
    requiresImage: true,
    features: ['rms', 'onset', 'bass', 'treble', 'percussive', 'beat', 'downbeat', 'onsetHit', 'section'],
    description: 'Beat-locked zoom punches, camera shake on onsets, exposure and colour accents on kicks, downbeats and section changes; bass drives scale, treble shimmer.',
    build: buildPulse,
  },
  {
    id: 'performer',
    title: 'Performer (lip-sync)',
    version: '2.0.0',
    kind: 's2v',
    requiresImage: true,
    features: ['visemes', 'mouth', 'vocal', 'rms', 'brightness', 'beat'],
    description: 'A talking portrait: a landmark mesh moves lips and jaw per viseme, the inner mouth shows only as far as the lips part, eyelids blink along the eye, and the head rolls, nods and turns slightly with the voice and the beat.',
    build: buildPerformer,
  },
  {
    id: 'drift',
    title: 'Drift (ambient)',
    version: '1.1.0',
    kind: 's2v',
    requiresImage: true,
    features: ['rms', 'brightness'],
    description: 'Slow camera drift and breathing scale; light and colour follow loudness and brightness. Smooth, no jerks.',
    build: buildDrift,
  },
  {
    id: 'a2v',
    title: 'Abstract (audio only)',
    version: '1.1.0',
    kind: 'a2v',
    requiresImage: false,
    features: ['rms', 'onset', 'bass', 'treble', 'brightness', 'beat', 'downbeat', 'onsetHit'],
    description: 'Layered plasma and flow fields, radial bursts and rings launched on beats, swirls, from a coordinate grid, coloured by the prompt palette; no image needed.',
    build: buildA2v,
  },
];

export interface BuiltModel {
  id: string;
  file: string;
  bytes: Uint8Array;
  manifest: Record<string, unknown>;
}

/** Build one model in memory: ONNX bytes plus the manifest that names their sha256. */
export function buildModel(spec: ModelSpec): BuiltModel {
  const bytes = spec.build().encode(spec.description, { 's2v.model': spec.id, 's2v.version': spec.version });
  const file = `${spec.id}.onnx`;
  const manifest = {
    id: spec.id,
    title: spec.title,
    version: spec.version,
    kind: spec.kind,
    requiresImage: spec.requiresImage,
    features: spec.features,
    defaults: { width: 512, height: 512, fps: 24 },
    files: [{ name: file, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }],
    license: 'MIT',
    description: spec.description,
    controls: spec.id === 'performer' ? [...PERFORMER_CONTROLS] : [...CONTROLS],
    style: [...STYLE],
    ...(spec.id === 'performer' ? { mesh: { bases: MESH_BASES.map(([name]) => name), maps: [...MESH_MAPS] } } : {}),
  };
  return { id: spec.id, file, bytes, manifest };
}
