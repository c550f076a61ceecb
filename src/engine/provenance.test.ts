/** Provenance codec: what a shared video carries (names not folders, no credentials) and how a tag is read back. */
import { describe, expect, it } from 'vitest';
import { S2VError } from './errors.js';
import { Rng } from './random.js';
import { parseGraph } from './graph.js';
import type { NodeContext } from './node.js';
import { buildProvenance, decodeProvenance, encodeProvenance, PROVENANCE_TAG, provenanceTags, scrubCredentials, type Provenance } from './provenance.js';

const graph = parseGraph({
  version: 1,
  nodes: [
    { id: 'img', type: 'image', params: { path: '/home/ann/photos/me.png' } },
    { id: 'sw', type: 'screenwriter', params: { llmUrl: 'https://ann:s3cret@llm.example.com/v1', seed: 42 } },
    { id: 'model', type: 'video-model', params: { model: 'pulse' } },
    { id: 'out', type: 'output', params: { path: '/home/ann/out/final.mp4' } },
  ],
  edges: [],
  inputs: [{ name: 'image', type: 'image', bind: { node: 'img', param: 'path' }, default: '/home/ann/photos/me.png' }],
});

function ctx(withLineage = true): NodeContext {
  return {
    nodeId: 'out',
    services: {
      files: { hashFile: async () => 'e3b0c442' },
      inference: { getModel: async (id: string) => ({ id, version: '3', kind: 'procedural' }) },
    },
    lineage: withLineage ? () => ({ graph, fingerprints: { img: 'fp1' }, fileParams: { img: ['path'] } }) : undefined,
  } as unknown as NodeContext;
}

describe('buildProvenance', () => {
  it('reduces file params and absolute paths to names, hashes the files, strips credentials, keeps seeds and models', async () => {
    const p = (await buildProvenance(ctx()))!;
    expect(p.format).toBe('s2v-provenance');
    expect(p.version).toBe(1);
    expect(p.app.name).toBe('S2V Studio');
    expect(p.app.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(p.target).toBe('out');
    expect(p.files).toEqual([{ node: 'img', param: 'path', name: 'me.png', sha256: 'e3b0c442' }]);
    const params = Object.fromEntries(p.graph.nodes.map((n) => [n.id, n.params]));
    expect(params.img!.path).toBe('me.png');
    expect(params.out!.path).toBe('out/final.mp4');
    expect(params.sw!.llmUrl).toBe('https://llm.example.com/v1');
    expect(p.seeds).toEqual({ sw: 42 });
    expect(p.models).toEqual([{ id: 'pulse', version: '3', kind: 'procedural' }]);
    expect(p.graph.inputs[0]!.default).toBe('me.png');
    expect(p.fingerprints).toEqual({ img: 'fp1' });
    expect(JSON.stringify(p)).not.toMatch(/s3cret|\/home\/ann/);
    expect(graph.nodes[0]!.params.path).toBe('/home/ann/photos/me.png'); // the live graph is not edited
  });

  it('gives nothing when the host gives no lineage (no tag is written)', async () => {
    expect(await buildProvenance(ctx(false))).toBeUndefined();
    expect(await provenanceTags(ctx(false))).toEqual({});
    expect(Object.keys(await provenanceTags(ctx()))).toEqual([PROVENANCE_TAG]);
  });
});

describe('scrubCredentials', () => {
  it('strips user:password@ from every URL, deep in arrays and objects, and leaves other values alone', () => {
    expect(scrubCredentials({ a: ['http://u:p@h/x', 7], b: { c: 'see ftp://me@host/f and https://h/y' }, d: null, e: true })).toEqual({ a: ['http://h/x', 7], b: { c: 'see ftp://host/f and https://h/y' }, d: null, e: true });
    expect(scrubCredentials('mail me at ann@example.com')).toBe('mail me at ann@example.com');
  });
});

describe('encode / decode', () => {
  // High-entropy content does not deflate: base64 of it is longer than the JSON itself.
  const rng = new Rng(5);
  const noise = Array.from({ length: 120 }, () => rng.int(0, 35).toString(36)).join('');
  const small = { format: 's2v-provenance', version: 1, app: { name: 'S2V Studio', version: '0.1.0' }, target: 'o', graph: { nodes: [] }, files: [], models: [], seeds: {}, fingerprints: { a: noise } } as unknown as Provenance;
  const big = { ...small, fingerprints: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`node-${i}`, 'a'.repeat(64)])) } as Provenance;

  it('writes plain JSON when that is shorter and deflate+base64 when that is, and both read back equal', () => {
    const plain = encodeProvenance(small);
    expect(plain.startsWith('S2V1 {')).toBe(true);
    const packed = encodeProvenance(big);
    expect(packed.startsWith('S2V1z ')).toBe(true);
    expect(packed.length).toBeLessThan(JSON.stringify(big).length);
    expect(decodeProvenance(plain, 'v.mp4')).toEqual(small);
    expect(decodeProvenance(packed, 'v.mp4')).toEqual(big);
  });

  it.each([
    [undefined, 'carries no S2V provenance'],
    ['made by a phone', 'carries no S2V provenance'],
    ['S2V1z !!!not-deflate', 'does not inflate'],
    ['S2V1 {nope', 'not JSON'],
    ['S2V1 {"format":"s2v-provenance","version":2,"target":"o","graph":{}}', 'not in a format this S2V Studio reads'],
    ['S2V1 {"format":"s2v-provenance","version":1,"graph":{}}', 'not in a format this S2V Studio reads'],
    ['S2V1 {"format":"other","version":1,"target":"o","graph":{}}', 'not in a format this S2V Studio reads'],
    ['S2V1 {"format":"s2v-provenance","version":1,"target":"o"}', 'not in a format this S2V Studio reads'],
  ])('refuses %s with E151 naming the file', (tag, message) => {
    let err: unknown;
    try {
      decodeProvenance(tag, 'clip.mp4');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(S2VError);
    expect((err as S2VError).code).toBe('E151');
    expect((err as S2VError).message).toContain(message);
    expect(String((err as S2VError).where)).toContain('clip.mp4');
  });
});
