/**
 * sampleFrames asks onnxruntime for zero padding on a grid clamped to the outermost pixel
 * centres, because its border mode costs about twice as much per pixel. The two must give
 * the same picture: here on a non-square image (so x and y bounds cannot be mixed up) with
 * a grid that reaches far past every edge and corner.
 */
import { describe, expect, it } from 'vitest';
import ort from 'onnxruntime-node';
import { GraphBuilder } from './graph-builder.js';
import { clampToPixelCentres } from './parts.js';

const H = 6;
const W = 10;
const GH = 40;
const GW = 40;
const opts = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' as const };

async function sample(build: (g: GraphBuilder, image: string, grid: string) => string): Promise<Float32Array> {
  const g = new GraphBuilder('sample');
  const image = g.input('image', 'FLOAT', [1, 3, H, W]);
  const grid = g.input('grid', 'FLOAT', [1, GH, GW, 2]);
  g.output(build(g, image, grid), 'out', 'FLOAT', [1, 3, GH, GW]);
  const s = await ort.InferenceSession.create(g.encode(''), opts);
  const img = new Float32Array(3 * H * W).map((_, i) => 20 + ((i * 53) % 200));
  // x from −1.6 to 1.6 across, y from −1.7 to 1.7 down, with a twist so no row is axis-aligned.
  const pts = new Float32Array(GH * GW * 2);
  for (let r = 0; r < GH; r++) {
    for (let c = 0; c < GW; c++) {
      pts[(r * GW + c) * 2] = -1.6 + (3.2 * c) / (GW - 1) + 0.05 * Math.sin(r);
      pts[(r * GW + c) * 2 + 1] = -1.7 + (3.4 * r) / (GH - 1) + 0.05 * Math.cos(c);
    }
  }
  const out = await s.run({ image: new ort.Tensor('float32', img, [1, 3, H, W]), grid: new ort.Tensor('float32', pts, [1, GH, GW, 2]) });
  return out.out!.data as Float32Array;
}

const gridSample = (padding: string) => (g: GraphBuilder, image: string, grid: string) =>
  g.op('GridSample', [image, grid], { mode: 'bilinear', padding_mode: padding, align_corners: 0 });

const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('sampling with the grid clamped to the pixel centres', () => {
  it('gives border padding\'s picture with zero padding, off every edge of a non-square image', async () => {
    const border = await sample(gridSample('border'));
    const clamped = await sample((g, image, grid) => gridSample('zeros')(g, image, clampToPixelCentres(g, image, grid)));
    const unclamped = await sample(gridSample('zeros'));
    // The grid does leave the image: without the clamp, zero padding darkens the edges.
    expect(maxDiff(unclamped, border)).toBeGreaterThan(50);
    expect(maxDiff(clamped, border)).toBeLessThan(1e-3);
  });
});
