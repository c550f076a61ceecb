/**
 * Delaunay triangulation, checked by its definition rather than by a stored answer: the
 * triangles tile the convex hull exactly (their areas sum to the hull's), none is flat, and no
 * point lies inside any triangle's circumcircle; for n points with h on the hull there are
 * 2n − 2 − h triangles.
 */
import { describe, expect, it } from 'vitest';
import { delaunay, type Pt } from './triangulate.js';
import { templateAt } from './face-template.js';

const area = (a: Pt, b: Pt, c: Pt) => ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])) / 2;

/** Strictly inside the circumcircle of (a, b, c), by the in-circle determinant (orientation-corrected). */
function inCircle(a: Pt, b: Pt, c: Pt, p: Pt): boolean {
  const [ax, ay] = [a[0] - p[0], a[1] - p[1]];
  const [bx, by] = [b[0] - p[0], b[1] - p[1]];
  const [cx, cy] = [c[0] - p[0], c[1] - p[1]];
  const det = (ax * ax + ay * ay) * (bx * cy - cx * by) - (bx * bx + by * by) * (ax * cy - cx * ay) + (cx * cx + cy * cy) * (ax * by - bx * ay);
  const scale = Math.max(...[a, b, c].map((q) => Math.hypot(q[0] - p[0], q[1] - p[1]))) ** 4;
  return Math.sign(area(a, b, c)) * det > 1e-9 * scale;
}

/** Convex hull (monotone chain), counter-clockwise. */
function hull(pts: readonly Pt[]): Pt[] {
  const s = [...pts].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const half = (list: Pt[]) => {
    const out: Pt[] = [];
    for (const p of list) {
      while (out.length >= 2 && area(out[out.length - 2]!, out[out.length - 1]!, p) <= 0) out.pop();
      out.push(p);
    }
    out.pop();
    return out;
  };
  return [...half(s), ...half([...s].reverse())];
}

function check(pts: readonly Pt[]) {
  const tris = delaunay(pts);
  const h = hull(pts);
  let hullArea = 0;
  for (let i = 0; i < h.length; i++) hullArea += area(h[0]!, h[i]!, h[(i + 1) % h.length]!);
  let sum = 0;
  const problems: string[] = []; // collected, then one assertion (thousands of expects would dominate the mutation run)
  for (const [a, b, c] of tris) {
    if (![a, b, c].every((i) => i >= 0 && i < pts.length)) problems.push(`index out of range in ${a},${b},${c}`);
    const A = Math.abs(area(pts[a]!, pts[b]!, pts[c]!));
    if (!(A > 0)) problems.push(`flat triangle ${a},${b},${c}`);
    sum += A;
    pts.forEach((p, i) => {
      if (i !== a && i !== b && i !== c && inCircle(pts[a]!, pts[b]!, pts[c]!, p)) problems.push(`point ${i} inside the circle of ${a},${b},${c}`);
    });
  }
  expect(problems).toEqual([]);
  expect(sum).toBeCloseTo(hullArea, 6);
  expect(tris).toHaveLength(2 * pts.length - 2 - h.length);
  return tris;
}

describe('delaunay', () => {
  it('a single triangle is itself', () => {
    const tris = check([[0, 0], [4, 0], [1, 3]]);
    expect(tris.map((t) => [...t].sort())).toEqual([[0, 1, 2]]);
  });

  it('a square with a point off-centre: four triangles around it', () => {
    const tris = check([[0, 0], [10, 0], [10, 10], [0, 10], [4, 3]]);
    expect(tris.every((t) => t.includes(4))).toBe(true);
  });

  it('a kite: the diagonal chosen is the one that keeps the circumcircles empty', () => {
    // Points 0 and 2 are far apart, 1 and 3 close: the Delaunay edge is 1–3.
    const tris = check([[0, 0], [5, -1], [10, 0], [5, 1]]);
    expect(tris).toHaveLength(2);
    for (const t of tris) expect(t.includes(1) && t.includes(3)).toBe(true);
  });

  it('scattered points and the face mesh (68 landmarks + a ring + the image corners) are Delaunay', () => {
    let s = 7;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647);
    check(Array.from({ length: 60 }, () => [rnd() * 100, rnd() * 50] as Pt));
    const face = templateAt(64, 64, 20);
    const ring = Array.from({ length: 20 }, (_, k) => [64 + 40 * Math.cos((k / 20) * 2 * Math.PI), 60 + 50 * Math.sin((k / 20) * 2 * Math.PI)] as Pt);
    check([...face, ...ring, [-2, -2], [130, -2], [130, 130], [-2, 130]]);
  });
});
