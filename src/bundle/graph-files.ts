/**
 * The files a graph points at: every node's file params (as the node types declare them) and
 * the defaults of graph inputs bound to those params. Shared by pack (what to include), the
 * missing-things report and unpack (what must be in the bundle).
 */
import type { Catalog, GraphDoc } from '../engine/index.js';

export interface FileRef {
  node: string;
  param: string;
  /** The graph input bound to this param, if any. */
  input?: string;
  /** The value as written in the graph (param, else the bound input's default); '' when unset. */
  value: string;
}

export function fileRefs(graph: GraphDoc, catalog: Catalog): FileRef[] {
  const out: FileRef[] = [];
  for (const n of graph.nodes) {
    for (const param of catalog.get(n.type)?.fileParams ?? []) {
      const input = graph.inputs.find((i) => i.bind.node === n.id && i.bind.param === param);
      const own = n.params[param];
      const value = typeof own === 'string' && own !== '' ? own : typeof input?.default === 'string' ? input.default : '';
      out.push({ node: n.id, param, ...(input ? { input: input.name } : {}), value });
    }
  }
  return out;
}

/** Set a file ref's value in place: the node param when it had one, else the bound input's default. */
export function setFileRef(graph: GraphDoc, ref: FileRef, value: string): void {
  const node = graph.nodes.find((n) => n.id === ref.node)!;
  const input = ref.input ? graph.inputs.find((i) => i.name === ref.input) : undefined;
  const own = node.params[ref.param];
  if (typeof own === 'string' && own !== '') node.params[ref.param] = value;
  else if (input && typeof input.default === 'string') input.default = value;
  else node.params[ref.param] = value;
}

/** Video models a graph uses: each Video Model node's model, plus a2v where no image is wired (it stands in then). */
export function modelRefs(graph: GraphDoc, catalog: Catalog): Array<{ node: string; model: string }> {
  const out: Array<{ node: string; model: string }> = [];
  for (const n of graph.nodes) {
    if (n.type !== 'video-model') continue;
    const parsed = catalog.get(n.type)?.params.safeParse(n.params);
    const model = String((parsed?.success ? (parsed.data as { model?: unknown }).model : n.params.model) ?? 'pulse');
    out.push({ node: n.id, model });
    const imageWired = graph.edges.some((e) => e.to.node === n.id && e.to.port === 'image');
    if (!imageWired && model !== 'a2v') out.push({ node: n.id, model: 'a2v' });
  }
  return out;
}
