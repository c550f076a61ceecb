/**
 * Turning a graph from the browser into one that is safe to run. A graph may have been
 * shared by someone else, so its file params may only read from the uploaded assets or
 * the shipped graphs/ folder, and its Output nodes write only under outputs/.
 */
import path from 'node:path';
import { S2VError, parseGraph, resolveParams, validateGraph, type Catalog, type GraphDoc } from '../engine/index.js';
import { insideRoots, isWithin, realOrResolved } from './paths.js';

export interface RunRoots {
  /** Folders file params may read from (assets dir, graphs/). */
  readable: string[];
  /** Folder that graph-relative file params resolve against (graphs/). */
  graphsDir: string;
  /** Where relative Output paths land. */
  outputsDir: string;
}

/**
 * Parse, bind graph-input defaults (as `s2v run` does), confine file params, re-home
 * relative output paths (absolute ones must already lie in outputs/), and validate. Throws S2VError naming the node.
 */
export async function prepareRunGraph(raw: unknown, catalog: Catalog, roots: RunRoots): Promise<GraphDoc> {
  const g = structuredClone(parseGraph(raw, 'graph'));
  validateGraph(g, catalog);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  for (const inp of g.inputs) {
    if (inp.default !== undefined) byId.get(inp.bind.node)!.params[inp.bind.param] ??= inp.default;
  }
  const effective = resolveParams(g, catalog);
  for (const n of g.nodes) {
    const def = catalog.require(n.type, `node "${n.id}"`);
    for (const param of def.fileParams ?? []) {
      const v = n.params[param];
      if (typeof v !== 'string' || v === '') continue;
      const abs = path.isAbsolute(v) ? v : path.resolve(roots.graphsDir, v);
      const real = await insideRoots(abs, roots.readable);
      if (!real) {
        throw new S2VError('E108', `file "${v}" is outside the studio's assets and graphs folders`, {
          where: `node "${n.id}"`,
          hint: 'add the file through the studio (upload) so it is copied into the assets folder',
        });
      }
      n.params[param] = abs;
    }
    // The schema default (e.g. "out/render.mp4") counts too: it must not land in the server's cwd.
    // Absolute paths are held to the outputs folder as well: a shared graph must not overwrite ~/anything.
    const out = def.category === 'output' ? effective.get(n.id)?.path : undefined;
    if (typeof out === 'string' && out) {
      const dest = path.resolve(roots.outputsDir, out);
      if (!isWithin(path.resolve(roots.outputsDir), dest) && !isWithin(await realOrResolved(roots.outputsDir), dest)) {
        throw new S2VError('E109', `output path "${out}" is outside the outputs folder`, {
          where: `node "${n.id}"`,
          hint: `use a relative name such as renders/take1.mp4 (saved under ${roots.outputsDir})`,
        });
      }
      n.params.path = dest;
    }
  }
  validateGraph(g, catalog);
  return g;
}
