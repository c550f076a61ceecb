import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_DIR } from './index.js';
import { PooledSession } from './pool.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const pool = new PooledSession(path.join(DEFAULT_MODELS_DIR, 'a2v', 'a2v.onnx'), ['cpu'], 1, 50);
afterAll(() => pool.dispose());

// Input widths come from the manifest, so the test follows the model when its layout grows.
const manifest = JSON.parse(fs.readFileSync(path.join(DEFAULT_MODELS_DIR, 'a2v', 'manifest.json'), 'utf8')) as { controls: string[]; style: string[] };
const K = manifest.controls.length;
const S = manifest.style.length;
const feeds = (n: number) => ({
  size: { type: 'int64' as const, dims: [2], data: BigInt64Array.from([8n, 8n]) },
  controls: { type: 'float32' as const, dims: [n, K], data: new Float32Array(n * K) },
  style: { type: 'float32' as const, dims: [1, S], data: new Float32Array(S) },
});

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

  it('a bad input is an E120 naming the model, not a crash', async () => {
    await expect(pool.run({ ...feeds(1), controls: { type: 'float32', dims: [1, 3], data: new Float32Array(3) } })).rejects.toMatchObject({ code: 'E120' });
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
