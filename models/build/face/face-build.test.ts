import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFaceModel } from './catalog.js';
import { readTfjsWeights } from './tfjs-weights.js';
import { faceApiModelDir } from './catalog.js';

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('face model build', () => {
  it('committed face-landmarks .onnx files and manifest equal a fresh build from the face-api weights', () => {
    const built = buildFaceModel();
    for (const f of built.files) {
      const onDisk = readFileSync(path.join(modelsDir, built.id, f.name));
      expect(Buffer.compare(Buffer.from(f.bytes), onDisk), `models/${built.id}/${f.name} is stale: run npm run build:models`).toBe(0);
      expect(onDisk.length).toBeLessThan(2_000_000);
    }
    const manifest = JSON.parse(readFileSync(path.join(modelsDir, built.id, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(built.manifest);
    expect(manifest.files[1].sha256).toBe(createHash('sha256').update(built.files[1]!.bytes).digest('hex'));
  });

  it('reads every byte of the tfjs weight files (a wrong shape or dtype would leave some over)', () => {
    const w = readTfjsWeights(faceApiModelDir(), 'face_landmark_68_model');
    expect(w.get('fc/weights')!.shape).toEqual([256, 136]);
    expect(w.get('dense0/conv0/filters')!.data.length).toBe(3 * 3 * 3 * 32);
  });
});
