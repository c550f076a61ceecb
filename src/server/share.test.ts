/**
 * The studio's sharing endpoints against the real catalog, templates and media layer:
 * gallery order and contents, Export → Import round trip (files land inside the studio's
 * assets, the imported graph validates and needs nothing), a malicious upload refused with
 * one line and nothing left in the imports folder, Export refusing files outside the studio's
 * folders, the missing-things list, and a dropped video restoring its graph with its inputs
 * relinked to uploaded assets of the same sha256.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../../test/support/processes.js';
import { createRuntime } from '../runtime/index.js';
import { REPO_ROOT } from './paths.js';
import { startServer, type StudioServer } from './index.js';
import { buildCorpus } from '../../test/fixtures/bundles/corpus.js';
import { createMediaService } from '../media/index.js';
import { encodeProvenance, type Provenance } from '../engine/index.js';
import { createHash } from 'node:crypto';
import { FFMPEG } from '../../test/support/ffmpeg.js';

let root: string;
let server: StudioServer;
let runtime: ReturnType<typeof createRuntime>;
const api = (p: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('X-S2V-Token', server.token);
  return fetch(`http://127.0.0.1:${server.port}${p}`, { ...init, headers });
};

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-share-server-'));
  runtime = createRuntime({ cacheDir: path.join(root, 'cache') });
  server = await startServer({ port: 0, runtime, dataDir: path.join(root, 'data'), graphsDir: path.join(REPO_ROOT, 'graphs'), staticDir: path.join(root, 'ui') });
});
afterAll(async () => {
  await server?.close();
  await runtime?.dispose();
  await fs.rm(root, { recursive: true, force: true });
});

describe('sharing API', () => {
  it('gallery lists every template with title, description, inputs and models; music video first', async () => {
    const items = (await (await api('/api/gallery')).json()) as Array<{ id: string; source: string; title: string; description: string; inputs: Array<{ name: string }>; models: string[]; thumbnail?: string; missing: string[] }>;
    const templates = (await fs.readdir(path.join(REPO_ROOT, 'graphs'))).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
    expect(items.map((i) => i.id).sort()).toEqual(templates.sort());
    expect(items[0]!.id).toBe('music-video');
    expect(items.slice(0, 3).map((i) => i.id)).toEqual(['music-video', 'lip-sync', 'ambient']);
    const mv = items[0]!;
    expect(mv.title).toBe('Music video');
    expect(mv.description.length).toBeGreaterThan(20);
    expect(mv.inputs.map((i) => i.name)).toEqual(['image', 'audio', 'prompt']);
    expect(mv.models).toEqual(['pulse']);
    expect(mv.missing).toEqual([]);
    const thumb = await api(mv.thumbnail!);
    expect(thumb.status).toBe(200);
    expect(Buffer.from(await thumb.arrayBuffer()).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it("gallery lists the user's saved graphs after the templates", async () => {
    const doc = { schemaVersion: 1, metadata: { title: 'My beat clip', description: 'mine', tags: [] }, nodes: [{ id: 'p', type: 'prompt', params: {} }], edges: [] };
    expect((await api('/api/documents/mine', { method: 'PUT', body: JSON.stringify(doc) })).status).toBe(200);
    const items = (await (await api('/api/gallery')).json()) as Array<{ id: string; source: string; title: string }>;
    const last = items[items.length - 1]!;
    expect(last).toMatchObject({ id: 'mine', source: 'saved', title: 'My beat clip' });
    expect(items.filter((i) => i.source === 'saved')).toHaveLength(1);
    expect(items.findIndex((i) => i.source === 'saved')).toBe(items.length - 1);
  });

  it('Export then Import: the graph comes back with its files inside the studio, validates and needs nothing', async () => {
    const template = await (await api('/api/templates/music-video')).json();
    const exp = await api('/api/bundles/export', { method: 'POST', body: JSON.stringify({ graph: template, name: 'my clip' }) });
    expect(exp.status).toBe(200);
    expect(exp.headers.get('content-disposition')).toBe('attachment; filename="my-clip.s2vpack"');
    const bytes = Buffer.from(await exp.arrayBuffer());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    const imp = await api('/api/bundles/import', { method: 'POST', body: bytes, headers: { 'X-Filename': 'my-clip.s2vpack' } });
    const body = (await imp.json()) as { graph: { nodes: Array<{ id: string; params: Record<string, unknown> }>; inputs: Array<{ name: string; default?: unknown }> }; needs: unknown[]; dir: string };
    expect(imp.status).toBe(200);
    expect(body.needs).toEqual([]);
    const image = body.graph.inputs.find((i) => i.name === 'image')!.default as string;
    expect(image.startsWith(path.join(root, 'data', 'assets', 'imports'))).toBe(true);
    expect(await fs.readFile(image)).toEqual(await fs.readFile(path.join(REPO_ROOT, 'graphs/assets/demo-portrait.jpg')));
    const v = await (await api('/api/validate', { method: 'POST', body: JSON.stringify({ graph: body.graph }) })).json();
    expect(v).toEqual({ ok: true });
  });

  it('Import refuses a crafted bundle with one line and leaves nothing behind', async () => {
    const cases = await buildCorpus(path.join(root, 'corpus'));
    const traversal = cases.find((c) => c.file.endsWith('traversal-dotdot.s2vpack'))!;
    const before = await fs.readdir(path.join(root, 'data', 'assets', 'imports')).catch(() => []);
    const r = await api('/api/bundles/import', { method: 'POST', body: await fs.readFile(traversal.file), headers: { 'X-Filename': 'evil.s2vpack' } });
    expect(r.status).toBe(400);
    const { error } = (await r.json()) as { error: string };
    expect(error).toMatch(/^E150 .*entry "assets\/\.\.\/\.\.\/escaped\.png": path traversal/);
    expect(error).not.toContain('\n');
    expect(await fs.readdir(path.join(root, 'data', 'assets', 'imports')).catch(() => [])).toEqual(before);
    expect((await fs.readdir(path.join(root, 'data', 'tmp'))).filter((f) => !f.startsWith('.export'))).toEqual([]);
  });

  it('Export refuses a graph that points at a file outside the studio folders', async () => {
    const secret = path.join(root, 'elsewhere', 'secret.png');
    await fs.mkdir(path.dirname(secret), { recursive: true });
    await fs.copyFile(path.join(REPO_ROOT, 'graphs/assets/demo-portrait.jpg'), secret);
    const graph = { schemaVersion: 1, nodes: [{ id: 'img', type: 'image', params: { path: secret } }], edges: [] };
    const r = await api('/api/bundles/export', { method: 'POST', body: JSON.stringify({ graph }) });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: string }).error).toMatch(/E108 node "img"\.path: "secret\.png" is outside the folders this studio may read/);
  });

  it('needs lists a model that is not installed and an input not provided, each with what to do', async () => {
    const graph = {
      schemaVersion: 1,
      inputs: [{ name: 'audio', type: 'audio', bind: { node: 'a', param: 'path' } }],
      nodes: [{ id: 'a', type: 'audio-file', params: {} }, { id: 'f', type: 'audio-features', params: {} }, { id: 'm', type: 'video-model', params: { model: 'no-such-model' } }],
      edges: [{ from: { node: 'a', port: 'audio' }, to: { node: 'f', port: 'audio' } }, { from: { node: 'a', port: 'audio' }, to: { node: 'm', port: 'audio' } }, { from: { node: 'f', port: 'features' }, to: { node: 'm', port: 'features' } }],
    };
    const { needs } = (await (await api('/api/needs', { method: 'POST', body: JSON.stringify({ graph }) })).json()) as { needs: Array<{ kind: string; line: string }> };
    expect(needs.map((n) => n.line)).toEqual([
      'node "m" model "no-such-model": not installed — install it, or pick one of `s2v models`',
      'input "audio" (node "a".path): not provided — pass one with --input audio=FILE (or pick a file in the studio)',
    ]);
  });

  it('a dropped video restores its graph, relinking inputs to uploaded assets with the same sha256', async () => {
    const photo = await fs.readFile(path.join(REPO_ROOT, 'graphs/assets/demo-portrait.jpg'));
    const up = (await (await api('/api/assets', { method: 'POST', body: photo, headers: { 'X-Filename': 'me.jpg' } })).json()) as { path: string };
    const template = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'graphs/music-video.json'), 'utf8'));
    const provenance: Provenance = {
      format: 's2v-provenance', version: 1, app: { name: 'S2V Studio', version: 'test' }, target: 'out',
      graph: { ...template, inputs: template.inputs.map((i: { name: string }) => (i.name === 'image' ? { ...i, default: 'me.jpg' } : i)) },
      files: [{ node: 'image', param: 'path', name: 'me.jpg', sha256: createHash('sha256').update(photo).digest('hex') }],
      models: [{ id: 'pulse' }], seeds: {}, fingerprints: {},
    };
    const plain = path.join(root, 'plain.mp4');
    runSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=10', '-t', '1', '-pix_fmt', 'yuv420p', '-y', plain]);
    const tagged = path.join(root, 'tagged.mp4');
    await createMediaService().copyWithMetadata!(plain, tagged, { comment: encodeProvenance(provenance) });
    const r = await api('/api/graph-from-video', { method: 'POST', body: await fs.readFile(tagged), headers: { 'X-Filename': 'tagged.mp4' } });
    expect(r.status).toBe(200);
    const body = (await r.json()) as { graph: { inputs: Array<{ name: string; default?: string }> } };
    expect(body.graph.inputs.find((i) => i.name === 'image')!.default).toBe(up.path);
    const none = await api('/api/graph-from-video', { method: 'POST', body: await fs.readFile(plain), headers: { 'X-Filename': 'plain.mp4' } });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { error: string }).error).toMatch(/^E151 plain\.mp4: this video carries no S2V provenance/);
  });
});
