/**
 * Graph edits as immer recipes, in the user's words: add a node, connect two ports,
 * delete a selection, paste. They work on the engine's graph document, so what the
 * canvas shows is exactly what the server runs.
 */
import type { Draft } from 'immer';
import type { GraphDoc, GraphEdge, GraphNode } from '../../engine/graph.js';
import type { NodeTypeInfo } from '../../engine/node.js';
import { portsCompatible, type PortType } from '../../engine/types.js';

export function edgeId(e: GraphEdge): string {
  return e.id ?? `${e.from.node}.${e.from.port}->${e.to.node}.${e.to.port}`;
}

/** A fresh node id from the node type ("video-model-2"), unique in the document. */
export function freshId(doc: GraphDoc, type: string, taken: Set<string> = new Set()): string {
  const used = new Set([...doc.nodes.map((n) => n.id), ...taken]);
  const base = type.replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 56) || 'node';
  for (let i = 1; ; i++) {
    const id = `${base}-${i}`;
    if (!used.has(id)) return id;
  }
}

export function defaultParams(info: NodeTypeInfo): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(info.params)) if (p.default !== undefined) out[k] = structuredClone(p.default);
  return out;
}

export function newNode(doc: GraphDoc, info: NodeTypeInfo, position: { x: number; y: number }, params: Record<string, unknown> = {}): GraphNode {
  return {
    id: freshId(doc, info.type),
    type: info.type,
    version: info.version,
    params: { ...defaultParams(info), ...params },
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
}

export interface ConnectRequest {
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

/** Why an edge may not be drawn, in one line; undefined when it may. */
export function refuseReason(doc: GraphDoc, infos: Map<string, NodeTypeInfo>, c: ConnectRequest): string | undefined {
  const from = doc.nodes.find((n) => n.id === c.source);
  const to = doc.nodes.find((n) => n.id === c.target);
  if (!from || !to) return 'that node no longer exists';
  if (from.id === to.id) return 'a node cannot feed itself';
  const out = infos.get(from.type)?.outputs[c.sourceHandle];
  const inp = infos.get(to.type)?.inputs[c.targetHandle];
  if (!out || !inp) return 'unknown port';
  if (!portsCompatible(out.type as PortType, inp.type as PortType)) {
    return `Cannot connect ${out.type} output "${c.sourceHandle}" of ${from.id} to ${inp.type} input "${c.targetHandle}" of ${to.id}: port types differ`;
  }
  if (reaches(doc, to.id, from.id)) return `Cannot connect ${from.id} to ${to.id}: it would make a loop`;
  return undefined;
}

/** Is `goal` downstream of `start`? */
function reaches(doc: GraphDoc, start: string, goal: string): boolean {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length) {
    const id = stack.pop()!;
    if (id === goal) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of doc.edges) if (e.from.node === id) stack.push(e.to.node);
  }
  return false;
}

/** Connect; an input takes one edge, so an existing edge into it is replaced. */
export function connect(c: ConnectRequest) {
  return (d: Draft<GraphDoc>) => {
    d.edges = d.edges.filter((e) => !(e.to.node === c.target && e.to.port === c.targetHandle));
    d.edges.push({ from: { node: c.source, port: c.sourceHandle }, to: { node: c.target, port: c.targetHandle } });
  };
}

export function removeNodes(ids: Set<string>, edgeIds: Set<string> = new Set()) {
  return (d: Draft<GraphDoc>) => {
    d.nodes = d.nodes.filter((n) => !ids.has(n.id));
    d.edges = d.edges.filter((e) => !ids.has(e.from.node) && !ids.has(e.to.node) && !edgeIds.has(edgeId(e as GraphEdge)));
    d.inputs = d.inputs.filter((i) => !ids.has(i.bind.node));
  };
}

export function setParam(nodeId: string, key: string, value: unknown) {
  return (d: Draft<GraphDoc>) => {
    const n = d.nodes.find((x) => x.id === nodeId);
    if (n) n.params[key] = value as never;
  };
}

export interface Clip {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export function copySelection(doc: GraphDoc, ids: Set<string>): Clip {
  return {
    nodes: doc.nodes.filter((n) => ids.has(n.id)).map((n) => structuredClone(n)),
    edges: doc.edges.filter((e) => ids.has(e.from.node) && ids.has(e.to.node)).map((e) => structuredClone(e)),
  };
}

/** Paste a clip with fresh ids, offset so the copy is visible; returns the new ids. */
export function pasteClip(doc: GraphDoc, clip: Clip, offset: { x: number; y: number }) {
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  for (const n of clip.nodes) {
    const id = freshId(doc, n.type, taken);
    taken.add(id);
    rename.set(n.id, id);
  }
  const recipe = (d: Draft<GraphDoc>) => {
    for (const n of clip.nodes) {
      d.nodes.push({ ...structuredClone(n), id: rename.get(n.id)!, position: { x: n.position.x + offset.x, y: n.position.y + offset.y } });
    }
    for (const e of clip.edges) {
      d.edges.push({ from: { node: rename.get(e.from.node)!, port: e.from.port }, to: { node: rename.get(e.to.node)!, port: e.to.port } });
    }
  };
  return { recipe, ids: [...rename.values()] };
}

/** Nodes feeding `nodeId`, per input port. */
export function upstreamOf(doc: GraphDoc, nodeId: string): Map<string, { node: GraphNode; port: string }> {
  const out = new Map<string, { node: GraphNode; port: string }>();
  for (const e of doc.edges) {
    if (e.to.node !== nodeId) continue;
    const n = doc.nodes.find((x) => x.id === e.from.node);
    if (n) out.set(e.to.port, { node: n, port: e.from.port });
  }
  return out;
}

export function downstreamOf(doc: GraphDoc, nodeId: string): GraphNode[] {
  const ids = new Set(doc.edges.filter((e) => e.from.node === nodeId).map((e) => e.to.node));
  return doc.nodes.filter((n) => ids.has(n.id));
}

