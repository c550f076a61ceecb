/**
 * "Before running, say what is missing": models not installed (local files missing or with
 * a different sha256, remote backends not configured, kinds this build does not know), node
 * types this build lacks, and inputs not provided or not found — each with what to do.
 * The CLI's `s2v validate`, `s2v unpack` and the studio (GET/POST /api/needs) print the same list.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BackendService, Catalog, GraphDoc } from '../engine/index.js';
import { fileRefs, modelRefs } from './graph-files.js';
import { DEFAULT_MODELS_DIR, readInstalledModel, type ModelRecord } from './models.js';

export interface Need {
  kind: 'node' | 'model' | 'input' | 'file';
  /** Node id (and param) it concerns. */
  where: string;
  what: string;
  fix: string;
}

export interface NeedsOptions {
  catalog: Catalog;
  /** Folder relative file params resolve against (the graph's folder). */
  graphDir: string;
  modelsDir?: string;
  backends?: BackendService;
  /** What the graph was shared with (a bundle's model manifests), for better hints. */
  sharedModels?: ModelRecord[];
}

const hashMemo = new Map<string, string>();
async function sha256File(file: string): Promise<string> {
  const st = await fs.stat(file);
  const key = `${file}\0${st.size}\0${st.mtimeMs}`;
  const known = hashMemo.get(key);
  if (known) return known;
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  const d = h.digest('hex');
  hashMemo.set(key, d);
  return d;
}

export function formatNeed(n: Need): string {
  return `${n.where}: ${n.what} — ${n.fix}`;
}

export async function whatIsMissing(graph: GraphDoc, opts: NeedsOptions): Promise<Need[]> {
  const needs: Need[] = [];
  for (const n of graph.nodes) {
    if (!opts.catalog.get(n.type)) {
      needs.push({ kind: 'node', where: `node "${n.id}"`, what: `node type "${n.type}" is not part of this S2V Studio`, fix: 'update S2V Studio (or remove the node)' });
    }
  }
  const modelsDir = opts.modelsDir ?? DEFAULT_MODELS_DIR;
  const checked = new Set<string>();
  let statuses: Awaited<ReturnType<BackendService['statuses']>> | undefined;
  for (const { node, model } of modelRefs(graph, opts.catalog)) {
    if (checked.has(model)) continue;
    checked.add(model);
    const where = `node "${node}" model "${model}"`;
    const shared = opts.sharedModels?.find((m) => m.id === model);
    const installed = await readInstalledModel(modelsDir, model);
    if (!installed) {
      needs.push({ kind: 'model', where, what: 'not installed', fix: shared ? `get it from ${shared.source}` : 'install it, or pick one of `s2v models`' });
      continue;
    }
    const r = installed.record;
    if (r.backend === 'local') {
      for (const f of r.files) {
        const file = path.join(installed.dir, f.name);
        const actual = await sha256File(file).catch(() => undefined);
        if (actual === undefined) needs.push({ kind: 'model', where, what: `file ${f.name} is missing`, fix: r.source });
        else if (actual !== f.sha256) needs.push({ kind: 'model', where, what: `file ${f.name} has sha256 ${actual.slice(0, 12)}…, expected ${f.sha256.slice(0, 12)}…`, fix: r.source });
      }
      const want = shared?.files.map((f) => f.sha256).join(',');
      if (want && want !== r.files.map((f) => f.sha256).join(',')) {
        needs.push({ kind: 'model', where, what: `the sender had version ${shared!.version ?? '?'}, this is ${r.version ?? '?'} (different files): frames may differ`, fix: 'use the same S2V Studio version as the sender for identical frames' });
      }
    } else if (r.backend === 'comfyui' || r.backend === 'sogni') {
      if (!opts.backends) {
        needs.push({ kind: 'model', where, what: `remote backend "${r.backend}" is not available in this build`, fix: r.source });
        continue;
      }
      statuses ??= await opts.backends.statuses().catch(() => []);
      const s = statuses.find((x) => x.id === r.backend);
      // The backend's own detail names what to set (never a credential); it already says "not configured".
      const detail = s?.detail?.replace(/^not configured\s*\(?|\)$/g, '').trim();
      if (!s?.configured) needs.push({ kind: 'model', where, what: `remote backend "${r.backend}" is not configured${detail ? ` (${detail})` : ''}`, fix: r.source });
    } else {
      needs.push({ kind: 'model', where, what: `model kind "${r.kind}" is unknown to this S2V Studio`, fix: 'update S2V Studio' });
    }
  }
  for (const ref of fileRefs(graph, opts.catalog)) {
    const where = ref.input ? `input "${ref.input}" (node "${ref.node}".${ref.param})` : `node "${ref.node}".${ref.param}`;
    const fix = ref.input ? `pass one with --input ${ref.input}=FILE (or pick a file in the studio)` : `set a file with --set ${ref.node}.${ref.param}=FILE`;
    if (!ref.value) {
      // An empty optional source (e.g. no image → audio-only) is only missing when something needs it.
      if (ref.input || graph.edges.some((e) => e.from.node === ref.node)) needs.push({ kind: 'input', where, what: 'not provided', fix });
      continue;
    }
    const abs = path.resolve(opts.graphDir, ref.value);
    const st = await fs.stat(abs).catch(() => undefined);
    if (!st?.isFile()) needs.push({ kind: 'file', where, what: `file "${ref.value}" not found`, fix });
  }
  return needs;
}
