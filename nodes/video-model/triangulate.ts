/**
 * Delaunay triangulation (Bowyer–Watson) of a few hundred points: the face landmarks, a ring
 * around the head and the image corners. Small and exact enough for ~100 points, run once per
 * render.
 */
export type Pt = readonly [number, number];

interface Tri {
  a: number;
  b: number;
  c: number;
  cx: number;
  cy: number;
  r2: number;
}

function circum(pts: Pt[], a: number, b: number, c: number): Tri {
  const [ax, ay] = pts[a]!;
  const [bx, by] = pts[b]!;
  const [cx, cy] = pts[c]!;
  const d = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
  const a2 = ax * ax + ay * ay;
  const b2 = bx * bx + by * by;
  const c2 = cx * cx + cy * cy;
  const ux = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / d;
  const uy = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / d;
  return { a, b, c, cx: ux, cy: uy, r2: (ax - ux) ** 2 + (ay - uy) ** 2 };
}

/** Triangles as index triples into `input`. Points must be distinct. */
export function delaunay(input: readonly Pt[]): Array<[number, number, number]> {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of input) {
    minX = Math.min(minX, x); minY = Math.min(minY, y); maxX = Math.max(maxX, x); maxY = Math.max(maxY, y);
  }
  const span = Math.max(maxX - minX, maxY - minY) * 20 + 1;
  const mx = (minX + maxX) / 2;
  const my = (minY + maxY) / 2;
  const pts: Pt[] = [...input, [mx - span, my - span], [mx + span, my - span], [mx, my + span]];
  const n = input.length;
  let tris: Tri[] = [circum(pts, n, n + 1, n + 2)];
  for (let i = 0; i < n; i++) {
    const [px, py] = pts[i]!;
    const bad: Tri[] = [];
    const keep: Tri[] = [];
    for (const t of tris) ((px - t.cx) ** 2 + (py - t.cy) ** 2 < t.r2 ? bad : keep).push(t);
    // The hole's boundary: edges used by exactly one bad triangle.
    const edges = new Map<string, [number, number]>();
    for (const t of bad) {
      for (const [u, v] of [[t.a, t.b], [t.b, t.c], [t.c, t.a]] as const) {
        const key = u < v ? `${u},${v}` : `${v},${u}`;
        if (edges.has(key)) edges.delete(key);
        else edges.set(key, [u, v]);
      }
    }
    tris = keep;
    for (const [u, v] of edges.values()) tris.push(circum(pts, u, v, i));
  }
  return tris.filter((t) => t.a < n && t.b < n && t.c < n).map((t) => [t.a, t.b, t.c]);
}
