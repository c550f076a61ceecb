/**
 * The opening mouth has no seam: the lips' meeting line is a chain of mesh edges, so above it
 * only the upper lip's motion applies and below it only the lower lip's. (With a free Delaunay
 * mesh a triangle from an upper-lip point to a lower-lip point sheared the left of the mouth
 * along a diagonal when the jaw dropped — visible on every open vowel.)
 */
import { describe, expect, it } from 'vitest';
import { MESH_BASES } from '../../models/build/models/performer-layout.js';
import { buildMesh } from './face-mesh.js';
import { templateAt } from './face-template.js';

const W = 512, H = 512;
const L = templateAt(256, 330, 80); // the shipped portrait's own landmarks, mouth 80 px wide
const jawY = MESH_BASES.findIndex(([n]) => n === 'jawY');
const { mesh } = buildMesh(L, W, H);
/** Forward vertical motion (px) of the pixel at (x, y) for one unit of jaw drop. */
const jawAt = (x: number, y: number) => (mesh[(Math.floor(y) * W + Math.floor(x)) * MESH_BASES.length + jawY]! * -H) / 2;

describe('lip mesh', () => {
  const mw = L[54]![0] - L[48]![0];
  const D = 0.4 * mw; // the jaw basis' full drop (face-mesh.ts mouthMotions)
  // What the jaw basis does to the inner lip contours (fractions of D, from mouthMotions): the
  // corners drop 0.3, the upper lip rises 0.08, the lower lip drops 0.82 … 1 … 0.82.
  const UPPER: Array<[number, number]> = [[60, 0.3], [61, -0.08], [62, -0.08], [63, -0.08], [64, 0.3]];
  const LOWER: Array<[number, number]> = [[60, 0.3], [67, 0.82], [66, 1], [65, 0.82], [64, 0.3]];
  const along = (chain: Array<[number, number]>, x: number, pick: (k: number) => number) => {
    for (let k = 0; k + 1 < chain.length; k++) {
      const x0 = L[chain[k]![0]]![0], x1 = L[chain[k + 1]![0]]![0];
      if (x >= x0 && x <= x1) return pick(k) + ((x - x0) / (x1 - x0)) * (pick(k + 1) - pick(k));
    }
    throw new Error(`x ${x} outside the lips`);
  };
  const lineY = (chain: Array<[number, number]>, x: number) => along(chain, x, (k) => L[chain[k]![0]]![1]);
  const motion = (chain: Array<[number, number]>, x: number) => D * along(chain, x, (k) => chain[k]![1]);
  const xs = Array.from({ length: 24 }, (_, k) => L[60]![0] + 1 + ((L[64]![0] - L[60]![0] - 2) * k) / 23);

  it('just above the meeting line the skin moves with the upper lip, never with the jaw', () => {
    for (const x of xs) expect(jawAt(x, lineY(UPPER, x) - 1.5), `x ${x.toFixed(1)}`).toBeLessThan(motion(UPPER, x) + 0.05 * D);
  });

  it('just below it the lower lip drops with the jaw, so the lips part along the whole line', () => {
    for (const x of xs) {
      const parting = jawAt(x, lineY(LOWER, x) + 1.5) - jawAt(x, lineY(UPPER, x) - 1.5);
      expect(parting, `x ${x.toFixed(1)}`).toBeGreaterThan(0.6 * (motion(LOWER, x) - motion(UPPER, x)));
    }
  });
});
