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
import { splitStatic } from './split.js';

/** The manifest fields a builder states itself; the rest (files, defaults, layout) are derived. */
export type ModelSpec = Pick<ModelManifest, 'id' | 'title' | 'version' | 'kind' | 'requiresImage' | 'features' | 'description'> & {
  build(): GraphBuilder;
  /** Ship a `<id>.prepare.onnx` that computes once per render what every frame shares (split.ts). */
  prepare?: boolean;
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
    prepare: true,
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
    prepare: true,
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
    prepare: true,
  },
];

export interface BuiltModel {
  id: string;
  /** The frame graph (the session a render runs per chunk). */
  file: string;
  bytes: Uint8Array;
  /** The once-per-render graph, for specs with `prepare`. */
  prepare?: { file: string; bytes: Uint8Array };
  manifest: Record<string, unknown>;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Build one model in memory: ONNX bytes plus the manifest that names their sha256. */
export function buildModel(spec: ModelSpec): BuiltModel {
  const meta = { 's2v.model': spec.id, 's2v.version': spec.version };
  const graph = spec.build();
  const parts = spec.prepare ? splitStatic(graph, ['controls']) : undefined;
  const bytes = (parts?.frames ?? graph).encode(spec.description, meta);
  const file = `${spec.id}.onnx`;
  const prepare = parts && { file: `${spec.id}.prepare.onnx`, bytes: parts.prepare.encode(`${spec.description} (once per render)`, meta) };
  const manifest = {
    id: spec.id,
    title: spec.title,
    version: spec.version,
    kind: spec.kind,
    requiresImage: spec.requiresImage,
    features: spec.features,
    defaults: { width: 512, height: 512, fps: 24 },
    files: [{ name: file, sha256: sha256(bytes), bytes: bytes.length }, ...(prepare ? [{ name: prepare.file, sha256: sha256(prepare.bytes), bytes: prepare.bytes.length }] : [])],
    ...(prepare ? { prepare: prepare.file } : {}),
    license: 'MIT',
    description: spec.description,
    controls: spec.id === 'performer' ? [...PERFORMER_CONTROLS] : [...CONTROLS],
    style: [...STYLE],
    ...(spec.id === 'performer' ? { mesh: { bases: MESH_BASES.map(([name]) => name), maps: [...MESH_MAPS] } } : {}),
  };
  return { id: spec.id, file, bytes, ...(prepare ? { prepare } : {}), manifest };
}
