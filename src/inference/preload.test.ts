import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInferenceService, preloadEarly } from './index.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 's2v-preload-'));
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A models folder holding one model whose file is `bytes` (listed with its true sha256). */
function modelsWith(id: string, bytes: string): string {
  const dir = path.join(tmp, id);
  mkdirSync(path.join(dir, id), { recursive: true });
  writeFileSync(path.join(dir, id, 'm.onnx'), bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const manifest = {
    id, title: id, version: '1', kind: 'audio', requiresImage: false, features: [], defaults: { width: 1, height: 1, fps: 1 },
    files: [{ name: 'm.onnx', sha256 }], license: 'MIT', description: 'test',
  };
  writeFileSync(path.join(dir, id, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('inference preload', () => {
  it('the session asked for after a preload is the preloaded one', async () => {
    const fresh = createInferenceService();
    try {
      await fresh.preload!('silero-vad');
      const session = await fresh.session('silero-vad');
      expect(session.inputNames).toContain('input');
      expect(await fresh.session('silero-vad')).toBe(session);
    } finally {
      await fresh.dispose();
    }
  });

  it('a model that cannot load does not fail the preload: the session call that needs it reports E111 naming the file', async () => {
    const dir = modelsWith('broken', 'not a model');
    const broken = createInferenceService({ modelsDir: dir });
    try {
      await expect(broken.preload!('broken')).resolves.toBeUndefined();
      await expect(broken.session('broken')).rejects.toMatchObject({ code: 'E111', where: path.join(dir, 'broken', 'm.onnx') });
    } finally {
      await broken.dispose();
    }
  });

  it('an unknown model is refused by the preload itself (E111 listing what exists), before any thread starts', async () => {
    await expect(createInferenceService().preload!('no-such-model')).rejects.toMatchObject({ code: 'E111', message: expect.stringMatching(/unknown model "no-such-model"/) });
  });

  it('a model preloaded before any service exists is adopted by the first service that asks for it, once; another provider choice starts its own', async () => {
    const early = preloadEarly('silero-vad');
    expect(early).toBeDefined();
    const other = createInferenceService({ threads: 2 });
    const first = createInferenceService();
    const second = createInferenceService();
    try {
      // Two threads per session is another choice: not the early pool.
      expect(await other.session('silero-vad')).not.toBe(early);
      expect(await first.session('silero-vad')).toBe(early);
      expect(await second.session('silero-vad')).not.toBe(early);
    } finally {
      await Promise.all([other.dispose(), first.dispose(), second.dispose()]);
    }
  }, 60_000);

  it("an early pool's thread hashes the model bytes it loads: the adopting service's check uses that hash, and the session is the one the path opens", async () => {
    const early = preloadEarly('silero-vad') as unknown as { loadedSha256(): Promise<string | undefined> };
    const svc = createInferenceService();
    const plain = createInferenceService({ threads: 2 });
    try {
      const expected = (await svc.getModel('silero-vad')).files[0]!.sha256;
      expect(await early.loadedSha256()).toBe(expected);
      const file = await svc.registry.verifiedPath('silero-vad');
      const adopted = await svc.session('silero-vad');
      expect(adopted).toBe(early);
      // Opened from the bytes it hashed: the same answers as a session opened from the path.
      const other = await plain.session('silero-vad');
      expect(other).not.toBe(early);
      const feeds = { input: { type: 'float32' as const, dims: [2, 576], data: Float32Array.from({ length: 1152 }, (_, i) => Math.sin(i / 7) * 0.3) }, state: { type: 'float32' as const, dims: [2, 2, 128], data: new Float32Array(512) }, sr: { type: 'int64' as const, dims: [], data: BigInt64Array.from([16000n]) } };
      expect((await adopted.run(feeds)).output).toEqual((await other.run(feeds)).output);
      expect(file).toContain('silero_vad_v5.onnx');
    } finally {
      await Promise.all([svc.dispose(), plain.dispose()]);
    }
  }, 60_000);

  it('an early pool nobody adopted is stopped when a service is disposed (a failed analyze does not wait for its load)', async () => {
    const early = preloadEarly('silero-vad') as unknown as { workerCount: number; ensureWorkers(n: number): Promise<void> };
    await early.ensureWorkers(1);
    expect(early.workerCount).toBe(1);
    await createInferenceService().dispose();
    expect(early.workerCount).toBe(0);
  }, 60_000);
});
