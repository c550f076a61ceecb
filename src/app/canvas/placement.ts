/**
 * Where new things land: next to the selection or the pointer, never on top of a node.
 * Rectangles use the nodes' measured sizes (an unmeasured node counts as 280×160).
 */
import type { GraphDoc } from '../../engine/graph.js';
import type { Sizes } from './layout.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const GAP = 40;
const DEFAULT = { width: 280, height: 160 };

export function rectsOf(doc: GraphDoc, sizes: Sizes, skip: Set<string> = new Set()): Rect[] {
  return doc.nodes.filter((n) => !skip.has(n.id)).map((n) => ({ ...n.position, ...(sizes.get(n.id) ?? DEFAULT) }));
}

function hits(a: Rect, b: Rect, gap: number): boolean {
  return a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap;
}

/**
 * The free spot nearest to `want` (top-left) for a box of `size`: tried on rings of growing
 * distance, below and to the right first, so the result stays close to where the user looked.
 */
export function freeSpot(want: { x: number; y: number }, size: { width: number; height: number }, taken: Rect[]): { x: number; y: number } {
  const free = (x: number, y: number) => !taken.some((r) => hits({ x, y, ...size }, r, GAP / 2));
  if (free(want.x, want.y)) return { x: Math.round(want.x), y: Math.round(want.y) };
  const step = 40;
  for (let ring = 1; ring < 80; ring++) {
    const cands: Array<[number, number]> = [];
    for (let i = -ring; i <= ring; i++) {
      cands.push([i, ring], [ring, i], [i, -ring], [-ring, i]);
    }
    // Nearest first; ties prefer below, then right.
    cands.sort((a, b) => Math.hypot(a[0], a[1]) - Math.hypot(b[0], b[1]) || b[1] - a[1] || b[0] - a[0]);
    for (const [dx, dy] of cands) {
      const x = want.x + dx * step;
      const y = want.y + dy * step;
      if (free(x, y)) return { x: Math.round(x), y: Math.round(y) };
    }
  }
  return { x: Math.round(want.x), y: Math.round(want.y) };
}

/** Bounding box of some nodes. */
export function boundsOf(rects: Rect[]): Rect | undefined {
  if (!rects.length) return undefined;
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  return { x, y, width: Math.max(...rects.map((r) => r.x + r.width)) - x, height: Math.max(...rects.map((r) => r.y + r.height)) - y };
}

/** Right of the selection (where the next step of a chain goes), else at the point given. */
export function spotFor(doc: GraphDoc, sizes: Sizes, selected: Set<string>, at: { x: number; y: number }, size = DEFAULT): { x: number; y: number } {
  const sel = boundsOf(rectsOf(doc, sizes).filter((_, i) => selected.has(doc.nodes[i]!.id)));
  const want = sel ? { x: sel.x + sel.width + GAP * 2, y: sel.y } : at;
  return freeSpot(want, size, rectsOf(doc, sizes));
}

export { DEFAULT as DEFAULT_NODE_SIZE };
