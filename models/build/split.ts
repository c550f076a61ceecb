/**
 * Splits a model graph in two so nothing is computed twice in a render:
 *  - `prepare` holds every node that does not depend on the per-frame inputs (the graded
 *    reference image, the coordinate grid, particle columns, …). It runs once per render.
 *  - `frames` holds the rest; what it needs from `prepare` become its inputs, named as the
 *    values are named in the whole graph, so prepare's outputs feed it by name.
 * Static nodes inside an If branch are hoisted into `prepare` too (they then run once even
 * when the branch is not taken: cheap, since it is once). The arithmetic is the same nodes
 * on the same values, so the frames are the same as the unsplit graph's.
 */
import { GraphBuilder } from './graph-builder.js';
import type { AttrValue, ElemType, OnnxGraph, OnnxNode } from './onnx-writer.js';

const CAST_TO: Record<number, ElemType> = { 1: 'FLOAT', 2: 'UINT8', 6: 'INT32', 7: 'INT64', 9: 'BOOL' };
const BOOL_OPS = new Set(['Greater', 'Less', 'Equal', 'GreaterOrEqual', 'LessOrEqual', 'Not', 'And', 'Or']);

function branches(n: OnnxNode): OnnxGraph[] {
  return Object.values(n.attrs ?? {}).flatMap((a: AttrValue) => (typeof a === 'object' && a !== null && 'graph' in a ? [a.graph] : []));
}

/** Every value a node reads, including outer-scope reads inside its branches. */
function reads(n: OnnxNode): string[] {
  return [...n.inputs, ...branches(n).flatMap((b) => b.nodes.flatMap(reads))];
}

export interface SplitModel {
  prepare: GraphBuilder;
  frames: GraphBuilder;
}

export function splitStatic(g: GraphBuilder, dynamicInputs: readonly string[]): SplitModel {
  const types = new Map<string, ElemType>();
  for (const v of g.inputs) types.set(v.name, v.type);
  for (const t of g.initializers) types.set(t.name, t.type);
  const typeOf = (n: OnnxNode): ElemType => {
    if (n.opType === 'Shape' || n.opType === 'Size') return 'INT64';
    if (n.opType === 'Cast') return CAST_TO[n.attrs!.to as number]!;
    if (BOOL_OPS.has(n.opType)) return 'BOOL';
    if (n.opType === 'QuantizeLinear') return types.get(n.inputs[2]!) ?? 'UINT8';
    if (n.opType === 'If') return branches(n)[0]!.outputs[0]!.type;
    return types.get(n.inputs[0]!) ?? 'FLOAT';
  };

  const dynamic = new Set(dynamicInputs);
  const staticNodes: OnnxNode[] = [];
  const frameNodes: OnnxNode[] = [];
  let hoisted = 0;
  const isDynamic = (n: OnnxNode) => reads(n).some((v) => dynamic.has(v));
  const place = (n: OnnxNode, into: OnnxNode[]) => {
    into.push(n);
    for (const o of n.outputs) types.set(o, typeOf(n));
    if (into === frameNodes) for (const o of n.outputs) dynamic.add(o);
  };

  for (const n of g.nodes) {
    const subs = branches(n);
    if (!subs.length || !isDynamic(n)) {
      place(n, isDynamic(n) ? frameNodes : staticNodes);
      continue;
    }
    // A dynamic If: keep in each branch only what depends on the frame inputs (and the node
    // that names the branch's result); hoist the rest.
    const attrs: Record<string, AttrValue> = { ...n.attrs };
    for (const [key, a] of Object.entries(n.attrs!)) {
      if (typeof a !== 'object' || a === null || !('graph' in a)) continue;
      const body = a.graph;
      const results = new Set(body.outputs.map((o) => o.name));
      const kept: OnnxNode[] = [];
      for (const bn of body.nodes) {
        if (isDynamic(bn) || bn.outputs.some((o) => results.has(o))) {
          kept.push(bn);
          for (const o of bn.outputs) {
            types.set(o, typeOf(bn));
            dynamic.add(o);
          }
        } else place({ ...bn, name: `hoisted${hoisted++}_${bn.opType}` }, staticNodes);
      }
      attrs[key] = { graph: { ...body, nodes: kept } };
    }
    place({ ...n, attrs }, frameNodes);
  }

  const produced = new Map<string, OnnxNode>();
  for (const n of staticNodes) for (const o of n.outputs) produced.set(o, n);
  const inputNames = new Set(g.inputs.map((v) => v.name));
  const initNames = new Set(g.initializers.map((t) => t.name));

  // What the frame graph reads from outside itself: prepared values and fixed inputs.
  const frameReads = [...new Set(frameNodes.flatMap(reads))];
  const cut = frameReads.filter((v) => produced.has(v));
  const passThrough = frameReads.filter((v) => inputNames.has(v));

  // Prepare: only the static nodes the cut needs.
  const needed = new Set<OnnxNode>();
  const visit = (v: string) => {
    const n = produced.get(v);
    if (!n || needed.has(n)) return;
    needed.add(n);
    for (const r of reads(n)) visit(r);
  };
  for (const v of cut) visit(v);
  const prepNodes = staticNodes.filter((n) => needed.has(n));

  const build = (name: string, nodes: OnnxNode[], inputs: GraphBuilder['inputs'], outputs: GraphBuilder['outputs']) => {
    const b = new GraphBuilder(name);
    b.nodes = nodes;
    const used = new Set(nodes.flatMap(reads));
    b.initializers.push(...g.initializers.filter((t) => used.has(t.name)));
    b.inputs.push(...inputs);
    b.outputs.push(...outputs);
    return b;
  };
  const prepReads = new Set(prepNodes.flatMap(reads));
  const prepare = build(
    `${g.name}_prepare`,
    prepNodes,
    g.inputs.filter((v) => prepReads.has(v.name)),
    cut.map((name) => ({ name, type: types.get(name)! })),
  );
  const frames = build(
    g.name,
    frameNodes,
    [
      ...g.inputs.filter((v) => dynamicInputs.includes(v.name) || passThrough.includes(v.name)),
      ...cut.map((name) => ({ name, type: types.get(name)! })),
    ],
    g.outputs,
  );
  if (frameReads.some((v) => !dynamic.has(v) && !produced.has(v) && !inputNames.has(v) && !initNames.has(v))) {
    throw new Error(`${g.name}: the frame graph reads a value nothing produces`);
  }
  return { prepare, frames };
}
