import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { S2VError, createCatalog, defineNode, parseGraph } from '../engine/index.js';
import { parseAssignment, prepareCliGraph, readGraphFile } from './graph-io.js';
import { parseArgs } from './args.js';
import { openNamedPipe } from '../../test/support/processes.js';

const fileNode = defineNode({
  type: 'stub-file',
  version: 1,
  title: 'File',
  category: 'source',
  description: 'stub',
  inputs: {},
  outputs: { text: { type: 'text' } },
  params: z.object({ path: z.string().default(''), label: z.string().default('') }),
  fileParams: ['path'],
  cache: 'pure',
  evaluate: async ({ params }) => ({ text: params.path }),
});
const out = defineNode({
  type: 'output',
  version: 1,
  title: 'Out',
  category: 'output',
  description: 'stub',
  inputs: { text: { type: 'text' } },
  outputs: {},
  params: z.object({ path: z.string().default('x.mp4') }),
  cache: 'pure',
  evaluate: async () => ({}),
});
const catalog = createCatalog([fileNode, out]);

let root: string;
let graphDir: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-gio-'));
  graphDir = path.join(root, 'graphs');
  await fs.mkdir(path.join(graphDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(graphDir, 'assets', 'a.wav'), 'x');
  await fs.writeFile(path.join(root, 'secret.txt'), 'x');
  await fs.symlink(path.join(root, 'secret.txt'), path.join(graphDir, 'assets', 'link.wav'));
});
afterAll(() => fs.rm(root, { recursive: true, force: true }));

const doc = (p: string) =>
  parseGraph({
    schemaVersion: 1,
    inputs: [{ name: 'audio', type: 'audio', default: p, bind: { node: 'f', param: 'path' } }],
    nodes: [
      { id: 'f', type: 'stub-file' },
      { id: 'o', type: 'output' },
    ],
    edges: [{ from: { node: 'f', port: 'text' }, to: { node: 'o', port: 'text' } }],
  });

