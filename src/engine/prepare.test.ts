/**
 * The one prepareGraph every front door uses: it binds defaults and the user's choices, asks the
 * caller's file policy about each file param (saying whether the user chose it and which input it
 * came from), lets the policy place Output paths, and never touches the graph it was given.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { S2VError, atNode, createCatalog, defineNode, prepareGraph, type FilePlace, type FilePolicy } from './index.js';

const file = defineNode({
  type: 't-file', version: 1, title: 'File', category: 'source', description: 'stub', inputs: {},
  outputs: { text: { type: 'text' } },
  params: z.object({ path: z.string().default(''), other: z.string().default('') }),
  fileParams: ['path', 'other'],
  cache: 'pure',
  evaluate: async ({ params }) => ({ text: params.path }),
});
const out = defineNode({
  type: 't-out', version: 1, title: 'Out', category: 'output', description: 'stub',
  inputs: { text: { type: 'text' } }, outputs: {},
  params: z.object({ path: z.string().default('out/render.mp4') }),
  cache: 'pure',
  evaluate: async () => ({}),
});
const catalog = createCatalog([file, out]);

const raw = (outPath?: string) => ({
  schemaVersion: 1,
  inputs: [{ name: 'audio', type: 'audio', default: 'a.wav', bind: { node: 'f', param: 'path' } }],
  nodes: [
    { id: 'f', type: 't-file', params: { other: 'b.wav' } },
    { id: 'o', type: 't-out', params: outPath === undefined ? {} : { path: outPath } },
  ],
  edges: [{ from: { node: 'f', port: 'text' }, to: { node: 'o', port: 'text' } }],
});

/** A policy that records what it was asked and answers with a marked path. */
function recorder(withWrite = true) {
  const reads: FilePlace[] = [];
  const writes: Array<{ value: string | undefined; isDefault: boolean; chosen: boolean }> = [];
  const policy: FilePolicy = {
    read: async (v, at) => {
      reads.push(at);
      return `/read/${v}`;
    },
    ...(withWrite ? { write: async (value: string | undefined, at: FilePlace & { isDefault: boolean }) => {
      writes.push({ value, isDefault: at.isDefault, chosen: at.chosen });
      return `/write/${value}`;
    } } : {}),
  };
  return { policy, reads, writes };
}

describe('prepareGraph (engine)', () => {
  it('asks the policy about each file param with who chose it and the input it came from', async () => {
    const r = recorder();
    const g = await prepareGraph(raw(), catalog, r.policy, () => [{ node: 'f', param: 'path', value: 'mine.wav' }]);
    expect(r.reads).toEqual([
      { node: 'f', param: 'path', chosen: true, input: 'audio' },
      { node: 'f', param: 'other', chosen: false, input: undefined },
    ]);
    expect(g.nodes[0]!.params).toMatchObject({ path: '/read/mine.wav', other: '/read/b.wav' });
  });

  it('binds an input default when nothing is chosen, and leaves the given graph untouched', async () => {
    const r = recorder();
    const given = raw();
    const before = structuredClone(given);
    const g = await prepareGraph(given, catalog, r.policy);
    expect(g.nodes[0]!.params.path).toBe('/read/a.wav');
    expect(r.reads[0]).toMatchObject({ chosen: false, input: 'audio' });
    expect(given).toEqual(before);
  });

  it('hands Output paths to the policy: the schema default counts as nobody\'s choice, a graph path does not', async () => {
    const dflt = recorder();
    expect((await prepareGraph(raw(), catalog, dflt.policy)).nodes[1]!.params.path).toBe('/write/out/render.mp4');
    expect(dflt.writes).toEqual([{ value: 'out/render.mp4', isDefault: true, chosen: false }]);
    const own = recorder();
    await prepareGraph(raw('mine.mp4'), catalog, own.policy);
    expect(own.writes).toEqual([{ value: 'mine.mp4', isDefault: false, chosen: false }]);
  });

  it('leaves Output params alone when the policy does not place outputs', async () => {
    const g = await prepareGraph(raw(), catalog, recorder(false).policy);
    expect(g.nodes[1]!.params.path).toBeUndefined();
  });

  it('refuses with the policy\'s error (naming the node), and validates the graph before asking', async () => {
    const refusing: FilePolicy = { read: async (_v, at) => { throw new S2VError('E108', 'not here', atNode(at.node)); } };
    await expect(prepareGraph(raw(), catalog, refusing)).rejects.toMatchObject({ code: 'E108', node: 'f', where: 'node "f"' });
    const bad = { ...raw(), nodes: [...raw().nodes, { id: 'x', type: 'nope' }] };
    await expect(prepareGraph(bad, catalog, recorder().policy)).rejects.toMatchObject({ code: 'E103', node: 'x' });
  });

  it('skips empty file params (nothing chosen yet), and a chosen Output path is the user\'s, not the default', async () => {
    const r = recorder();
    const empty = { ...raw(), inputs: [], nodes: [{ id: 'f', type: 't-file', params: { path: '', other: 'b.wav' } }, raw().nodes[1]!] };
    const g = await prepareGraph(empty, catalog, r.policy, () => [{ node: 'o', param: 'path', value: 'out/render.mp4' }]);
    expect(r.reads).toEqual([{ node: 'f', param: 'other', chosen: false, input: undefined }]);
    expect(g.nodes[0]!.params.path).toBe('');
    expect(r.writes).toEqual([{ value: 'out/render.mp4', isDefault: false, chosen: true }]);
  });

  it('an Output path of "" counts as the default; a policy answering undefined keeps the graph\'s value', async () => {
    const r = recorder();
    await prepareGraph(raw(''), catalog, r.policy);
    expect(r.writes).toEqual([{ value: '', isDefault: true, chosen: false }]);
    const keep: FilePolicy = { read: async (v) => v, write: async () => undefined };
    expect((await prepareGraph(raw('mine.mp4'), catalog, keep)).nodes[1]!.params.path).toBe('mine.mp4');
  });

  it('a choice for a node that does not exist is an E107 naming node and param', async () => {
    await expect(prepareGraph(raw(), catalog, recorder().policy, () => [{ node: 'ghost', param: 'path', value: 'x' }])).rejects.toMatchObject({
      code: 'E107',
      message: 'no node "ghost"',
      where: 'ghost.path',
    });
  });
});
