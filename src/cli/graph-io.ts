/**
 * Loading a graph file for a run: parse, validate, apply `--input`/`--set`, and resolve
 * file params. Graph files are data: paths written inside a graph must be relative and stay
 * inside the graph's folder (a shared graph cannot read /etc/passwd); paths the user types on
 * the command line are theirs to choose and resolve against the working directory.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Catalog, FilePolicy, GraphDoc, ParamChoice } from '../engine/index.js';
import { S2VError, atNode, isWithin, parseGraphText, prepareGraph, realOrResolved } from '../engine/index.js';

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
  };
}

/** `--input NAME=…`, `--set NODE.PARAM=…` and `-o FILE` → the params they set, with one-line errors naming the flag. */
function choicesOf(g: GraphDoc, opts: PrepareOptions): ParamChoice[] {
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
    choices.push({ node: node.id, param: key.slice(dot + 1), value });
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

/**
 * Returns a new graph with inputs bound, params set and every file param made absolute.
 * Throws one-line errors naming the input, node or file.
 */
export function prepareCliGraph(graph: GraphDoc, catalog: Catalog, opts: PrepareOptions): Promise<GraphDoc> {
  return prepareGraph(graph, catalog, cliFilePolicy(opts.graphDir, opts.cwd), (g) => choicesOf(g, opts));
}
