/** OpenCV's cv::groupRectangles: merge the cloud of raw hits a cascade produces around each object. */

import type { Box } from '../../engine/geometry.js';

export interface GroupedRect extends Box {
  /** How many raw detections were merged into this one (OpenCV's "weights"/neighbours). */
  neighbors: number;
}

/** OpenCV's cvRound: nearest integer, ties to even (lrint), unlike Math.round's ties-up. */
export function cvRound(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** OpenCV's SimilarRects: every edge within eps × (mean of the smaller width and height). */
function similar(a: Box, b: Box, eps: number): boolean {
  const delta = eps * (Math.min(a.w, b.w) + Math.min(a.h, b.h)) * 0.5;
  return (
    Math.abs(a.x - b.x) <= delta &&
    Math.abs(a.y - b.y) <= delta &&
    Math.abs(a.x + a.w - b.x - b.w) <= delta &&
    Math.abs(a.y + a.h - b.y - b.h) <= delta
  );
}

/**
 * Cluster `rects` (transitive closure of `similar`, like cv::partition), average each cluster, drop
 * clusters with ≤ `groupThreshold` members, then drop a cluster lying inside a bigger one unless it has
 * clearly more support — exactly the rules of groupRectangles(rects, groupThreshold, eps).
 * groupThreshold 0 returns the input unchanged (OpenCV's minNeighbors = 0 behaviour).
 */
export function groupRectangles(rects: readonly Box[], groupThreshold: number, eps = 0.2): GroupedRect[] {
  if (groupThreshold <= 0) return rects.map((r) => ({ ...r, neighbors: 1 }));
  const n = rects.length;
  const parent = Int32Array.from({ length: n }, (_v, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (similar(rects[i]!, rects[j]!, eps)) {
        const a = find(i);
        const b = find(j);
        if (a !== b) parent[b] = a;
      }
    }
  }
  const acc = new Map<number, { x: number; y: number; w: number; h: number; n: number }>();
  for (let i = 0; i < n; i++) {
    const k = find(i);
    const r = rects[i]!;
    const a = acc.get(k) ?? { x: 0, y: 0, w: 0, h: 0, n: 0 };
    a.x += r.x; a.y += r.y; a.w += r.w; a.h += r.h; a.n++;
    acc.set(k, a);
  }
  // OpenCV averages with a float32 reciprocal and cvRound; mimicked so boxes match to the pixel.
  const classes: GroupedRect[] = [...acc.values()].map((a) => {
    const s = Math.fround(1 / a.n);
    const avg = (v: number): number => cvRound(Math.fround(v * s));
    return { x: avg(a.x), y: avg(a.y), w: avg(a.w), h: avg(a.h), neighbors: a.n };
  });
  const out: GroupedRect[] = [];
  for (const r1 of classes) {
    if (r1.neighbors <= groupThreshold) continue;
    // A small box inside a bigger, better-supported one is a part (an eye region, a nostril) of it.
    const swallowed = classes.some((r2) => {
      if (r2 === r1 || r2.neighbors <= groupThreshold) return false;
      const dx = cvRound(r2.w * eps);
      const dy = cvRound(r2.h * eps);
      return (
        r1.x >= r2.x - dx &&
        r1.y >= r2.y - dy &&
        r1.x + r1.w <= r2.x + r2.w + dx &&
        r1.y + r1.h <= r2.y + r2.h + dy &&
        (r2.neighbors > Math.max(3, r1.neighbors) || r1.neighbors < 3)
      );
    });
    if (!swallowed) out.push(r1);
  }
  return out;
}
