import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR } from './index.js';
import { PooledSession } from './pool.js';
import { MODEL_SPECS } from '../../models/build/catalog.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// The pool does not care which graph it runs: the a2v graph in one piece (it ships split in
// two, models/build/split.ts) makes frames from three small inputs.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-pool-model-'));
const A2V = path.join(dir, 'a2v-whole.onnx');
fs.writeFileSync(A2V, MODEL_SPECS.find((s) => s.id === 'a2v')!.build().encode('a2v in one piece'));
const pool = new PooledSession(A2V, ['cpu'], 1, 50);
afterAll(async () => {
  await pool.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

// Input widths come from the manifest, so the test follows the model when its layout grows.
const manifest = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODELS_DIR, 'a2v', 'manifest.json'), 'utf8')) as { controls: string[]; style: string[] };
const K = manifest.controls.length;
const S = manifest.style.length;
const feeds = (n: number) => ({
  size: { type: 'int64' as const, dims: [2], data: BigInt64Array.from([8n, 8n]) },
  controls: { type: 'float32' as const, dims: [n, K], data: new Float32Array(n * K) },
  style: { type: 'float32' as const, dims: [1, S], data: new Float32Array(S) },
});

/** A one-worker session on `model` for one test, disposed however the test ends. */
async function withSession(model: string, use: (s: PooledSession) => Promise<void>): Promise<void> {
  const s = new PooledSession(model, ['cpu'], 1);
  try {
    await use(s);
  } finally {
    await s.dispose();
  }
}

describe('session pool', () => {
  it('runs concurrent calls across workers and keeps results with their calls', async () => {
    await pool.ensureWorkers(2);
    expect(pool.inputNames).toEqual(['size', 'controls', 'style']);
    const outs = await Promise.all([1, 2, 3, 4].map((n) => pool.run(feeds(n))));
    expect(outs.map((o) => o.frames!.dims[0])).toEqual([1, 2, 3, 4]);
  });

  it('stops idle workers and starts them again on the next run', async () => {
    await new Promise((r) => setTimeout(r, 120));
    const out = await pool.run(feeds(2));
    expect(out.frames!.dims).toEqual([2, 8, 8, 3]);
  });

  it('a worker that crashes mid-render is replaced: every call in flight still returns its own result, later runs work', async () => {
    await withSession(A2V, async (s) => {
      await s.ensureWorkers(2);
      const big = (n: number) => ({ ...feeds(n), size: { type: 'int64' as const, dims: [2], data: BigInt64Array.from([96n, 96n]) } });
      // A render keeps several chunks in flight; one thread dies while they run, with calls
      // queued on it before and after its crash.
      const calls = Array.from({ length: 6 }, (_, i) => s.run(big(1 + (i % 4))));
      const crashed = s.crashWorkerForTest(0);
      calls.push(...Array.from({ length: 6 }, (_, i) => s.run(big(1 + ((i + 6) % 4)))));
      await crashed;
      const outs = await Promise.all(calls);
      expect(outs.map((o) => o.frames!.dims[0])).toEqual(Array.from({ length: 12 }, (_, i) => 1 + (i % 4)));
      expect(outs[0]!.frames!.dims).toEqual([1, 96, 96, 3]);
      // The pool is back to two live workers and keeps serving.
      expect(s.workerCount).toBe(2);
      const again = await Promise.all([s.run(feeds(3)), s.run(feeds(2))]);
      expect(again.map((o) => o.frames!.dims[0])).toEqual([3, 2]);
    });
  });

  it('a worker that died while idle is never handed the next call (no hang)', async () => {
    await withSession(A2V, async (s) => {
      await s.ensureWorkers(1);
      await s.crashWorkerForTest(0);
      expect(s.workerCount).toBe(0);
      const started = Date.now();
      const out = await s.run(feeds(2));
      expect(out.frames!.dims[0]).toBe(2);
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(s.workerCount).toBe(1);
    });
  });

  it('pinned inputs reach each worker once (a replacement too) and stay there until unpinned', async () => {
    await withSession(A2V, async (s) => {
      await s.ensureWorkers(2);
      const style = { type: 'float32' as const, dims: [1, S], data: Float32Array.from({ length: S }, (_, i) => ((i * 7) % 10) / 10) };
      const fixed = s.pin({ size: { type: 'int64', dims: [2], data: BigInt64Array.from([24n, 24n]) }, style });
      const controls = { type: 'float32' as const, dims: [1, K], data: Float32Array.from({ length: K }, (_, k) => (k % 3) / 3) };
      const pair = async () => (await Promise.all([s.run({ ...fixed, controls }), s.run({ ...fixed, controls })])).map((o) => Buffer.from(o.frames!.data as Uint8Array));
      const [a, b] = await pair();
      expect(a!.equals(b!)).toBe(true);
      // Both workers use the copy they were given, not the caller's buffer (it is not re-sent).
      const original = style.data.slice();
      style.data.fill(0);
      for (const f of await pair()) expect(f.equals(a!)).toBe(true);
      // A worker that dies loses what it held; its replacement is sent the pins again.
      style.data.set(original);
      await s.crashWorkerForTest(0);
      for (const f of await pair()) expect(f.equals(a!)).toBe(true);
      // Unpinned, every call copies its inputs again.
      s.unpin(fixed);
      expect(s.pinnedCount).toBe(0);
      style.data.fill(0);
      const [c] = await pair();
      expect(c!.equals(a!)).toBe(false);
    });
  });

  it('a bad input is an E120 naming the model, not a crash', async () => {
    await expect(pool.run({ ...feeds(1), controls: { type: 'float32', dims: [1, 3], data: new Float32Array(3) } })).rejects.toMatchObject({ code: 'E120' });
  });

  it('a worker still loading its model is let finish loading and asked to close, never forced (forcing it inside onnxruntime aborts the process)', async () => {
    const s = new PooledSession(A2V, ['cpu'], 1);
    const loading = s.ensureWorkers(1);
    loading.catch(() => undefined);
    // A grace of 50 ms, from the end of the load (ample to close an idle session): before, it ran
    // from the call, and the thread was forced mid-load ("inference worker exited"; with the
    // default 3 s, whenever the load took longer: exit 134, 'Napi::Error', the whole process).
    // (Whether the close then fits in 50 ms depends on the machine's load: not asserted.)
    await s.dispose(50);
    await expect(loading).resolves.toBeUndefined();
  });

  it('a file that is not ONNX is an E111 naming it, not a hang or a crash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-pool-'));
    const bad = path.join(dir, 'bad.onnx');
    fs.writeFileSync(bad, 'not a model');
    const s = new PooledSession(bad, ['cpu'], 1);
    try {
      await expect(s.ensureWorkers(2)).rejects.toMatchObject({ code: 'E111', where: bad, message: expect.stringMatching(/cannot load model/) });
    } finally {
      await s.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
