/**
 * "Tidy": lays connected nodes out left-to-right by how deep they sit in the graph, stacking
 * each column by the nodes' real rendered heights so nothing overlaps; nodes with no wires
 * go in a wide grid below (not one tall column that would force a tiny zoom).
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
  const wired = new Set(doc.edges.flatMap((e) => [e.from.node, e.to.node]));
  const cols: string[][] = [];
  for (const n of doc.nodes) if (wired.has(n.id)) (cols[depth.get(n.id)!] ??= []).push(n.id);
  const pos = new Map<string, { x: number; y: number }>();
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const minX = Math.min(...doc.nodes.map((n) => n.position.x));
  const minY = Math.min(...doc.nodes.map((n) => n.position.y));
  const x0 = Number.isFinite(minX) ? minX : 0;
  const y0 = Number.isFinite(minY) ? minY : 0;
  const size = (id: string) => sizes.get(id) ?? { width: 280, height: 120 };
  let x = x0;
  let bottom = y0;
  for (const col of cols) {
    if (!col) continue;
    col.sort((a, b) => byId.get(a)!.position.y - byId.get(b)!.position.y);
    let y = y0;
    let w = 0;
    for (const id of col) {
      const s = size(id);
      pos.set(id, { x: Math.round(x), y: Math.round(y) });
      y += s.height + GAP_Y;
      w = Math.max(w, s.width);
    }
    bottom = Math.max(bottom, y);
    x += w + GAP_X;
  }
  const loose = doc.nodes.filter((n) => !wired.has(n.id)).sort((a, b) => a.position.y - b.position.y || a.position.x - b.position.x);
  if (loose.length) {
    // About twice as wide as tall: screens are wide.
    const perRow = Math.max(1, Math.ceil(Math.sqrt(loose.length * 2)));
    let y = pos.size ? bottom + GAP_Y : y0;
    for (let i = 0; i < loose.length; i += perRow) {
      const row = loose.slice(i, i + perRow);
      let rx = x0;
      let h = 0;
      for (const n of row) {
        const s = size(n.id);
        pos.set(n.id, { x: Math.round(rx), y: Math.round(y) });
        rx += s.width + GAP_X / 2;
        h = Math.max(h, s.height);
      }
      y += h + GAP_Y;
    }
  }
  return pos;
}
