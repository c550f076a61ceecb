/**
 * Semantic validation of a parsed graph against the catalog: node types, ports, port
 * types, required inputs, params, input bindings and cycles. Every error names the node
 * or edge it is about.
 */
import type { Catalog } from './catalog.js';
import type { GraphDoc, GraphEdge } from './graph.js';
import { S2VError, atNode } from './errors.js';
import { portsCompatible } from './types.js';
import type { PortSpec } from './node.js';

export function edgeName(e: GraphEdge, i: number): string {
  return `edge ${e.id ? `"${e.id}"` : `#${i}`} (${e.from.node}.${e.from.port} → ${e.to.node}.${e.to.port})`;
}

/** Parse each node's params through its schema (applying defaults and migrations). */
export function resolveParams(graph: GraphDoc, catalog: Catalog): Map<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const n of graph.nodes) {
    const def = catalog.require(n.type, atNode(n.id));
    let raw = n.params;
    if (n.version < def.version && def.migrate) raw = def.migrate(raw, n.version);
    if (n.version > def.version) {
      throw new S2VError('E103', `node type ${n.type} v${n.version} is newer than this build (v${def.version})`, {
        ...atNode(n.id),
      });
    }
    const r = def.params.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      const p = issue.path.length ? issue.path.join('.') : 'params';
      throw new S2VError('E106', `param ${p}: ${issue.message}`, atNode(n.id));
    }
    out.set(n.id, r.data as Record<string, unknown>);
  }
  return out;
}

/** Throws on the first problem; returns each node's resolved params (as resolveParams). */
export function validateGraph(graph: GraphDoc, catalog: Catalog): Map<string, Record<string, unknown>> {
  const ids = new Set<string>();
  for (const n of graph.nodes) {
    if (ids.has(n.id)) throw new S2VError('E102', `duplicate node id "${n.id}"`, atNode(n.id));
    ids.add(n.id);
    catalog.require(n.type, atNode(n.id));
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const fed = new Set<string>();
  graph.edges.forEach((e, i) => {
    const where = edgeName(e, i);
    const from = byId.get(e.from.node);
    const to = byId.get(e.to.node);
    // The node a program (the studio) marks for an edge error: the end that is at fault, or
    // the end that exists when the other one does not.
    if (!from) throw new S2VError('E104', `source node "${e.from.node}" does not exist`, { where, node: to?.id });
    if (!to) throw new S2VError('E104', `target node "${e.to.node}" does not exist`, { where, node: from.id });
    const outPort = catalog.require(from.type).outputs[e.from.port];
    const inPort = catalog.require(to.type).inputs[e.to.port];
    if (!outPort) throw new S2VError('E104', `${from.type} has no output "${e.from.port}"`, { where, node: from.id });
    if (!inPort) throw new S2VError('E104', `${to.type} has no input "${e.to.port}"`, { where, node: to.id });
    if (!portsCompatible(outPort.type, inPort.type)) {
      throw new S2VError('E104', `port types differ: ${outPort.type} cannot feed ${inPort.type}`, { where, node: to.id });
    }
    const key = `${e.to.node}.${e.to.port}`;
    if (fed.has(key)) throw new S2VError('E104', `input ${key} has more than one edge`, { where, node: to.id });
    fed.add(key);
  });
  for (const n of graph.nodes) {
    const def = catalog.require(n.type);
    for (const [port, spec] of Object.entries(def.inputs as Record<string, PortSpec>)) {
      if (!spec.optional && !fed.has(`${n.id}.${port}`)) {
        throw new S2VError('E104', `required input "${port}" (${spec.type}) is not connected`, atNode(n.id));
      }
    }
  }
  for (const inp of graph.inputs) {
    const n = byId.get(inp.bind.node);
    if (!n) throw new S2VError('E107', `binds to missing node "${inp.bind.node}"`, { where: `input "${inp.name}"` });
    const def = catalog.require(n.type);
    const shape = (def.params as { shape?: Record<string, unknown> }).shape;
    if (shape && !(inp.bind.param in shape)) {
      throw new S2VError('E107', `node "${n.id}" (${n.type}) has no param "${inp.bind.param}"`, { where: `input "${inp.name}"` });
    }
  }
  topoOrder(graph);
  return resolveParams(graph, catalog);
}

/** Kahn's algorithm; throws E105 naming the nodes on a cycle. */
export function topoOrder(graph: GraphDoc): string[] {
  const indeg = new Map(graph.nodes.map((n) => [n.id, 0]));
  const next = new Map<string, string[]>(graph.nodes.map((n) => [n.id, []]));
  for (const e of graph.edges) {
    if (!indeg.has(e.to.node) || !next.has(e.from.node)) continue;
    indeg.set(e.to.node, indeg.get(e.to.node)! + 1);
    next.get(e.from.node)!.push(e.to.node);
  }
  const queue = graph.nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  const order: string[] = [];
  while (queue.length) {
    const id = queue.shift()!;
    order.push(id);
    for (const m of next.get(id)!) {
      indeg.set(m, indeg.get(m)! - 1);
      if (indeg.get(m) === 0) queue.push(m);
    }
  }
  if (order.length !== graph.nodes.length) {
    const stuck = graph.nodes.filter((n) => !order.includes(n.id)).map((n) => n.id);
    throw new S2VError('E105', `the graph has a cycle through ${stuck.map((s) => `"${s}"`).join(', ')}`, {
      ...atNode(stuck[0]!),
      hint: 'remove one of the edges that loops back',
    });
  }
  return order;
}

/** The node and every node it depends on (for "run to here"), nearest first: breadth-first. */
export function ancestorsOf(graph: GraphDoc, target: string): Set<string> {
  const prev = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (!prev.has(e.to.node)) prev.set(e.to.node, []);
    prev.get(e.to.node)!.push(e.from.node);
  }
  const seen = new Set<string>([target]);
  // A Set iterates the members added while it iterates, in order: a queue that skips repeats.
  for (const id of seen) for (const p of prev.get(id) ?? []) seen.add(p);
  return seen;
}
