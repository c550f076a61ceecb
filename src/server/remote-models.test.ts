import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskCache, createFileService, type ModelManifest } from '../engine/index.js';
import { createBackends } from '../runtime/index.js';
import { stubCatalog } from '../../test/support/studio-server.js';
import { startServer, type StudioServer } from './index.js';
import { fakeServices } from '../../test/support/fake-services.js';

let root: string;
let server: StudioServer;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-server-remote-'));
  const services = fakeServices({
    files: createFileService(),
    inference: { listModels: async () => [{ id: 'pulse', title: 'Pulse', kind: 's2v', requiresImage: true, defaults: { width: 512, height: 512, fps: 24 } } as unknown as ModelManifest] },
    backends: createBackends({}, { S2V_CONFIG_DIR: root }),
  });
  server = await startServer({ port: 0, runtime: { catalog: stubCatalog, services, cache: new DiskCache(path.join(root, 'cache')) }, dataDir: path.join(root, 'data'), graphsDir: path.join(root, 'graphs'), staticDir: path.join(root, 'ui') });
});
afterAll(async () => {
  await server.close();
  await fs.rm(root, { recursive: true, force: true });
});

describe('studio model list', () => {
  it('lists remote models beside the local ones, with what each needs, in the shape the picker reads', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/api/models`, { headers: { 'X-S2V-Token': server.token } });
    const models = (await res.json()) as Array<{ id: string; kind: string; requiresImage: boolean; requirements?: string; defaults: { fps: number } }>;
    expect(models[0]!.id).toBe('pulse');
    const wan = models.find((m) => m.id === 'comfyui-wan22-s2v')!;
    expect(wan).toMatchObject({ kind: 'comfyui', requiresImage: true, defaults: { fps: 16 } });
    expect(wan.requirements).toMatch(/ComfyUI server .*wan|Wan/i);
    expect(models.find((m) => m.id === 'comfyui-ltx23-a2v')!.requiresImage).toBe(false);
    expect(models.some((m) => m.kind === 'sogni')).toBe(true);
  });
});
