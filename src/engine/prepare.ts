/**
 * Making a graph ready to run, one way for every front door: parse, validate, bind graph-input
 * defaults and what the user chose for this run, resolve each file param through the caller's
 * file policy, validate again. The CLI and the studio differ only in their `FilePolicy`: which
 * files a graph may read and where its Output nodes may write.
 */
import type { Catalog } from './catalog.js';
import { parseGraph, type GraphDoc } from './graph.js';
import { S2VError, atNode } from './errors.js';
import { resolveParams, validateGraph } from './validate.js';

/** One file param of one node, as the policy sees it. */
export interface FilePlace {
  node: string;
  param: string;
  /** The user chose this value for this run (e.g. on the command line); otherwise it is the graph's own data. */
  chosen: boolean;
  /** The graph input bound to this param, if any (for messages). */
  input?: string;
}

/** Which files a run may read and write; every front door passes its own. */
export interface FilePolicy {
  /** A file param's value (non-empty) → the absolute path the node reads. Throws an S2VError naming the node when refused. */
  read(value: string, at: FilePlace): Promise<string>;
  /**
   * An Output node's effective `path` (schema default included) → the path it writes, or undefined to
   * leave the param as it is. `isDefault`: nobody chose it (absent, empty, or the schema's default).
   */
  write?(value: string | undefined, at: FilePlace & { isDefault: boolean }): Promise<string | undefined>;
}

/** A param the user set for this run, over the graph's value. */
export interface ParamChoice {
  node: string;
  param: string;
  value: unknown;
}

/**
 * Returns a new graph (the input is not touched) with inputs bound and file params resolved.
 * `choose` sees the validated graph (defaults bound) and returns the user's choices; it throws
 * its own one-line errors for names that do not exist.
 */
export async function prepareGraph(
  raw: unknown,
  catalog: Catalog,
  policy: FilePolicy,
  choose: (g: GraphDoc) => ParamChoice[] = () => [],
): Promise<GraphDoc> {
  const g = structuredClone(parseGraph(raw, 'graph'));
  validateGraph(g, catalog);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  for (const inp of g.inputs) {
    if (inp.default !== undefined) byId.get(inp.bind.node)!.params[inp.bind.param] ??= inp.default;
  }
  const chosen = new Set<string>();
  for (const c of choose(g)) {
    const n = byId.get(c.node);
    if (!n) throw new S2VError('E107', `no node "${c.node}"`, { where: `${c.node}.${c.param}` });
    n.params[c.param] = c.value;
    chosen.add(`${c.node}.${c.param}`);
  }

  // Only a policy that places outputs needs the effective params (schema defaults applied).
  const effective = policy.write ? resolveParams(g, catalog) : undefined;
  for (const n of g.nodes) {
    const def = catalog.require(n.type, atNode(n.id));
    for (const param of def.fileParams ?? []) {
      const v = n.params[param];
      if (typeof v !== 'string' || v === '') continue;
      const input = g.inputs.find((i) => i.bind.node === n.id && i.bind.param === param)?.name;
      n.params[param] = await policy.read(v, { node: n.id, param, chosen: chosen.has(`${n.id}.${param}`), input });
    }
    if (def.category !== 'output' || !policy.write) continue;
    // The schema default (e.g. "out/render.mp4") counts too: the policy decides where it lands.
    const out = effective?.get(n.id)?.path as string | undefined;
    const isChosen = chosen.has(`${n.id}.path`);
    const schemaDefault = (def.params.safeParse({}).data as { path?: unknown } | undefined)?.path;
    const isDefault = !isChosen && (out === undefined || out === '' || out === schemaDefault);
    const dest = await policy.write(out, { node: n.id, param: 'path', chosen: isChosen, isDefault });
    if (dest !== undefined) n.params.path = dest;
  }
  validateGraph(g, catalog);
  return g;
}
