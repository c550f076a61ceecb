/**
 * The shipped ONNX models on real onnxruntime (worker-thread sessions), at 64×64 with a
 * few frames: each output responds to the controls it is meant to follow.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelManifest, TensorLike } from '../../src/engine/index.js';
import { createInferenceService } from '../../src/inference/index.js';
import { styleFromPrompt, styleVector } from './style.js';
import { buildMesh } from './face-mesh.js';
import { templateAt } from './face-template.js';
import { inputsOf, prepareFixed } from './prepare.js';

const svc = createInferenceService({ provider: 'cpu' });
afterAll(() => svc.dispose());

const S = 64;

/** A test card: gradients + a checker, so warps and grades both show. */
function card(): TensorLike {
  const data = new Float32Array(3 * S * S);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const i = y * S + x;
      const check = ((x >> 3) + (y >> 3)) % 2 ? 60 : 0;
      data[i] = (x / S) * 180 + check;
      data[S * S + i] = (y / S) * 180 + check;
      data[2 * S * S + i] = 90 + check;
    }
  }
  return { type: 'float32', dims: [1, 3, S, S], data };
}

type Rows = Array<Record<string, number>>;

async function render(id: string, rows: Rows, prompt = '', boxes?: Record<string, number>): Promise<Uint8Array[]> {
  const m: ModelManifest = await svc.getModel(id);
  const K = m.controls!.length;
  const controls = new Float32Array(rows.length * K);
  rows.forEach((r, n) => m.controls!.forEach((name, k) => (controls[n * K + k] = r[name] ?? (name.startsWith('since') ? 1000 : name === 'motion' ? 1 : 0))));
  const feeds: Record<string, TensorLike> = {
    style: { type: 'float32', dims: [1, m.style!.length], data: styleVector(styleFromPrompt(prompt, 1), m.style!) },
  };
  if (m.requiresImage) feeds.image = card();
  else feeds.size = { type: 'int64', dims: [2], data: BigInt64Array.from([BigInt(S), BigInt(S)]) };
  if (m.boxes) feeds.boxes = { type: 'float32', dims: [1, m.boxes.length], data: Float32Array.from(m.boxes, (k) => boxes?.[k] ?? 0) };
  if (m.mesh) {
    // A template face on the card: mouth 22 px wide centred at (32, 46), eyes at y ≈ 16–19.
    const { mesh, maps, roi } = buildMesh(templateAt(32, 46, 22), S, S);
    feeds.mesh = { type: 'float32', dims: [S * S, m.mesh.bases.length], data: mesh };
    feeds.roi = { type: 'int64', dims: [4], data: BigInt64Array.from(roi.map(BigInt)) };
    feeds.maps = { type: 'float32', dims: [m.mesh.maps.length, roi[2] - roi[0], roi[3] - roi[1]], data: maps };
  }
  // As the node does: the once-per-render part first, then the frame graph on its outputs.
  const prepared = await prepareFixed(svc, m, feeds, new AbortController().signal);
  const session = await svc.session(id);
  const out = (await session.run({ ...inputsOf(session, prepared), controls: { type: 'float32', dims: [rows.length, K], data: controls } })).frames!;
  expect(out.type).toBe('uint8');
  expect(out.dims).toEqual([rows.length, S, S, 3]);
  const data = out.data as Uint8Array;
  return rows.map((_, n) => data.subarray(n * S * S * 3, (n + 1) * S * S * 3));
}

const mean = (f: Uint8Array) => f.reduce((a, b) => a + b, 0) / f.length;
/** Mean abs difference, optionally inside a pixel box [x0, y0, x1, y1). */
function diff(a: Uint8Array, b: Uint8Array, box = [0, 0, S, S]): number {
  let s = 0;
  let n = 0;
  for (let y = box[1]!; y < box[3]!; y++) for (let x = box[0]!; x < box[2]!; x++) for (let c = 0; c < 3; c++) {
    const i = (y * S + x) * 3 + c;
    s += Math.abs(a[i]! - b[i]!);
    n++;
  }
  return s / n;
}

