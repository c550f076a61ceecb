/**
 * Packing: equal files become one asset, paths are rewritten to the assets, output paths and
 * URL credentials never leave the machine, only media files are packed (a graph cannot make
 * pack ship ~/.ssh/id_rsa), model manifests carry whitelisted fields only, and packing the
 * same graph twice gives the same bytes.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../nodes/index.js';
import { packGraph } from './pack.js';
import { checkBundle, unpackBundle } from './unpack.js';

let dir: string;
const opts = () => ({ catalog, cwd: dir, appVersion: 'test' });

async function writeGraph(name: string, nodes: unknown[], edges: unknown[] = [], inputs: unknown[] = []): Promise<string> {
  const file = path.join(dir, name);
  await fs.writeFile(file, JSON.stringify({ schemaVersion: 1, metadata: { title: 'T' }, inputs, nodes, edges }));
  return file;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-pack-'));
  await fs.writeFile(path.join(dir, 'a.png'), 'same bytes');
  await fs.writeFile(path.join(dir, 'copy of a.png'), 'same bytes');
  await fs.writeFile(path.join(dir, 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('pack', () => {
  it('deduplicates equal files, rewrites paths, keeps output paths relative and strips URL credentials', async () => {
    const file = await writeGraph('g.json', [
      { id: 'i1', type: 'image', params: { path: 'a.png' } },
      { id: 'i2', type: 'image', params: { path: path.join(dir, 'copy of a.png') } },
      { id: 'sw', type: 'screenwriter', params: { llmUrl: 'http://alice:hunter2@127.0.0.1:8080/v1' } },
      { id: 'out', type: 'output', params: { path: '/home/alice/videos/final.mp4' } },
    ]);
    const r = await packGraph(file, path.join(dir, 'g.s2vpack'), opts());
    expect(r.assets).toHaveLength(1);
    expect(r.warnings).toContain('removed user:password from a URL in the graph');
    const bytes = await fs.readFile(path.join(dir, 'g.s2vpack'));
    expect(bytes.includes('hunter2')).toBe(false);
    expect(bytes.includes('/home/alice')).toBe(false);
    const checked = await checkBundle(path.join(dir, 'g.s2vpack'), catalog);
    const params = Object.fromEntries(checked.graph.nodes.map((n) => [n.id, n.params]));
    expect(params.i1!.path).toBe(r.assets[0]!.name);
    expect(params.i2!.path).toBe(r.assets[0]!.name);
    expect(params.sw!.llmUrl).toBe('http://127.0.0.1:8080/v1');
    expect(params.out!.path).toBe('out/final.mp4');
  });

  it('refuses to pack a file that is not an image, audio or video file', async () => {
    const file = await writeGraph('steal.json', [{ id: 'i', type: 'image', params: { path: path.join(dir, 'id_rsa') } }]);
    await expect(packGraph(file, path.join(dir, 'steal.s2vpack'), opts())).rejects.toThrow(/"\/.*id_rsa" is not an image, audio or video file; only media files are packed/);
    await expect(fs.stat(path.join(dir, 'steal.s2vpack'))).rejects.toThrow();
  });

  it('carries the model manifests with whitelisted fields, and the same graph packs to the same bytes', async () => {
    const file = await writeGraph('m.json', [
      { id: 'img', type: 'image', params: { path: 'a.png' } },
      { id: 'a', type: 'audio-file', params: {} },
      { id: 'f', type: 'audio-features', params: {} },
      { id: 'm', type: 'video-model', params: { model: 'drift' } },
    ], [
      { from: { node: 'a', port: 'audio' }, to: { node: 'f', port: 'audio' } },
      { from: { node: 'a', port: 'audio' }, to: { node: 'm', port: 'audio' } },
      { from: { node: 'f', port: 'features' }, to: { node: 'm', port: 'features' } },
    ]);
    const r = await packGraph(file, path.join(dir, 'm1.s2vpack'), opts());
    await packGraph(file, path.join(dir, 'm2.s2vpack'), opts());
    // No image wired into the model: a2v stands in, so its manifest travels too.
    expect(r.models).toEqual(['drift', 'a2v']);
    const checked = await checkBundle(path.join(dir, 'm1.s2vpack'), catalog);
    const drift = JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../../models/drift/manifest.json'), 'utf8'));
    expect(checked.models[0]).toEqual({ id: 'drift', title: drift.title, version: drift.version, kind: 's2v', backend: 'local', files: drift.files, source: expect.stringContaining('models/drift/'), license: drift.license });
    expect(await fs.readFile(path.join(dir, 'm1.s2vpack'))).toEqual(await fs.readFile(path.join(dir, 'm2.s2vpack')));
  });

  it('a bundle too big to keep in memory is read again on writing, and unpacks the same files', async () => {
    const file = await writeGraph('big.json', [{ id: 'i', type: 'image', params: { path: 'a.png' } }]);
    await packGraph(file, path.join(dir, 'big.s2vpack'), opts());
    const r = await unpackBundle(path.join(dir, 'big.s2vpack'), path.join(dir, 'big-out'), catalog, undefined, 0);
    const asset = r.graph.nodes[0]!.params.path as string;
    expect(await fs.readFile(path.join(r.dir, asset), 'utf8')).toBe('same bytes');
    expect(JSON.parse(await fs.readFile(path.join(r.dir, 'index.json'), 'utf8')).format).toBe('s2vpack');
  });
});
