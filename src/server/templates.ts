/**
 * Template graphs shipped in graphs/*.json. Their file params are relative to graphs/
 * (so the repo can move); the studio receives them as absolute paths inside graphs/.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseGraphText, type Catalog, type GraphDoc } from '../engine/index.js';
import { HttpError } from './http.js';
import { isWithin, safeName } from './paths.js';

export interface TemplateInfo {
  id: string;
  title: string;
  description: string;
  tags: string[];
}

/** Rewrite graph-relative file params (and graph inputs bound to them) to absolute paths in `base`. */
export function absolutizeFileParams(doc: GraphDoc, catalog: Catalog, base: string): GraphDoc {
  const fileParamsOf = (type: string) => new Set(catalog.get(type)?.fileParams ?? []);
  const fix = (v: unknown): unknown => {
    if (typeof v !== 'string' || v === '' || path.isAbsolute(v)) return v;
    const abs = path.resolve(base, v);
    // A template pointing outside graphs/ keeps its value; the run check will name it.
    return isWithin(base, abs) ? abs : v;
  };
  const types = new Map(doc.nodes.map((n) => [n.id, n.type]));
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      const fp = fileParamsOf(n.type);
      if (!fp.size) return n;
      const params = { ...n.params };
      for (const k of fp) if (k in params) params[k] = fix(params[k]);
      return { ...n, params };
    }),
    inputs: doc.inputs.map((inp) =>
      fileParamsOf(types.get(inp.bind.node) ?? '').has(inp.bind.param) && inp.default !== undefined ? { ...inp, default: fix(inp.default) } : inp,
    ),
  };
}

export class TemplateStore {
  constructor(
    readonly dir: string,
    private readonly catalog: Catalog,
  ) {}

  /** Every parseable template; broken ones are skipped (their own tests catch them). */
  async list(): Promise<TemplateInfo[]> {
    const names = (await fs.readdir(this.dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
    const out: TemplateInfo[] = [];
    for (const f of names) {
      try {
        const doc = parseGraphText(await fs.readFile(path.join(this.dir, f), 'utf8'), f);
        const { title, description, tags } = doc.metadata;
        out.push({ id: f.slice(0, -5), title, description, tags });
      } catch {
        continue;
      }
    }
    return out;
  }

  async load(rawId: string): Promise<GraphDoc> {
    const id = safeName(rawId, 'template id');
    let text: string;
    try {
      text = await fs.readFile(path.join(this.dir, `${id}.json`), 'utf8');
    } catch {
      throw new HttpError(404, `no template named "${id}"`);
    }
    return absolutizeFileParams(parseGraphText(text, `graphs/${id}.json`), this.catalog, path.resolve(this.dir));
  }
}
