/**
 * The missing-things report on a models folder built for the test: a local model whose file
 * is missing and one whose bytes changed, remote models (ComfyUI, Sogni) with and without a
 * configured backend, a kind this build does not know, a node type it lacks, and inputs not
 * provided or not found — each with what to do.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendService, GraphDoc } from '../engine/index.js';
import { catalog } from '../../nodes/index.js';
import { formatNeed, whatIsMissing } from './needs.js';

let dir: string;
const sha = (c: string) => c.repeat(64);
async function model(id: string, manifest: Record<string, unknown>, files: Record<string, string> = {}) {
  await fs.mkdir(path.join(dir, 'models', id), { recursive: true });
  await fs.writeFile(path.join(dir, 'models', id, 'manifest.json'), JSON.stringify({ id, ...manifest }));
  for (const [n, c] of Object.entries(files)) await fs.writeFile(path.join(dir, 'models', id, n), c);
}

function graphWith(models: string[], extra: Partial<GraphDoc> = {}): GraphDoc {
  return {
    schemaVersion: 1,
    metadata: { title: 't', description: '', tags: [] },
    inputs: [{ name: 'audio', type: 'audio', description: '', bind: { node: 'a', param: 'path' } }],
    nodes: [
      { id: 'img', type: 'image', version: 1, params: { path: 'me.jpg' }, position: { x: 0, y: 0 } },
      { id: 'a', type: 'audio-file', version: 1, params: {}, position: { x: 0, y: 0 } },
      ...models.map((m, i) => ({ id: `m${i}`, type: 'video-model', version: 2, params: { model: m }, position: { x: 0, y: 0 } })),
    ],
    edges: models.map((_, i) => ({ from: { node: 'img', port: 'image' }, to: { node: `m${i}`, port: 'image' } })),
    ...extra,
  };
}

const backends = (configured: Record<string, boolean>): BackendService =>
  ({ statuses: async () => Object.entries(configured).map(([id, c]) => ({ id, configured: c, reachable: c, detail: c ? 'ok' : 'SOGNI_API_KEY is not set' })) }) as unknown as BackendService;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-needs-'));
  await model('gone', { kind: 's2v', version: '1', files: [{ name: 'gone.onnx', sha256: sha('a') }] });
  await model('changed', { kind: 's2v', version: '1', files: [{ name: 'c.onnx', sha256: sha('b') }] }, { 'c.onnx': 'not what the manifest says' });
  await model('wan', { kind: 'comfyui', version: '2.2', backend: 'comfyui', comfyui: { workflow: 'w.json', modelFiles: [{ folder: 'diffusion_models', name: 'wan.safetensors' }], classes: [] } });
  await model('cloud', { kind: 'sogni', version: '1', backend: 'sogni', sogni: { modelId: 'x' } });
  await model('future', { kind: 'replicate', version: '9' });
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('what is missing', () => {
  it('names each missing thing with what to do', async () => {
    const g = graphWith(['gone', 'changed', 'wan', 'cloud', 'future', 'nope']);
    g.nodes.push({ id: 'x', type: 'teleporter', version: 1, params: {}, position: { x: 0, y: 0 } });
    const needs = await whatIsMissing(g, { catalog, graphDir: dir, modelsDir: path.join(dir, 'models'), backends: backends({ comfyui: true, sogni: false }) });
    expect(needs.map(formatNeed)).toEqual([
      'node "x": node type "teleporter" is not part of this S2V Studio — update S2V Studio (or remove the node)',
      'node "m0" model "gone": file gone.onnx is missing — ships with S2V Studio in models/gone/ (rebuild with `npm run build:models`)',
      expect.stringMatching(/^node "m1" model "changed": file c\.onnx has sha256 [0-9a-f]{12}…, expected bbbbbbbbbbbb… — ships with S2V Studio/),
      'node "m3" model "cloud": remote backend "sogni" is not configured (SOGNI_API_KEY is not set) — the Sogni Supernet (a Sogni account with credits: set SOGNI_API_KEY or SOGNI_USERNAME/SOGNI_PASSWORD)',
      'node "m4" model "future": model kind "replicate" is unknown to this S2V Studio — update S2V Studio',
      'node "m5" model "nope": not installed — install it, or pick one of `s2v models`',
      'node "img".path: file "me.jpg" not found — set a file with --set img.path=FILE',
      'input "audio" (node "a".path): not provided — pass one with --input audio=FILE (or pick a file in the studio)',
    ]);
  });

  it('without a backend service, remote models say so and where to get them', async () => {
    const needs = await whatIsMissing(graphWith(['wan']), { catalog, graphDir: dir, modelsDir: path.join(dir, 'models') });
    expect(needs.map(formatNeed)[0]).toBe('node "m0" model "wan": remote backend "comfyui" is not available in this build — a ComfyUI server with diffusion_models/wan.safetensors (set S2V_COMFYUI_URL)');
  });

  it('a graph with its model installed and its files present needs nothing', async () => {
    await fs.writeFile(path.join(dir, 'me.jpg'), 'x');
    await fs.writeFile(path.join(dir, 'song.wav'), 'x');
    const g = graphWith(['pulse']);
    g.inputs[0]!.default = 'song.wav';
    expect(await whatIsMissing(g, { catalog, graphDir: dir })).toEqual([]);
  });
});
