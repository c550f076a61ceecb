import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInferenceService, type InferenceRuntime } from '../index.js';
import { faceFixtures, type FaceFixture } from '../../../test/fixtures/images/faces.js';
import { startFaceApi, type FaceApiRuntime } from '../../../test/support/face-api-browser.js';
import { detectFacesCnn, landmarksCnn, type OpenFaceModel } from './cnn.js';

let inference: InferenceRuntime;
let faceApi: FaceApiRuntime;
let fixtures: FaceFixture[];
let open: OpenFaceModel;

beforeAll(async () => {
  inference = createInferenceService();
  open = (file) => inference.session('face-landmarks', file);
  fixtures = await faceFixtures();
  faceApi = await startFaceApi();
}, 120_000);

afterAll(async () => {
  await faceApi?.close();
  await inference?.dispose();
});

describe('face-api weights converted to ONNX', () => {
  it('find the same faces and the same 68 landmarks as face-api running in Chromium (mean error < 0.1 px)', async () => {
    const errors: number[] = [];
    const report: string[] = [];
    for (const f of fixtures) {
      const theirs = await faceApi.detect(f.img);
      const ours = await detectFacesCnn(f.img, open);
      expect(ours.length, f.name).toBe(theirs.length);
      for (let i = 0; i < ours.length; i++) {
        const a = ours[i]!;
        const b = theirs.find((t) => Math.abs(t.box.x - a.box.x) < 4 && Math.abs(t.box.y - a.box.y) < 4);
        expect(b, `${f.name}: face ${i} at ${a.box.x.toFixed(0)},${a.box.y.toFixed(0)}`).toBeDefined();
        expect(Math.abs(a.score - b!.score), f.name).toBeLessThan(0.01);
        for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(a.box[k] - b!.box[k]), `${f.name} box.${k}`).toBeLessThan(0.5);
        const pts = (await landmarksCnn(f.img, a.box, open))!;
        const err = pts.reduce((s, p, j) => s + Math.hypot(p[0] - b!.landmarks[j]![0], p[1] - b!.landmarks[j]![1]), 0) / 68;
        errors.push(err);
        report.push(`${f.name}: ${err.toFixed(3)} px`);
      }
    }
    const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
    console.log(`landmarks vs face-api (Chromium, tfjs cpu): mean ${mean.toFixed(3)} px over ${errors.length} faces\n  ${report.join('\n  ')}`);
    expect(errors.length).toBeGreaterThanOrEqual(8);
    expect(mean).toBeLessThan(0.1);
  }, 300_000);
});
