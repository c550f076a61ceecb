/**
 * Where new things land: next to the selection or the pointer, never on top of a node.
 * Rectangles use the nodes' measured sizes (an unmeasured node counts as 280×160).
 */
import type { Box } from '../../engine/geometry.js';
import type { GraphDoc } from '../../engine/graph.js';
import type { Sizes } from './layout.js';

/** A node's size as the canvas measures it. */
type Size = { width: number; height: number };

const GAP = 40;
const DEFAULT: Size = { width: 280, height: 160 };

/** The box a node at `position` covers (canvas pixels). */
export function boxOf(position: { x: number; y: number }, size: Size): Box {
  return { x: position.x, y: position.y, w: size.width, h: size.height };
}

export function rectsOf(doc: GraphDoc, sizes: Sizes, skip: Set<string> = new Set()): Box[] {
  return doc.nodes.filter((n) => !skip.has(n.id)).map((n) => boxOf(n.position, sizes.get(n.id) ?? DEFAULT));
}

function hits(a: Box, b: Box, gap: number): boolean {
  return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;
}

/**
 * The free spot nearest to `want` (top-left) for a box of `size`: tried on rings of growing
 * distance, below and to the right first, so the result stays close to where the user looked.
 */
export function freeSpot(want: { x: number; y: number }, size: Size, taken: Box[]): { x: number; y: number } {
  const free = (x: number, y: number) => !taken.some((r) => hits(boxOf({ x, y }, size), r, GAP / 2));
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
export function boundsOf(rects: Box[]): Box | undefined {
  if (!rects.length) return undefined;
  const x = Math.min(...rects.map((r) => r.x));
  const y = Math.min(...rects.map((r) => r.y));
  return { x, y, w: Math.max(...rects.map((r) => r.x + r.w)) - x, h: Math.max(...rects.map((r) => r.y + r.h)) - y };
}

/** Right of the selection (where the next step of a chain goes), else at the point given. */
export function spotFor(doc: GraphDoc, sizes: Sizes, selected: Set<string>, at: { x: number; y: number }, size = DEFAULT): { x: number; y: number } {
  const sel = boundsOf(rectsOf(doc, sizes).filter((_, i) => selected.has(doc.nodes[i]!.id)));
  const want = sel ? { x: sel.x + sel.w + GAP * 2, y: sel.y } : at;
  return freeSpot(want, size, rectsOf(doc, sizes));
}

export { DEFAULT as DEFAULT_NODE_SIZE };

/**
 * Nodes grow (a player appears after a run, a new node turns out taller than guessed): move
 * what they now cover. A node that was just added moves itself to a free spot; otherwise the
 * nodes below a grown node are pushed down under it. Returns the new positions (only moved nodes).
 */
export function settle(doc: GraphDoc, sizes: Sizes, grown: string[], fresh: Set<string>): Map<string, { x: number; y: number }> {
  const pos = new Map(doc.nodes.map((n) => [n.id, { ...n.position }]));
  const moved = new Map<string, { x: number; y: number }>();
  const rect = (id: string): Box => boxOf(pos.get(id)!, sizes.get(id) ?? DEFAULT);
  const queue = [...grown];
  for (let guard = 0; queue.length && guard < 200; guard++) {
    const a = queue.shift()!;
    if (!pos.has(a)) continue;
    const ra = rect(a);
    const hit = [...pos.keys()].filter((b) => b !== a && hits(ra, rect(b), 0));
    if (!hit.length) continue;
    if (fresh.has(a)) {
      const others = [...pos.keys()].filter((b) => b !== a).map(rect);
      const p = freeSpot(ra, { width: ra.w, height: ra.h }, others);
      pos.set(a, p);
      moved.set(a, p);
      continue;
    }
    for (const b of hit) {
      const rb = rect(b);
      // Only what lies below the grown node's top moves; a node above it stays put.
      if (rb.y < ra.y) continue;
      const p = { x: rb.x, y: Math.round(ra.y + ra.h + GAP / 2) };
      pos.set(b, p);
      moved.set(b, p);
      queue.push(b);
    }
  }
  return moved;
}
