/**
 * The `face-landmarks` model folder: face-api's tiny face detector and 68-point landmark net,
 * converted from the weights @vladmandic/face-api ships (MIT) into two ONNX files. Built by
 * `npm run build:models` like the video models; the build test compares bytes.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { buildFaceDetector, buildFaceLandmarks } from './nets.js';
import { readTfjsWeights } from './tfjs-weights.js';

export const FACE_MODEL_ID = 'face-landmarks';
const VERSION = '1.0.0';

/** Where the package keeps its weight manifests and .bin files. */
export function faceApiModelDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
}

export interface BuiltFaceModel {
  id: string;
  files: Array<{ name: string; bytes: Uint8Array }>;
  manifest: Record<string, unknown>;
}

export function buildFaceModel(): BuiltFaceModel {
  const dir = faceApiModelDir();
  const meta = (role: string) => ({ 's2v.model': FACE_MODEL_ID, 's2v.version': VERSION, 's2v.role': role, source: '@vladmandic/face-api (MIT) pretrained weights' });
  const detector = buildFaceDetector(readTfjsWeights(dir, 'tiny_face_detector_model'))
    .encode('face-api tiny face detector (TinyYolov2 with separable convolutions), 416 px, 5 anchors', meta('detector'));
  const landmarks = buildFaceLandmarks(readTfjsWeights(dir, 'face_landmark_68_model'))
    .encode('face-api 68-point face landmark net (dense blocks of separable convolutions), 112 px crop', meta('landmarks'));
  const files = [
    { name: 'detector.onnx', bytes: detector },
    { name: 'landmarks.onnx', bytes: landmarks },
  ];
  const manifest = {
    id: FACE_MODEL_ID,
    title: 'Face detector + 68 landmarks',
    version: VERSION,
    kind: 'face',
    requiresImage: true,
    features: [],
    defaults: { width: 416, height: 416, fps: 1 },
    files: files.map((f) => ({ name: f.name, sha256: createHash('sha256').update(f.bytes).digest('hex'), bytes: f.bytes.length })),
    license: 'MIT',
    description: "Finds faces (face-api's tiny face detector) and 68 landmarks per face (face-api's landmark net), converted from @vladmandic/face-api's shipped weights; drives the performer's mesh.",
  };
  return { id: FACE_MODEL_ID, files, manifest };
}
