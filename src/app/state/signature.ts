/**
 * What a node's result depends on, as the studio can see it: its type, params and, through
 * its wires, the same of everything upstream (the shape of the engine's cache key, without
 * file bytes). A node whose signature differs from the one its last run state was recorded
 * with has been changed since: its badge says "changed", not a stale "done" or "error".
 */
import type { GraphDoc } from '../../engine/graph.js';

function hash(s: string): string {
  // FNV-1a, 32 bit: signatures are compared, never trusted for security.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

export function signatures(doc: GraphDoc): Map<string, string> {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, Array<{ port: string; from: string; fromPort: string }>>();
  for (const e of doc.edges) (incoming.get(e.to.node) ?? incoming.set(e.to.node, []).get(e.to.node)!).push({ port: e.to.port, from: e.from.node, fromPort: e.from.port });
  const bound = new Map<string, Record<string, unknown>>();
  for (const i of doc.inputs) (bound.get(i.bind.node) ?? bound.set(i.bind.node, {}).get(i.bind.node)!)[i.bind.param] = i.default;
  const out = new Map<string, string>();
  const visit = (id: string, stack: Set<string>): string => {
    const known = out.get(id);
    if (known) return known;
    const n = byId.get(id);
    if (!n || stack.has(id)) return 'missing';
    stack.add(id);
    const ins = (incoming.get(id) ?? [])
      .map((e) => `${e.port}<${visit(e.from, stack)}.${e.fromPort}`)
      .sort()
      .join(',');
    stack.delete(id);
    const sig = hash(JSON.stringify([n.type, n.version, n.params, bound.get(id) ?? null, ins]));
    out.set(id, sig);
    return sig;
  };
  for (const n of doc.nodes) visit(n.id, new Set());
  return out;
}
