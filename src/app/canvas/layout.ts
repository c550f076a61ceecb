/**
 * "Tidy": lays nodes out left-to-right by how deep they sit in the graph, stacking each
 * column by the nodes' real rendered heights so nothing overlaps.
 */
import type { GraphDoc } from '../../engine/graph.js';

export type Sizes = Map<string, { width: number; height: number }>;

const GAP_X = 90;
const GAP_Y = 36;

export function overlaps(doc: GraphDoc, sizes: Sizes): boolean {
  const r = doc.nodes.map((n) => ({ ...n.position, ...(sizes.get(n.id) ?? { width: 280, height: 120 }) }));
  for (let i = 0; i < r.length; i++)
    for (let j = i + 1; j < r.length; j++) {
      const a = r[i]!;
      const b = r[j]!;
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) return true;
    }
  return false;
}

export function tidyPositions(doc: GraphDoc, sizes: Sizes): Map<string, { x: number; y: number }> {
  const depth = new Map<string, number>();
  const incoming = new Map<string, string[]>();
  for (const e of doc.edges) incoming.set(e.to.node, [...(incoming.get(e.to.node) ?? []), e.from.node]);
  const visit = (id: string, stack: Set<string>): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (stack.has(id)) return 0;
    stack.add(id);
    const d = Math.max(-1, ...(incoming.get(id) ?? []).map((p) => visit(p, stack))) + 1;
    stack.delete(id);
    depth.set(id, d);
    return d;
  };
  for (const n of doc.nodes) visit(n.id, new Set());
  const cols: string[][] = [];
  for (const n of doc.nodes) (cols[depth.get(n.id)!] ??= []).push(n.id);
  const pos = new Map<string, { x: number; y: number }>();
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const minX = Math.min(...doc.nodes.map((n) => n.position.x));
  const minY = Math.min(...doc.nodes.map((n) => n.position.y));
  let x = Number.isFinite(minX) ? minX : 0;
  for (const col of cols) {
    if (!col) continue;
    col.sort((a, b) => byId.get(a)!.position.y - byId.get(b)!.position.y);
    let y = Number.isFinite(minY) ? minY : 0;
    let w = 0;
    for (const id of col) {
      const s = sizes.get(id) ?? { width: 280, height: 120 };
      pos.set(id, { x: Math.round(x), y: Math.round(y) });
      y += s.height + GAP_Y;
      w = Math.max(w, s.width);
    }
    x += w + GAP_X;
  }
  return pos;
}
