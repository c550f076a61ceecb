/**
 * ctx.lineage(): a node sees the part of the graph its result comes from — itself and its
 * ancestors only, params resolved with defaults, the fingerprints its ancestors reported
 * (also when they came from the cache) and which params hold files. Provenance is built on it.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createCatalog, defineNode, runGraph, DiskCache, type NodeLineage } from './index.js';
import type { GraphDoc } from './graph.js';
import { fakeServices } from '../../test/support/fake-services.js';

const seen: NodeLineage[] = [];
const fileSrc = defineNode({
  type: 'lin-file', version: 1, title: 'File', category: 'source', description: '', inputs: {},
  outputs: { value: { type: 'text' } },
  params: z.object({ path: z.string().default('') }),
  fileParams: ['path'],
  cache: 'fingerprint',
  async fingerprint(p) {
    return `bytes-of:${p.path}`;
  },
  async evaluate({ params }) {
    return { value: params.path };
  },
});
const sink = defineNode({
  type: 'lin-sink', version: 3, title: 'Sink', category: 'output', description: '',
  inputs: { a: { type: 'text' } },
  outputs: { value: { type: 'text' } },
  params: z.object({ seed: z.number().default(5), label: z.string().default('x') }),
  cache: 'pure',
  async evaluate({ inputs, ctx }) {
    seen.push(ctx.lineage!());
    return { value: inputs.a };
  },
});
const catalog = createCatalog([fileSrc, sink]);
const graph: GraphDoc = {
  schemaVersion: 1,
  metadata: { title: 'L', description: '', tags: [] },
  inputs: [
    { name: 'file', type: 'path', description: '', default: 'in.wav', bind: { node: 'src', param: 'path' } },
    { name: 'other', type: 'path', description: '', bind: { node: 'unrelated', param: 'path' } },
  ],
  nodes: [
    { id: 'src', type: 'lin-file', version: 1, params: { path: '/abs/in.wav' }, position: { x: 0, y: 0 } },
    { id: 'unrelated', type: 'lin-file', version: 1, params: { path: '/abs/other.wav' }, position: { x: 0, y: 0 } },
    { id: 'out', type: 'lin-sink', version: 1, params: { label: 'hi' }, position: { x: 5, y: 5 } },
  ],
  edges: [{ from: { node: 'src', port: 'value' }, to: { node: 'out', port: 'a' } }],
};

describe('ctx.lineage', () => {
  it('holds only the node and its ancestors, resolved params, fingerprints and file params', async () => {
    seen.length = 0;
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-lineage-'));
    const cache = new DiskCache(dir);
    const r = await runGraph(graph, { catalog, services: fakeServices(), cache });
    expect(r.ok).toBe(true);
    const l = seen[0]!;
    expect(l.graph.nodes.map((n) => n.id)).toEqual(['src', 'out']);
    expect(l.graph.nodes[1]).toMatchObject({ id: 'out', version: 3, params: { seed: 5, label: 'hi' } });
    expect(l.graph.edges).toEqual(graph.edges);
    expect(l.graph.inputs.map((i) => i.name)).toEqual(['file']);
    expect(l.fingerprints).toEqual({ src: 'bytes-of:/abs/in.wav' });
    expect(l.fileParams).toEqual({ src: ['path'], out: [] });
    // Second run: the source comes from the cache, the sink runs again; the fingerprint is still there.
    const changed = structuredClone(graph);
    changed.nodes[2]!.params.label = 'changed';
    const r2 = await runGraph(changed, { catalog, services: fakeServices(), cache });
    expect(r2.cached.sort()).toEqual(['src', 'unrelated']);
    expect(seen[1]!.fingerprints).toEqual({ src: 'bytes-of:/abs/in.wav' });
    expect(seen[1]!.graph.nodes[1]!.params.label).toBe('changed');
    await fs.rm(dir, { recursive: true, force: true });
  });
});
