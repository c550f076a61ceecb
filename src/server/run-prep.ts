/**
 * Turning a graph from the browser into one that is safe to run. A graph may have been
 * shared by someone else, so its file params may only read from the uploaded assets or
 * the shipped graphs/ folder, and its Output nodes write only under outputs/.
 */
import fs from 'node:fs';
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

/** "My graph: take 1" → "My-graph-take-1" (a file stem; never empty). */
function stem(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'render';
}

/** `<name>-<yyyymmdd-hhmmss>.mp4` in `dir`, with a counter when that file (or one named this run) exists. */
export function renderFileName(name: string, dir: string, taken: Set<string>, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const t = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  for (let i = 1; ; i++) {
    const file = `${stem(name)}-${t}${i > 1 ? `-${i}` : ''}.mp4`;
    if (!taken.has(file) && !fs.existsSync(path.join(dir, file))) {
      taken.add(file);
      return file;
    }
  }
}

/**
 * Parse, bind graph-input defaults (as `s2v run` does), confine file params, re-home
 * relative output paths (absolute ones must already lie in outputs/), and validate. Throws S2VError naming the node.
 */
export async function prepareRunGraph(raw: unknown, catalog: Catalog, roots: RunRoots, opts: { renderName?: string } = {}): Promise<GraphDoc> {
  const g = structuredClone(parseGraph(raw, 'graph'));
  validateGraph(g, catalog);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  for (const inp of g.inputs) {
    if (inp.default !== undefined) byId.get(inp.bind.node)!.params[inp.bind.param] ??= inp.default;
  }
  const effective = resolveParams(g, catalog);
  const taken = new Set<string>();
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
    let out = def.category === 'output' ? effective.get(n.id)?.path : undefined;
    // A path the user never chose (the schema default) would make every render overwrite the
    // last one: each render gets its own file, named after the graph and the time.
    const unchosen = out === undefined || out === '' || out === (def.params.safeParse({}).data as { path?: unknown } | undefined)?.path;
    if (opts.renderName !== undefined && def.category === 'output' && unchosen) {
      out = renderFileName(opts.renderName, roots.outputsDir, taken);
    }
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
