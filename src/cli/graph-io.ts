/**
 * Loading a graph file for a run: parse, validate, apply `--input`/`--set`, and resolve
 * file params. Graph files are data: paths written inside a graph must be relative and stay
 * inside the graph's folder (a shared graph cannot read /etc/passwd); paths the user types on
 * the command line are theirs to choose and resolve against the working directory.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Catalog, GraphDoc } from '../engine/index.js';
import { S2VError, parseGraphText, validateGraph } from '../engine/index.js';

/** A graph is data: nodes, edges and short params. Anything this big is not one (and would stall the parse). */
const MAX_GRAPH_BYTES = 20 * 1024 * 1024;

export async function readGraphFile(file: string): Promise<GraphDoc> {
  let text: string;
  try {
    const { size } = await fs.stat(file);
    if (size > MAX_GRAPH_BYTES) {
      throw new S2VError('E101', `graph file is too large (${(size / 1048576).toFixed(1)} MB; a graph is at most ${MAX_GRAPH_BYTES / 1048576} MB)`, { where: file });
    }
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if (e instanceof S2VError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new S2VError('E101', code === 'ENOENT' ? 'graph file not found' : `cannot read graph file (${code})`, { where: file });
  }
  return parseGraphText(text, file);
}

/** Parse `--set node.param=value`; values are JSON when they parse as JSON, else strings. */
export function parseAssignment(flag: string, raw: string): { key: string; value: unknown } {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new S2VError('E100', `expected NAME=VALUE, got "${raw}"`, { where: flag });
  const key = raw.slice(0, eq);
  const text = raw.slice(eq + 1);
  let value: unknown = text;
  if (/^(-?\d+(\.\d+)?([eE][-+]?\d+)?|true|false|null|\[.*\]|\{.*\})$/.test(text.trim())) {
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
  }
  return { key, value };
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export interface PrepareOptions {
  graphDir: string;
  cwd: string;
  inputs: Array<{ key: string; value: unknown }>;
  sets: Array<{ key: string; value: unknown }>;
  output?: string;
}

/**
 * Returns a new graph with inputs bound, params set and every file param made absolute.
 * Throws one-line errors naming the input, node or file.
 */
export async function prepareGraph(graph: GraphDoc, catalog: Catalog, opts: PrepareOptions): Promise<GraphDoc> {
  const g: GraphDoc = structuredClone(graph);
  validateGraph(g, catalog);
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  /** node.param keys whose value came from the user (CLI), not from the graph file. */
  const userSet = new Set<string>();

  for (const inp of g.inputs) {
    if (inp.default !== undefined) byId.get(inp.bind.node)!.params[inp.bind.param] ??= inp.default;
  }
  const given = new Set<string>();
  for (const { key, value } of opts.inputs) {
    if (given.has(key)) throw new S2VError('E107', `input "${key}" is given more than once`, { where: '--input', hint: 'pass each input once' });
    given.add(key);
    const inp = g.inputs.find((i) => i.name === key);
    if (!inp) {
      throw new S2VError('E107', `the graph has no input "${key}"`, {
        where: '--input',
        hint: g.inputs.length ? `inputs: ${g.inputs.map((i) => i.name).join(', ')}` : 'this graph declares no inputs; use --set NODE.PARAM=VALUE',
      });
    }
    byId.get(inp.bind.node)!.params[inp.bind.param] = value;
    userSet.add(`${inp.bind.node}.${inp.bind.param}`);
  }
  for (const { key, value } of opts.sets) {
    const dot = key.indexOf('.');
    const node = byId.get(key.slice(0, dot));
    if (dot <= 0 || !node) throw new S2VError('E107', `no node "${key.slice(0, Math.max(dot, 0)) || key}"`, { where: `--set ${key}` });
    node.params[key.slice(dot + 1)] = value;
    userSet.add(key);
  }
  if (opts.output) {
    const outs = g.nodes.filter((n) => n.type === 'output');
    if (outs.length !== 1) {
      throw new S2VError('E100', `-o needs exactly one Output node (this graph has ${outs.length})`, { where: '-o', hint: 'use --set NODE.path=FILE' });
    }
    outs[0]!.params.path = path.resolve(opts.cwd, opts.output);
    userSet.add(`${outs[0]!.id}.path`);
  }

  for (const n of g.nodes) {
    const def = catalog.require(n.type, `node "${n.id}"`);
    for (const param of def.fileParams ?? []) {
      const v = n.params[param];
      if (typeof v !== 'string' || v === '') continue;
      const fromUser = userSet.has(`${n.id}.${param}`);
      let abs: string;
      if (fromUser) abs = path.resolve(opts.cwd, v);
      else {
        if (path.isAbsolute(v)) {
          throw new S2VError('E108', `graph file points at an absolute path "${v}"`, {
            where: `node "${n.id}".${param}`,
            hint: 'graphs may only reference files inside their own folder; pass your file with --input',
          });
        }
        abs = path.resolve(opts.graphDir, v);
        const real = await fs.realpath(abs).catch(() => abs);
        const realDir = await fs.realpath(opts.graphDir).catch(() => opts.graphDir);
        if (!isInside(real, realDir)) {
          throw new S2VError('E108', `graph file points outside its folder ("${v}")`, {
            where: `node "${n.id}".${param}`,
            hint: 'pass your file with --input',
          });
        }
      }
      try {
        await fs.access(abs, fs.constants.R_OK);
      } catch {
        const input = g.inputs.find((i) => i.bind.node === n.id && i.bind.param === param);
        throw new S2VError('E108', 'file not found or unreadable', {
          where: abs,
          hint: input ? `for input "${input.name}" of node "${n.id}"` : `for node "${n.id}".${param}`,
        });
      }
      n.params[param] = abs;
    }
  }
  validateGraph(g, catalog);
  return g;
}
