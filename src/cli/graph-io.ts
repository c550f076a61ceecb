/**
 * Loading a graph file for a run: parse, validate, apply `--input`/`--set`, and resolve
 * file params. Graph files are data: paths written inside a graph must be relative and stay
 * inside the graph's folder (a shared graph cannot read /etc/passwd), and an Output path written
 * in a graph stays inside the working directory; paths the user types on the command line are
 * theirs to choose and resolve against the working directory.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Catalog, FilePolicy, GraphDoc, ParamChoice } from '../engine/index.js';
import { S2VError, atNode, isWithin, prepareGraph, realOrResolved } from '../engine/index.js';

export { readGraphFile } from '../engine/graph-file.js';

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

export interface PrepareOptions {
  graphDir: string;
  cwd: string;
  inputs: Array<{ key: string; value: unknown }>;
  sets: Array<{ key: string; value: unknown }>;
  output?: string;
}

/**
 * The CLI's file policy: paths the user typed are theirs and resolve against the working
 * directory; paths written in the graph must be relative and stay inside the graph's folder.
 * Either way the file must exist and be readable before anything runs.
 */
export function cliFilePolicy(graphDir: string, cwd: string): FilePolicy {
  return {
    async read(v, at) {
      let abs: string;
      if (at.chosen) abs = path.resolve(cwd, v);
      else {
        if (path.isAbsolute(v)) {
          throw new S2VError('E108', `graph file points at an absolute path "${v}"`, {
            ...atNode(at.node, `.${at.param}`),
            hint: 'graphs may only reference files inside their own folder; pass your file with --input',
          });
        }
        abs = path.resolve(graphDir, v);
        if (!isWithin(await realOrResolved(graphDir), await realOrResolved(abs))) {
          throw new S2VError('E108', `graph file points outside its folder ("${v}")`, { ...atNode(at.node, `.${at.param}`), hint: 'pass your file with --input' });
        }
      }
      try {
        await fs.access(abs, fs.constants.R_OK);
      } catch {
        throw new S2VError('E108', 'file not found or unreadable', {
          where: abs,
          node: at.node,
          hint: at.input ? `for input "${at.input}" of node "${at.node}"` : `for node "${at.node}".${at.param}`,
        });
      }
      return abs;
    },
    /**
     * An Output path written in the graph (or its default) stays inside the working folder, as the
     * studio holds its outputs to its own folder: a shared graph must not overwrite ~/anything.mp4.
     * A path the user chose (-o, --set) is theirs. Either way it is made absolute against the
     * working folder: the path is part of Output's cache key, so the same graph run from another
     * folder writes its own file there instead of being answered with the first folder's.
     */
    async write(v, at) {
      if (typeof v !== 'string' || v === '') return undefined;
      if (at.chosen) return path.resolve(cwd, v);
      const where = atNode(at.node, `.${at.param}`);
      const hint = 'a graph may only write inside the folder it runs in; choose the output file with -o';
      if (path.isAbsolute(v)) throw new S2VError('E109', `graph writes to an absolute path "${v}"`, { ...where, hint });
      const abs = path.resolve(cwd, v);
      if (!isWithin(cwd, abs)) throw new S2VError('E109', `graph writes outside the working folder ("${v}")`, { ...where, hint });
      return abs;
    },
  };
}

/** `--input NAME=…`, `--set NODE.PARAM=…` and `-o FILE` → the params they set, with one-line errors naming the flag. */
function choicesOf(g: GraphDoc, catalog: Catalog, opts: PrepareOptions): ParamChoice[] {
  const choices: ParamChoice[] = [];
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
    choices.push({ node: inp.bind.node, param: inp.bind.param, value });
  }
  for (const { key, value } of opts.sets) {
    const dot = key.indexOf('.');
    const node = g.nodes.find((n) => n.id === key.slice(0, dot));
    if (dot <= 0 || !node) throw new S2VError('E107', `no node "${key.slice(0, Math.max(dot, 0)) || key}"`, { where: `--set ${key}` });
    const param = key.slice(dot + 1);
    // A misspelt param would be dropped by the schema and the run would go ahead without it.
    const names = paramNames(catalog, node.type);
    if (names && !names.includes(param)) {
      throw new S2VError('E107', `node "${node.id}" (${node.type}) has no param "${param}"`, { where: `--set ${key}`, hint: `params: ${names.join(', ')}` });
    }
    choices.push({ node: node.id, param, value });
  }
  if (opts.output) {
    const outs = g.nodes.filter((n) => n.type === 'output');
    if (outs.length !== 1) {
      throw new S2VError('E100', `-o needs exactly one Output node (this graph has ${outs.length})`, { where: '-o', hint: 'use --set NODE.path=FILE' });
    }
    choices.push({ node: outs[0]!.id, param: 'path', value: path.resolve(opts.cwd, opts.output) });
  }
  return choices;
}

/** The params a node type declares, when its schema lists them (a zod object); undefined otherwise. */
function paramNames(catalog: Catalog, type: string): string[] | undefined {
  const shape = (catalog.get(type)?.params as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : undefined;
}

/**
 * Returns a new graph with inputs bound, params set and every file param made absolute.
 * Throws one-line errors naming the input, node or file.
 */
export function prepareCliGraph(graph: GraphDoc, catalog: Catalog, opts: PrepareOptions): Promise<GraphDoc> {
  return prepareGraph(graph, catalog, cliFilePolicy(opts.graphDir, opts.cwd), (g) => choicesOf(g, catalog, opts));
}