async function err(p: Promise<unknown>): Promise<S2VError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof S2VError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('prepareGraph', () => {
  const opts = () => ({ graphDir, cwd: root, inputs: [], sets: [] });

  it('resolves graph-relative defaults inside the graph folder', async () => {
    const g = await prepareCliGraph(doc('assets/a.wav'), catalog, opts());
    expect(g.nodes[0]!.params.path).toBe(path.join(graphDir, 'assets/a.wav'));
  });

  it('refuses graph paths that escape the graph folder, absolute or via symlink', async () => {
    expect((await err(prepareCliGraph(doc('../secret.txt'), catalog, opts()))).oneLine()).toMatch(/^E108 node "f"\.path: graph file points outside its folder/);
    expect((await err(prepareCliGraph(doc(path.join(root, 'secret.txt')), catalog, opts()))).message).toMatch(/absolute path/);
    expect((await err(prepareCliGraph(doc('assets/link.wav'), catalog, opts()))).message).toMatch(/outside its folder/);
  });

  it('lets the user pick any file on the command line, relative to cwd', async () => {
    const g = await prepareCliGraph(doc('assets/a.wav'), catalog, { ...opts(), inputs: [{ key: 'audio', value: 'secret.txt' }] });
    expect(g.nodes[0]!.params.path).toBe(path.join(root, 'secret.txt'));
  });

  it('names the missing file and the input it came from', async () => {
    const e = await err(prepareCliGraph(doc('assets/a.wav'), catalog, { ...opts(), inputs: [{ key: 'audio', value: 'nope.wav' }] }));
    expect(e.code).toBe('E108');
    expect(e.oneLine()).toContain(path.join(root, 'nope.wav'));
    expect(e.oneLine()).toContain('input "audio"');
  });

  it('rejects unknown inputs and --set targets', async () => {
    expect((await err(prepareCliGraph(doc('assets/a.wav'), catalog, { ...opts(), inputs: [{ key: 'img', value: 'x' }] }))).oneLine()).toMatch(
      /E107 --input: the graph has no input "img" \(hint: inputs: audio\)/,
    );
    expect((await err(prepareCliGraph(doc('assets/a.wav'), catalog, { ...opts(), sets: [{ key: 'zz.path', value: 'x' }] }))).code).toBe('E107');
  });

  it('applies -o to the single output node', async () => {
    const g = await prepareCliGraph(doc('assets/a.wav'), catalog, { ...opts(), output: 'o/x.mp4' });
    expect(g.nodes[1]!.params.path).toBe(path.join(root, 'o/x.mp4'));
  });

  it('refuses a --set of a param the node does not declare (the schema would drop it and the run go ahead)', async () => {
    const e = await err(prepareCliGraph(doc('assets/a.wav'), catalog, { ...opts(), sets: [{ key: 'f.lable', value: 'x' }] }));
    expect(e.oneLine()).toBe('E107 --set f.lable: node "f" (stub-file) has no param "lable" (hint: params: path, label)');
    const g = await prepareCliGraph(doc('assets/a.wav'), catalog, { ...opts(), sets: [{ key: 'f.label', value: 'x' }] });
    expect(g.nodes[0]!.params.label).toBe('x');
  });

  it('an Output path written in the graph stays inside the working folder; one the user chose may go anywhere', async () => {
    const withOut = (p: string) => {
      const g = doc('assets/a.wav');
      g.nodes[1]!.params.path = p;
      return g;
    };
    expect((await err(prepareCliGraph(withOut('../../home/me/wedding.mp4'), catalog, opts()))).oneLine()).toMatch(
      /^E109 node "o"\.path: graph writes outside the working folder \("\.\.\/\.\.\/home\/me\/wedding\.mp4"\) \(hint: .*-o\)$/,
    );
    expect((await err(prepareCliGraph(withOut('/home/me/wedding.mp4'), catalog, opts()))).oneLine()).toMatch(/^E109 node "o"\.path: graph writes to an absolute path "\/home\/me\/wedding\.mp4"/);
    // Made absolute against the working folder, the schema default too (the path keys Output's cache entry).
    expect((await prepareCliGraph(withOut('renders/take1.mp4'), catalog, opts())).nodes[1]!.params.path).toBe(path.join(root, 'renders/take1.mp4'));
    expect((await prepareCliGraph(doc('assets/a.wav'), catalog, opts())).nodes[1]!.params.path).toBe(path.join(root, 'x.mp4'));
    expect((await prepareCliGraph(doc('assets/a.wav'), catalog, { ...opts(), cwd: graphDir })).nodes[1]!.params.path).toBe(path.join(graphDir, 'x.mp4'));
    expect((await prepareCliGraph(withOut('../x.mp4'), catalog, { ...opts(), sets: [{ key: 'o.path', value: 'rel/z.mp4' }] })).nodes[1]!.params.path).toBe(path.join(root, 'rel/z.mp4'));
    expect((await prepareCliGraph(withOut('../x.mp4'), catalog, { ...opts(), output: '../y.mp4' })).nodes[1]!.params.path).toBe(path.resolve(root, '../y.mp4'));
    expect((await prepareCliGraph(withOut('../x.mp4'), catalog, { ...opts(), sets: [{ key: 'o.path', value: '/tmp/z.mp4' }] })).nodes[1]!.params.path).toBe('/tmp/z.mp4');
  });

  it.skipIf(process.platform === 'win32')('refuses a graph "file" that is a named pipe at once instead of waiting for a writer', async () => {
    const pipe = path.join(root, 'pipe.json');
    const { error, waitedForWriter } = await openNamedPipe(pipe, readGraphFile);
    expect(waitedForWriter, 'waited for a writer').toBe(false);
    const e = error as S2VError;
    expect(e.oneLine()).toBe(`E101 ${pipe}: graph file is not a regular file`);
    expect((await err(readGraphFile(graphDir))).oneLine()).toBe(`E101 ${graphDir}: graph file is not a regular file`);
  });

  it('reports a missing graph file with E101', async () => {
    expect((await err(readGraphFile(path.join(root, 'nope.json')))).oneLine()).toMatch(/^E101 .*nope\.json: graph file not found/);
  });
});

describe('argument parsing', () => {
  it('collects repeated flags, aliases and inline values', () => {
    const p = parseArgs(['g.json', '--input', 'a=1', '--input=b=2', '-o', 'x.mp4', '--json'], {
      input: { value: true, repeat: true },
      output: { value: true, alias: 'o' },
      json: {},
    });
    expect(p.positional).toEqual(['g.json']);
    expect(p.flags.get('input')).toEqual(['a=1', 'b=2']);
    expect(p.flags.get('output')).toEqual(['x.mp4']);
    expect(p.flags.get('json')).toBe(true);
  });
  it('rejects unknown options and missing values', () => {
    expect(() => parseArgs(['--nope'], {})).toThrow(/unknown option --nope/);
    expect(() => parseArgs(['--input'], { input: { value: true } })).toThrow(/needs a value/);
  });
  it('parses NAME=VALUE with JSON values where they parse', () => {
    expect(parseAssignment('--set', 'm.fps=30')).toEqual({ key: 'm.fps', value: 30 });
    expect(parseAssignment('--set', 'p.text=hello=world')).toEqual({ key: 'p.text', value: 'hello=world' });
    expect(parseAssignment('--set', 'm.flag=true')).toEqual({ key: 'm.flag', value: true });
    expect(() => parseAssignment('--set', 'novalue')).toThrow(/NAME=VALUE/);
  });
});
