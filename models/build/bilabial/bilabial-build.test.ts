import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { SENTENCES } from '../../../test/support/performer-run.js';
import { HELD_OUT_VOICES, seeded, TRAIN_VOICES, trainingCorpus } from './corpus.js';
import { BILABIAL_MODEL_ID, mlpToOnnx } from './build.js';
import { predict, trainMlp } from './train.js';

const modelsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Two noisy Gaussian blobs in 12 dimensions, labelled by which one a row came from. */
function blobs(n: number, seed: number): { x: Float32Array; y: Uint8Array } {
  const rnd = seeded(seed);
  const x = new Float32Array(n * 12);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rnd() < 0.2 ? 1 : 0;
    for (let d = 0; d < 12; d++) x[i * 12 + d] = (y[i] ? (d % 2 ? 0.8 : -0.6) : 0) + (rnd() - 0.5) * 1.5;
  }
  return { x, y };
}
const OPTS = { hidden: 8, epochs: 4, batch: 32, learningRate: 5e-3, positiveWeight: 2, seed: 3 };

describe('bilabial model build', () => {
  it('training is deterministic (same data and seed → identical weights) and learns a separable task', () => {
    const { x, y } = blobs(3000, 11);
    const a = trainMlp(x, y, 12, OPTS);
    const b = trainMlp(x, y, 12, OPTS);
    expect(Buffer.from(a.w1.buffer).equals(Buffer.from(b.w1.buffer))).toBe(true);
    expect(Buffer.from(a.w2.buffer).equals(Buffer.from(b.w2.buffer))).toBe(true);
    const test = blobs(1000, 12);
    let right = 0;
    for (let i = 0; i < 1000; i++) right += Number((predict(a, test.x, i * 12) > 0.5) === (test.y[i] === 1));
    expect(right / 1000).toBeGreaterThan(0.95);
  });

  it('the ONNX graph our writer emits computes what the trained network computes (onnxruntime vs JS, ≤ 1e-5)', async () => {
    const { x, y } = blobs(500, 5);
    const m = trainMlp(x, y, 12, { ...OPTS, epochs: 1 });
    const session = await ort.InferenceSession.create(mlpToOnnx(m));
    const out = await session.run({ features: new ort.Tensor('float32', x.slice(0, 50 * 12), [50, 12]) });
    const p = out.bilabial!.data as Float32Array;
    expect(out.bilabial!.dims).toEqual([50, 1]);
    for (let i = 0; i < 50; i++) expect(Math.abs(p[i]! - predict(m, x, i * 12))).toBeLessThan(1e-5);
  });

  it('the shipped model file matches its manifest, is small, and loads in onnxruntime with the feature width the app sends', async () => {
    const manifest = JSON.parse(readFileSync(path.join(modelsDir, BILABIAL_MODEL_ID, 'manifest.json'), 'utf8')) as { kind: string; files: Array<{ name: string; sha256: string }> };
    const bytes = readFileSync(path.join(modelsDir, BILABIAL_MODEL_ID, manifest.files[0]!.name));
    expect(manifest.kind).toBe('audio');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.files[0]!.sha256);
    expect(bytes.length).toBeLessThan(100_000);
    const { BILABIAL_DIM } = await import('../../../src/audio/bilabial-features.js');
    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({ features: new ort.Tensor('float32', new Float32Array(3 * BILABIAL_DIM), [3, BILABIAL_DIM]) });
    expect(out.bilabial!.dims).toEqual([3, 1]);
  });

  it('the training corpus holds out the test voices and the sentences the lip-sync tests speak', () => {
    for (const v of HELD_OUT_VOICES) expect(TRAIN_VOICES).not.toContain(v);
    const texts = trainingCorpus(30).map((u) => u.text.toLowerCase());
    expect(new Set(texts).size).toBe(texts.length);
    for (const s of SENTENCES) expect(texts.some((t) => t.includes(s.toLowerCase().slice(0, 20)))).toBe(false);
    expect(trainingCorpus(30).map((u) => u.voice)).not.toContain('en');
  });
});
