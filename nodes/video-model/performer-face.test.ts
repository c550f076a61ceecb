/**
 * Which landmarks the performer animates, in the order of precedence performer-face.ts
 * promises (hand-placed points, then the chosen detected face, then a template over a mouth
 * box), and where the template face sits over a mouth box.
 */
import { describe, expect, it } from 'vitest';
import type { Box, FaceDetection } from '../../src/engine/index.js';
import { chooseFace } from './performer-face.js';
import { templateAt, templateForMouthBox } from './face-template.js';

const W = 200;
const H = 100;
const lm = (dx: number) => Array.from({ length: 68 }, (_, i) => [dx + i, 50 - i / 2] as [number, number]);
const face = (x: number, landmarks?: Array<[number, number]>): FaceDetection => ({
  face: { x, y: 10, w: 60, h: 70 }, mouth: { x: x + 18, y: 60, w: 24, h: 10 }, eyes: [], score: 0.9, ...(landmarks ? { landmarks } : {}),
});
const big = face(20, lm(0));
const small = face(120, lm(100));

/** Mouth corners (48 and 54): their midpoint and distance. */
function mouthOf(L: ReadonlyArray<readonly [number, number]>) {
  const [a, b] = [L[48]!, L[54]!];
  return { cx: (a[0] + b[0]) / 2, cy: (a[1] + b[1]) / 2, width: b[0] - a[0] };
}

describe('face template', () => {
  it('68 points with the mouth corners centred where asked and as wide as asked', () => {
    const t = templateAt(50, 40, 30);
    expect(t).toHaveLength(68);
    const m = mouthOf(t);
    expect(m.cx).toBeCloseTo(50, 9);
    expect(m.cy).toBeCloseTo(40, 9);
    expect(m.width).toBeCloseTo(30, 9);
    // A face: the chin below the mouth, the brows and eyes above it, the nose between.
    expect(t[8]![1]).toBeGreaterThan(40 + 0.5 * 30);
    expect(Math.max(...t.slice(17, 27).map((p) => p[1]))).toBeLessThan(40 - 1.4 * 30);
    expect(t[30]![1]).toBeLessThan(40);
    expect(t[36]![0]).toBeLessThan(t[45]![0]);
  });

  it('over a mouth box: centred on the box, as wide as the box', () => {
    const box: Box = { x: 70, y: 30, w: 20, h: 8 };
    const m = mouthOf(templateForMouthBox(box));
    expect([m.cx, m.cy, m.width].map((v) => Number(v.toFixed(9)))).toEqual([80, 34, 20]);
  });
});

describe('chooseFace', () => {
  it('hand-placed landmarks (136 fractions) win over everything, scaled to the image', () => {
    const fr = Array.from({ length: 136 }, (_, i) => (i % 2 ? 0.25 : 0.5) + i / 1000);
    const c = chooseFace([big, small], 2, fr, { x: 0.1, y: 0.1, w: 0.1, h: 0.1 }, W, H);
    expect(c.source).toBe('manual-landmarks');
    expect(c.found).toBe(2);
    expect(c.landmarks).toHaveLength(68);
    expect(c.landmarks![0]).toEqual([0.5 * W, 0.251 * H]);
    expect(c.landmarks![67]![0]).toBeCloseTo((0.5 + 134 / 1000) * W, 9);
    expect(c.landmarks![67]![1]).toBeCloseTo((0.25 + 135 / 1000) * H, 9);
    // The wrong count is not landmarks: the next rule applies.
    expect(chooseFace([big], 0, fr.slice(1), undefined, W, H).source).toBe('detected');
  });

  it('a hand-set mouth box (fractions) wins over detection: a template over it', () => {
    const c = chooseFace([big], 0, undefined, { x: 0.4, y: 0.5, w: 0.1, h: 0.2 }, W, H);
    expect(c.source).toBe('template');
    expect(c.found).toBe(1);
    expect(c.landmarks).toEqual(templateForMouthBox({ x: 80, y: 50, w: 20, h: 20 }));
  });

  it('face 0 and 1 are the largest, k is the k-th; a missing one is none, with the count found', () => {
    expect(chooseFace([big, small], 0, undefined, undefined, W, H)).toEqual({ source: 'detected', found: 2, landmarks: big.landmarks });
    expect(chooseFace([big, small], 1, undefined, undefined, W, H).landmarks).toBe(big.landmarks);
    expect(chooseFace([big, small], 2, undefined, undefined, W, H).landmarks).toBe(small.landmarks);
    expect(chooseFace([big, small], 3, undefined, undefined, W, H)).toEqual({ source: 'none', found: 2 });
    expect(chooseFace([], 0, undefined, undefined, W, H)).toEqual({ source: 'none', found: 0 });
  });

  it('a face without 68 landmarks (Haar): a template over the lips, the middle 75 % of its mouth box', () => {
    const haar = face(20);
    const c = chooseFace([haar, { ...small, landmarks: lm(0).slice(0, 67) }], 0, undefined, undefined, W, H);
    expect(c.source).toBe('template');
    expect(c.landmarks).toEqual(templateForMouthBox({ x: 38 + 3, y: 60, w: 18, h: 10 }));
    const partial = chooseFace([haar, { ...small, landmarks: lm(0).slice(0, 67) }], 2, undefined, undefined, W, H);
    expect(partial.source).toBe('template');
    expect(partial.landmarks).toEqual(templateForMouthBox({ x: 138 + 3, y: 60, w: 18, h: 10 }));
  });
});
