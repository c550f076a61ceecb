/**
 * The graph document and everything that judges it, message by message: what the user
 * reads when a graph is wrong (schema, ids, edges, inputs, params, migrations), how errors
 * print, what the catalog tells the studio and the CLI, and file fingerprints.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  S2VError, ancestorsOf, canonicalJson, cancelledError, createCatalog, createFileService, defineNode, edgeName, errorLine,
  fileSource, isS2VError, migrateGraph, nodeTypeInfo, parseGraph, parseGraphText, resolveParams, sha256, validateGraph, type NodeContext,
} from './index.js';
import { errOf } from '../../test/support/s2v-error.js';

const text = defineNode({
  type: 'd-text', version: 2, title: 'Text', category: 'source', description: 'A text',
  inputs: {}, outputs: { text: { type: 'text' } },
  params: z.object({ value: z.string().default('hi').describe('The words'), size: z.number().min(1).default(3) }),
  widgets: { value: { kind: 'text', label: 'Words' } },
  cache: 'pure',
  migrate: (p, from) => (from === 1 ? { value: String(p.old ?? 'migrated') } : p),
  evaluate: async ({ params }) => ({ text: params.value }),
});
const sink = defineNode({
  type: 'd-sink', version: 1, title: 'Sink', category: 'output', description: 'Takes text',
  inputs: { a: { type: 'text' }, b: { type: 'text', optional: true } }, outputs: { n: { type: 'number' } },
  params: z.object({}), cache: 'pure', fileParams: ['nothing'],
  evaluate: async () => ({ n: 1 }),
});
const needsParam = defineNode({
  type: 'd-needs', version: 1, title: 'Needs', category: 'utility', description: 'required param',
  inputs: {}, outputs: {}, params: z.object({ must: z.string() }), cache: 'never',
  evaluate: async () => ({}),
});
const catalog = createCatalog([text, sink, needsParam]);

const doc = (over: Record<string, unknown> = {}) => ({
  schemaVersion: 1,
  nodes: [{ id: 't', type: 'd-text', version: 2, params: {} }, { id: 's', type: 'd-sink', params: {} }],
  edges: [{ from: { node: 't', port: 'text' }, to: { node: 's', port: 'a' } }],
  ...over,
});

describe('parseGraph / parseGraphText: structure', () => {
  it('fills defaults everywhere and keeps what is given', () => {
    const g = parseGraph({ schemaVersion: 1, nodes: [{ id: 'a.b-c_1', type: 'x' }] });
    expect(g).toEqual({
      schemaVersion: 1,
      metadata: { title: 'Untitled', description: '', tags: [] },
      inputs: [],
      nodes: [{ id: 'a.b-c_1', type: 'x', version: 1, params: {}, position: { x: 0, y: 0 } }],
      edges: [],
    });
    const full = parseGraph({ schemaVersion: 1, metadata: { title: 'T' }, nodes: [], inputs: [{ name: 'audio_1', type: 'audio', bind: { node: 'n', param: 'path' } }] });
    expect(full.metadata).toEqual({ title: 'T', description: '', tags: [] });
    expect(full.inputs[0]).toEqual({ name: 'audio_1', type: 'audio', description: '', bind: { node: 'n', param: 'path' } });
  });

  it.each([
    [{ nodes: [{ id: 'bad id', type: 'x' }] }, 'node "bad id".id: ids use letters, digits, _ . - (max 64)'],
    [{ nodes: [{ id: `a${'b'.repeat(64)}`, type: 'x' }] }, /^node "ab+"\.id: ids use letters/],
    [{ nodes: [{ id: '-a', type: 'x' }] }, 'node "-a".id: ids use letters, digits, _ . - (max 64)'],
    [{ nodes: [{ id: 'a', type: '' }] }, /^node "a"\.type: /],
    [{ nodes: [{ id: 'a', type: 'x', version: 0 }] }, /^node "a"\.version: /],
    [{ nodes: [{ id: 'a', type: 'x', version: 1.5 }] }, /^node "a"\.version: /],
    [{ nodes: [{ type: 'x' }] }, /^node #0\.id: /],
    [{ nodes: [], edges: [{ from: { node: 'a', port: '' }, to: { node: 'b', port: 'p' } }] }, /^edge #0\.from\.port: /],
    [{ nodes: [], edges: [{ from: { node: 'a b', port: 'p' }, to: { node: 'b', port: 'p' } }] }, /^edge #0\.from\.node: ids use/],
    [{ nodes: [], inputs: [{ name: '1abc', type: 'audio', bind: { node: 'a', param: 'p' } }] }, 'input "1abc".name: input names are identifiers'],
    [{ nodes: [], inputs: [{ type: 'audio', bind: { node: 'a', param: 'p' } }] }, /^input #0\.name: /],
    [{ nodes: [], inputs: [{ name: 'x', type: 'audio', bind: { node: 'a', param: '' } }] }, /^input "x"\.bind\.param: /],
    [{ nodes: [], metadata: { tags: 'music' } }, /^metadata\.tags: /],
    [{ nodes: 'none' }, /^nodes: /],
  ])('names where a document is wrong: %j', (over, message) => {
    const e = errOf(() => parseGraph({ schemaVersion: 1, ...over }, 'g.json'));
    expect(e.code).toBe('E102');
    expect(e.where).toBe('g.json');
    expect(e.hint).toBe('see README "Graph format"');
    if (typeof message === 'string') expect(e.message).toBe(message);
    else expect(e.message).toMatch(message);
  });

  it('a document that is not an object says so once, with the source as where', () => {
    for (const raw of [null, 42, 'text', [1]]) {
      const e = errOf(() => parseGraph(raw));
      expect(e.message).toMatch(/^not a graph document \(/);
      expect(e.where).toBe('graph');
    }
  });

  it('migrates version 0 (no schemaVersion) and refuses a newer version with a hint; leaves non-objects alone', () => {
    expect(migrateGraph({ nodes: [] })).toEqual({ nodes: [], schemaVersion: 1 });
    expect(migrateGraph({ schemaVersion: 'one', nodes: [] })).toEqual({ schemaVersion: 1, nodes: [] });
    expect(migrateGraph([1, 2])).toEqual([1, 2]);
    expect(migrateGraph(null)).toBe(null);
    const e = errOf(() => migrateGraph({ schemaVersion: 2 }));
    expect(e.oneLine()).toBe('E102 schemaVersion 2 is newer than this S2V Studio understands (1) (hint: update S2V Studio)');
    expect(parseGraph({ schemaVersion: 1, nodes: [] }).schemaVersion).toBe(1);
  });

  it('parseGraphText: bad JSON is E101 with the parser’s first line; good JSON parses with the source passed on', () => {
    const e = errOf(() => parseGraphText('{"a":', 'x.json'));
    expect(e.code).toBe('E101');
    expect(e.where).toBe('x.json');
    expect(e.message).toMatch(/^not valid JSON \(.+\)$/);
    expect(e.message).not.toContain('\n');
    expect(errOf(() => parseGraphText('{}', 'y.json')).where).toBe('y.json');
    expect(parseGraphText(JSON.stringify(doc())).nodes).toHaveLength(2);
    expect(errOf(() => parseGraphText('nope')).where).toBe('graph');
  });
});

describe('validateGraph: semantics, each error naming its node or edge', () => {
  it('accepts a correct graph', () => {
    expect(() => validateGraph(parseGraph(doc()), catalog)).not.toThrow();
  });

  it.each([
    ['duplicate ids', doc({ nodes: [...doc().nodes, { id: 't', type: 'd-text', version: 2 }] }), 'E102 node "t": duplicate node id "t"'],
    ['unknown type', doc({ nodes: [{ id: 't', type: 'nope' }] }), /^E103 node "t": unknown node type "nope" \(hint: known types: d-text, d-sink, d-needs\)$/],
    ['missing source node', doc({ edges: [{ from: { node: 'zz', port: 'text' }, to: { node: 's', port: 'a' } }] }), 'E104 edge #0 (zz.text → s.a): source node "zz" does not exist'],
    ['missing target node', doc({ edges: [{ id: 'e1', from: { node: 't', port: 'text' }, to: { node: 'zz', port: 'a' } }] }), 'E104 edge "e1" (t.text → zz.a): target node "zz" does not exist'],
    ['no such output', doc({ edges: [{ from: { node: 't', port: 'nope' }, to: { node: 's', port: 'a' } }] }), 'E104 edge #0 (t.nope → s.a): d-text has no output "nope"'],
    ['no such input', doc({ edges: [{ from: { node: 't', port: 'text' }, to: { node: 's', port: 'zz' } }] }), 'E104 edge #0 (t.text → s.zz): d-sink has no input "zz"'],
    ['two edges into one input', doc({ edges: [...doc().edges, { from: { node: 't', port: 'text' }, to: { node: 's', port: 'a' } }] }), 'E104 edge #1 (t.text → s.a): input s.a has more than one edge'],
    ['required input unconnected', doc({ edges: [] }), 'E104 node "s": required input "a" (text) is not connected'],
    ['binding to a missing node', doc({ inputs: [{ name: 'w', type: 'text', bind: { node: 'ghost', param: 'value' } }] }), 'E107 input "w": binds to missing node "ghost"'],
    ['binding to a missing param', doc({ inputs: [{ name: 'w', type: 'text', bind: { node: 't', param: 'nope' } }] }), 'E107 input "w": node "t" (d-text) has no param "nope"'],
    ['a bad param value', doc({ nodes: [{ id: 't', type: 'd-text', version: 2, params: { size: 0 } }, { id: 's', type: 'd-sink' }] }), /^E106 node "t": param size: /],
    ['a missing required param', doc({ nodes: [...doc().nodes, { id: 'n', type: 'd-needs' }] }), /^E106 node "n": param must: /],
    ['a node newer than this build', doc({ nodes: [{ id: 't', type: 'd-text', version: 3 }, { id: 's', type: 'd-sink' }] }), 'E103 node "t": node type d-text v3 is newer than this build (v2)'],
  ])('%s', (_name, d, expected) => {
    const line = errOf(() => validateGraph(parseGraph(d), catalog)).oneLine();
    if (typeof expected === 'string') expect(line).toBe(expected);
    else expect(line).toMatch(expected);
  });

  // The studio marks `node` on the canvas: an edge error names the end at fault, or the end that exists.
  it.each([
    ['missing source node: the target', doc({ edges: [{ from: { node: 'zz', port: 'text' }, to: { node: 's', port: 'a' } }] }), 's'],
    ['missing target node: the source', doc({ edges: [{ from: { node: 't', port: 'text' }, to: { node: 'zz', port: 'a' } }] }), 't'],
    ['no such output: the source', doc({ edges: [{ from: { node: 't', port: 'nope' }, to: { node: 's', port: 'a' } }] }), 't'],
    ['no such input: the target', doc({ edges: [{ from: { node: 't', port: 'text' }, to: { node: 's', port: 'zz' } }] }), 's'],
    ['fed twice: the target', doc({ edges: [...doc().edges, { from: { node: 't', port: 'text' }, to: { node: 's', port: 'a' } }] }), 's'],
  ])('an edge error carries the node to mark — %s', (_name, d, node) => {
    expect(errOf(() => validateGraph(parseGraph(d), catalog)).node).toBe(node);
  });

  it('a bound param that exists is fine, and an edge type mismatch says which types', () => {
    expect(() => validateGraph(parseGraph(doc({ inputs: [{ name: 'w', type: 'text', bind: { node: 't', param: 'value' } }] })), catalog)).not.toThrow();
    const num = defineNode({
      type: 'd-num-in', version: 1, title: 'Num', category: 'output', description: 'Takes a number',
      inputs: { a: { type: 'number' } }, outputs: {}, params: z.object({}), cache: 'pure', evaluate: async () => ({}),
    });
    const cat = createCatalog([text, num]);
    const g = parseGraph({ schemaVersion: 1, nodes: [{ id: 't', type: 'd-text', version: 2 }, { id: 'n', type: 'd-num-in' }], edges: [{ from: { node: 't', port: 'text' }, to: { node: 'n', port: 'a' } }] });
    expect(errOf(() => validateGraph(g, cat)).oneLine()).toBe('E104 edge #0 (t.text → n.a): port types differ: text cannot feed number');
    expect(errOf(() => validateGraph(g, cat)).node).toBe('n');
  });

  it('resolveParams applies defaults and runs a node’s migration for older saved versions only', () => {
    const g = parseGraph({ schemaVersion: 1, nodes: [{ id: 'old', type: 'd-text', version: 1, params: { old: 'from v1' } }, { id: 'new', type: 'd-text', version: 2, params: { old: 'ignored' } }] });
    const p = resolveParams(g, catalog);
    expect(p.get('old')).toEqual({ value: 'from v1', size: 3 });
    expect(p.get('new')).toEqual({ value: 'hi', size: 3 });
  });

  it('edgeName names an edge by id or index with both ends', () => {
    expect(edgeName({ id: 'x', from: { node: 'a', port: 'p' }, to: { node: 'b', port: 'q' } }, 3)).toBe('edge "x" (a.p → b.q)');
    expect(edgeName({ from: { node: 'a', port: 'p' }, to: { node: 'b', port: 'q' } }, 3)).toBe('edge #3 (a.p → b.q)');
  });

  it('ancestorsOf: a node and everything upstream of it, nothing downstream or beside', () => {
    const g = parseGraph({
      schemaVersion: 1,
      nodes: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, type: 'x' })),
      edges: [['a', 'b'], ['b', 'c'], ['d', 'c'], ['c', 'e'], ['a', 'c']].map(([f, t]) => ({ from: { node: f!, port: 'o' }, to: { node: t!, port: `i${f}` } })),
    });
    expect([...ancestorsOf(g, 'c')].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect([...ancestorsOf(g, 'a')]).toEqual(['a']);
  });
});

describe('errors', () => {
  it('oneLine: code, where, message, hint — on one line whatever the message holds', () => {
    expect(new S2VError('E108', 'file not found', { where: '/x.wav', hint: 'check the path' }).oneLine()).toBe('E108 /x.wav: file not found (hint: check the path)');
    expect(new S2VError('E100', 'bad usage').oneLine()).toBe('E100 bad usage');
    expect(new S2VError('E110', 'line one\n   line two \n', { where: 'f' }).oneLine()).toBe('E110 f: line one line two ');
  });
  it('exit code 2 unless said otherwise; cause is kept; name and type guard', () => {
    const cause = new Error('root');
    const e = new S2VError('E120', 'failed', { exitCode: 1, cause });
    expect(e.exitCode).toBe(1);
    expect(e.cause).toBe(cause);
    expect(new S2VError('E106', 'x').exitCode).toBe(2);
    expect('cause' in new S2VError('E106', 'x')).toBe(false);
    expect(e.name).toBe('S2VError');
    expect(e).toBeInstanceOf(Error);
    expect(isS2VError(e)).toBe(true);
    expect(isS2VError(new Error('x'))).toBe(false);
  });
  it('errorLine: an S2VError’s one line, an Error’s first line, anything else as text', () => {
    expect(errorLine(new S2VError('E105', 'cycle', { where: 'node "a"' }))).toBe('E105 node "a": cycle');
    expect(errorLine(new Error('first\nsecond'))).toBe('first');
    expect(errorLine('a string')).toBe('a string');
    expect(errorLine(42)).toBe('42');
  });
  it('cancelledError is E121 "cancelled", exit code 1, where given', () => {
    const e = cancelledError('node "n"');
    expect([e.code, e.message, e.where, e.exitCode]).toEqual(['E121', 'cancelled', 'node "n"', 1]);
  });
});

describe('catalog', () => {
  it('refuses two node types with the same id', () => {
    expect(() => createCatalog([text, text])).toThrow('duplicate node type d-text');
  });
  it('get / require: a known type, or E103 naming where and listing the known types', () => {
    expect(catalog.get('d-sink')).toBe(sink);
    expect(catalog.get('nope')).toBeUndefined();
    expect(catalog.require('d-text')).toBe(text);
    const e = errOf(() => catalog.require('nope', 'node "x"'));
    expect(e.oneLine()).toBe('E103 node "x": unknown node type "nope" (hint: known types: d-text, d-sink, d-needs)');
    expect(catalog.defs).toEqual([text, sink, needsParam]);
  });
  it('info: what the studio and `s2v nodes` show — params with defaults, widgets and descriptions; file params; cache policy', () => {
    const [t, s, n] = catalog.info();
    expect(t).toEqual({
      type: 'd-text', version: 2, title: 'Text', category: 'source', description: 'A text',
      inputs: {}, outputs: { text: { type: 'text' } },
      params: {
        value: { default: 'hi', widget: { kind: 'text', label: 'Words' }, description: 'The words' },
        size: { default: 3, widget: undefined, description: undefined },
      },
      fileParams: [], cache: 'pure',
    });
    expect(s!.fileParams).toEqual(['nothing']);
    // A schema without full defaults still lists its params, with no default values.
    expect(n!.params).toEqual({ must: { default: undefined, widget: undefined, description: undefined } });
    expect(n!.cache).toBe('never');
    expect(nodeTypeInfo(text)).toEqual(t);
  });
});

describe('file fingerprints', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-files-'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('hashFile is the sha256 of the bytes; a missing file, a folder and an unreadable file are E108 naming the path', async () => {
    const files = createFileService();
    const f = path.join(dir, 'a.bin');
    const bytes = Buffer.from('some bytes to hash');
    await fs.writeFile(f, bytes);
    expect(await files.hashFile(f)).toBe(createHash('sha256').update(bytes).digest('hex'));
    await expect(files.hashFile(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'E108', message: 'file not found', where: path.join(dir, 'nope'), hint: 'check the path' });
    await expect(files.hashFile(dir)).rejects.toMatchObject({ code: 'E108', message: 'not a regular file', where: dir });
    if (process.getuid?.() !== 0) {
      const locked = path.join(dir, 'locked.bin');
      await fs.writeFile(locked, 'x');
      await fs.chmod(locked, 0o000);
      await expect(files.hashFile(locked)).rejects.toMatchObject({ code: 'E108', message: 'cannot read file (EACCES)', where: locked });
    }
  });

  it('is memoised by path, size and mtime: an unchanged file is not read again', async () => {
    const files = createFileService();
    const f = path.join(dir, 'm.bin');
    await fs.writeFile(f, 'AAAA');
    const t = new Date('2020-01-01T00:00:00Z');
    await fs.utimes(f, t, t);
    const first = await files.hashFile(f);
    // Same size and exactly the same mtime: the memo answers (this is what makes it cheap).
    await fs.writeFile(f, 'BBBB');
    await fs.utimes(f, t, t);
    expect(await files.hashFile(f)).toBe(first);
    // Any other mtime: read again.
    await fs.utimes(f, new Date(t.getTime() + 1), new Date(t.getTime() + 1));
    expect(await files.hashFile(f)).toBe(sha256('BBBB'));
  });

  it('fileSource: a source with one output of the file’s kind, a path param shown as a file picker, keyed by the file’s bytes, "none" without a file', async () => {
    const s = fileSource('audio', 'Sound file');
    expect(s.category).toBe('source');
    expect(s.inputs).toEqual({});
    expect(s.outputs).toEqual({ audio: { type: 'audio' } });
    expect(s.params.parse({})).toEqual({ path: '' });
    expect(s.params.shape.path.description).toBe('Sound file');
    expect(s.widgets).toEqual({ path: { kind: 'file', accept: 'audio', label: 'Sound file' } });
    expect(s.fileParams).toEqual(['path']);
    expect(s.cache).toBe('fingerprint');
    const ctx = { services: { files: { hashFile: async (p: string) => `hash-of-${p}` } } } as unknown as NodeContext;
    expect(await s.fingerprint({ path: '' }, ctx)).toBe('none');
    expect(await s.fingerprint({ path: '/x.wav' }, ctx)).toBe('hash-of-/x.wav');
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth, drops undefined fields, writes undefined as null and non-finite numbers as strings', () => {
    expect(canonicalJson({ b: { d: 1, c: [undefined, 2] }, a: undefined, e: null })).toBe('{"b":{"c":[null,2],"d":1},"e":null}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson([Infinity, -Infinity, NaN, 1.5, 'x', true])).toBe('["Infinity","-Infinity","NaN",1.5,"x",true]');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
