import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { MODEL_SPECS } from './catalog.js';
import { splitStatic } from './split.js';
import { CONTROLS, STYLE } from './layout.js';
import { styleFromPrompt, styleVector } from '../../nodes/video-model/style.js';

const S = 48;
const opts = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };

describe('static split', () => {
  // Sparks turn pulse's particle branch on, whose static half is hoisted out of the If.
  it.each([
    ['pulse', 'neon club, sparks'],
    ['pulse', 'plain portrait'],
    ['drift', 'misty lake, snow'],
    ['a2v', 'ocean waves'],
  ])('%s (%s): prepare + frames give the very bytes of the unsplit graph, and the frame graph never reads the image', async (id, prompt) => {
    const spec = MODEL_SPECS.find((s) => s.id === id)!;
    const { prepare, frames } = splitStatic(spec.build(), ['controls']);
    expect(frames.inputs.map((v) => v.name)).not.toContain('image');
    expect(frames.inputs.map((v) => v.name)).not.toContain('size');
    const [whole, prep, frame] = await Promise.all([spec.build().encode(''), prepare.encode(''), frames.encode('')].map((b) => ort.InferenceSession.create(b, opts)));

    const image = new Float32Array(3 * S * S).map((_, i) => (i * 37) % 255);
    const fixed: Record<string, ort.Tensor> = { style: new ort.Tensor('float32', styleVector(styleFromPrompt(prompt, 3), [...STYLE]), [1, STYLE.length]) };
    if (spec.requiresImage) fixed.image = new ort.Tensor('float32', image, [1, 3, S, S]);
    else fixed.size = new ort.Tensor('int64', BigInt64Array.from([BigInt(S), BigInt(S)]), [2]);
    const prepared = { ...fixed, ...(await prep.run(Object.fromEntries(prep.inputNames.map((n) => [n, fixed[n]!])))) };

    for (const n of [1, 3]) {
      const rows = Float32Array.from({ length: n * CONTROLS.length }, (_, i) => ((i * 7) % 11) / 11);
      const controls = new ort.Tensor('float32', rows, [n, CONTROLS.length]);
      const a = (await whole.run({ ...fixed, controls })).frames!.data as Uint8Array;
      const b = (await frame.run({ ...Object.fromEntries(frame.inputNames.filter((x) => x !== 'controls').map((x) => [x, prepared[x]!])), controls })).frames!.data as Uint8Array;
      expect(b.length).toBe(n * S * S * 3);
      expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
    }
  });

  it('moves the per-render work out of the frame graph: the frame graph has far fewer nodes', () => {
    for (const id of ['pulse', 'drift', 'a2v']) {
      const spec = MODEL_SPECS.find((s) => s.id === id)!;
      const whole = spec.build();
      const { prepare, frames } = splitStatic(spec.build(), ['controls']);
      expect(prepare.nodes.length).toBeGreaterThan(0);
      expect(frames.nodes.length).toBeLessThan(whole.nodes.length * 0.75);
    }
  });
});