describe('shipped video models', () => {
  it('pulse: a beat zooms and brightens the frame, decaying after it', async () => {
    const [onBeat, after, none] = await render('pulse', [{ sinceBeat: 0, bass: 1, percussive: 1 }, { sinceBeat: 0.5, bass: 1, percussive: 1 }, { bass: 1, percussive: 1 }]);
    expect(mean(onBeat!)).toBeGreaterThan(mean(none!) + 10);
    expect(diff(onBeat!, none!)).toBeGreaterThan(8);
    expect(diff(after!, none!)).toBeLessThan(diff(onBeat!, none!) / 3);
  });

  it('pulse: an onset shakes the camera; motion 0 freezes it', async () => {
    const [shake, still, frozen, frozenStill] = await render('pulse', [
      { sinceOnset: 0, shakeX: 1 }, {}, { motion: 0, sinceOnset: 0, shakeX: 1 }, { motion: 0 },
    ]);
    expect(diff(shake!, still!)).toBeGreaterThan(5);
    expect(diff(frozen!, frozenStill!)).toBeLessThan(0.5);
  });

  it('performer: jaw=1 parts the lips around the template mouth; the forehead does not move', async () => {
    const [open, shut] = await render('performer', [{ jaw: 1, teeth: 0.5, motion: 0 }, { motion: 0 }]);
    const mouth = [22, 44, 43, 56];
    const forehead = [16, 2, 48, 12];
    expect(diff(open!, shut!, mouth)).toBeGreaterThan(10);
    expect(diff(open!, shut!, forehead)).toBeLessThan(0.5);
  });

  it('performer: a blink moves the eyelids only: mouth, chin and forehead stay put (no face squash)', async () => {
    const [blink, open] = await render('performer', [{ blink: 1, motion: 0 }, { motion: 0 }]);
    expect(diff(blink!, open!, [12, 14, 50, 20])).toBeGreaterThan(2);
    expect(diff(blink!, open!, [8, 26, 56, 64])).toBe(0);
    expect(diff(blink!, open!, [0, 0, 64, 6])).toBe(0);
  });

  it('drift: moves slowly and follows loudness', async () => {
    const [t0, t1, loud] = await render('drift', [{ t: 0 }, { t: 1 / 24 }, { t: 0, rmsSlow: 1 }]);
    expect(diff(t0!, t1!)).toBeLessThan(2);
    expect(mean(loud!)).toBeGreaterThan(mean(t0!) + 10);
  });

  it('a2v: renders without an image; beats and time change it', async () => {
    const [a, b, c] = await render('a2v', [{ t: 0 }, { t: 0, sinceBeat: 0 }, { t: 2 }]);
    expect(diff(a!, b!)).toBeGreaterThan(5);
    expect(diff(a!, c!)).toBeGreaterThan(5);
  });

  it('pulse: treble shimmer stays a sub-pixel wobble even for fast, shimmering prompts', async () => {
    const [wobble, still] = await render('pulse', [{ t: 0.3, treble: 1, motion: 1.8 }, { t: 0.3, treble: 0, motion: 1.8 }], 'underwater frantic');
    expect(diff(wobble!, still!)).toBeGreaterThan(0); // it still moves…
    expect(diff(wobble!, still!)).toBeLessThan(2); // …but never smears the picture
  });

  it.each(['pulse', 'performer', 'drift', 'a2v'])('%s: the prompt changes the picture', async (id) => {
    const row = [{ t: 1, rms: 0.5, rmsSlow: 0.5, brightSlow: 0.5 }];
    const [plain] = await render(id, row, '');
    const [noir] = await render(id, row, 'noir rain');
    const [sunset] = await render(id, row, 'sunset sparks');
    expect(diff(plain!, noir!)).toBeGreaterThan(4);
    expect(diff(noir!, sunset!)).toBeGreaterThan(4);
  });
});
