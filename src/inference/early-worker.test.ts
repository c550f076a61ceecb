// The VAD thread `s2v analyze` starts before its bundle loads (bin/early-vad.js), its adoption by
// the inference pool, the ORT-format copy of the model its thread keeps, and sessions handed out
// before their model has loaded (`queue`). Real onnxruntime worker threads and the real Silero model.
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInferenceService, earlyPlan, preloadEarly } from './index.js';
import { PooledSession } from './pool.js';
import { takeEarlyWorker } from './early-worker.js';
import type { TensorLike } from '../engine/index.js';
import { runProcess } from '../media/run-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const EARLY_VAD = path.join(root, 'bin/early-vad.js');
const early = (await import(EARLY_VAD)) as {
  EARLY_WORKER: symbol;
  SESSION_WORKER: string;
  earlyVadWorkerData(env?: NodeJS.ProcessEnv): Record<string, unknown> | undefined;
  startEarlyVad(env?: NodeJS.ProcessEnv): { workerData: Record<string, unknown> } | undefined;
};
const holder = globalThis as Record<symbol, unknown>;
const tmp = mkdtempSync(path.join(os.tmpdir(), 's2v-early-worker-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const SILERO = earlyPlan('silero-vad')!.file;
const ORT_VERSION = (createRequire(import.meta.url)('onnxruntime-node/package.json') as { version: string }).version;

/** One 32 ms Silero step on two rows with a carried state: enough to tell two sessions' numbers apart. */
function steps(n: number): Array<Record<string, TensorLike>> {
  return Array.from({ length: n }, (_, k) => ({
    input: { type: 'float32', dims: [2, 576], data: Float32Array.from({ length: 1152 }, (_, i) => 0.3 * Math.sin((i + 97 * k) / 7) * Math.cos(i / 301)) },
    state: { type: 'float32', dims: [2, 2, 128], data: Float32Array.from({ length: 512 }, (_, i) => 0.01 * Math.sin(i + k)) },
    sr: { type: 'int64', dims: [], data: BigInt64Array.from([16000n]) },
  }));
}
async function outputs(s: { run(f: Record<string, TensorLike>): Promise<Record<string, TensorLike>> }): Promise<number[]> {
  const out: number[] = [];
  for (const f of steps(6)) {
    const r = await s.run(f);
    out.push(...(r.output!.data as Float32Array), ...(r.stateN!.data as Float32Array).slice(0, 8));
  }
  return out;
}

describe('early VAD thread (s2v analyze)', () => {
  it('bin/early-vad.js starts exactly the thread preloadEarly would (script, model file, provider, threads, optimisation)', () => {
    const env = { ...process.env, S2V_PROVIDER: undefined, S2V_THREADS: undefined };
    const saved = { p: process.env.S2V_PROVIDER, t: process.env.S2V_THREADS };
    try {
      for (const [provider, threads] of [[undefined, undefined], ['cpu', '2'], [' CPU ', undefined]] as const) {
        if (provider === undefined) delete process.env.S2V_PROVIDER;
        else process.env.S2V_PROVIDER = provider;
        if (threads === undefined) delete process.env.S2V_THREADS;
        else process.env.S2V_THREADS = threads;
        const plan = earlyPlan('silero-vad')!;
        expect(early.earlyVadWorkerData({ ...env, S2V_PROVIDER: provider, S2V_THREADS: threads })).toEqual({
          modelPath: plan.file,
          providers: plan.providers,
          threads: plan.threads,
          graphOptimizationLevel: plan.level,
          hashModel: true,
          ortCache: plan.ortCache,
        });
      }
      // Another provider asked for: neither starts one early.
      process.env.S2V_PROVIDER = 'cuda';
      expect(earlyPlan('silero-vad')).toBeUndefined();
      expect(early.earlyVadWorkerData({ ...env, S2V_PROVIDER: 'cuda' })).toBeUndefined();
    } finally {
      for (const [k, v] of [['S2V_PROVIDER', saved.p], ['S2V_THREADS', saved.t]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(early.SESSION_WORKER).toBe(fileURLToPath(new URL('./session-worker.cjs', import.meta.url)));
    expect(early.startEarlyVad({ ...env, S2V_NO_EARLY: '1' })).toBeUndefined();
  });

  it('the pool adopts the early thread (no second thread), and hears what it said before, in order: its hash, then that it loaded', async () => {
    const record = early.startEarlyVad({ ...process.env, S2V_NO_EARLY: undefined, S2V_PROVIDER: undefined, S2V_THREADS: undefined });
    expect(record).toBeDefined();
    // Let it hash and load before anyone listens: all of that must be replayed.
    await new Promise((r) => setTimeout(r, 1500));
    // Other data: not this thread.
    expect(takeEarlyWorker(early.SESSION_WORKER, { ...record!.workerData, threads: 3 })).toBeUndefined();
    expect(holder[early.EARLY_WORKER]).toBe(record);
    const pool = preloadEarly('silero-vad') as unknown as PooledSession;
    expect(holder[early.EARLY_WORKER]).toBeUndefined();
    const svc = createInferenceService();
    const plain = new PooledSession(SILERO, ['cpu'], 1, undefined, 'disabled');
    try {
      await pool.ensureWorkers(1);
      expect(await pool.loadedSha256()).toBe((await svc.getModel('silero-vad')).files[0]!.sha256);
      expect(await svc.session('silero-vad')).toBe(pool);
      expect(pool.workerCount).toBe(1);
      expect(await outputs(pool)).toEqual(await outputs(plain));
    } finally {
      await Promise.all([svc.dispose(), plain.dispose()]);
    }
  }, 60_000);

  it('an early thread nobody adopts does not keep the process alive once it has loaded', async () => {
    const code = `const e = await import(${JSON.stringify(EARLY_VAD)}); if (!e.startEarlyVad({ ...process.env, S2V_NO_EARLY: '', S2V_PROVIDER: '' })) process.exit(9); console.log('started');`;
    // Ends by itself, exit 0 (a hang fails the test at its time limit).
    const r = await runProcess({ bin: process.execPath, args: ['--input-type=module', '-e', code] });
    expect(r.stdout.toString()).toBe('started\n');
    expect(r.stderrTail).toBe('');
  }, 70_000);
});

describe("the VAD thread's ORT-format copy of the model", () => {
  const pool = (dir?: string) => new PooledSession(SILERO, ['cpu'], 1, undefined, 'disabled', true, dir);
  const copies = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ort')) : []);

  it('is written once, named by the model hash and onnxruntime version; the next thread opens it and answers bit for bit the same', async () => {
    const dir = path.join(tmp, 'copies');
    const first = pool(dir);
    const plain = new PooledSession(SILERO, ['cpu'], 1, undefined, 'disabled');
    let second: PooledSession | undefined;
    try {
      await first.ensureWorkers(1);
      expect(first.openedFrom).toBe('model');
      const sha = (await first.loadedSha256())!;
      expect(copies(dir)).toEqual([`${sha.slice(0, 32)}-ort${ORT_VERSION}.ort`]);
      second = pool(dir);
      await second.ensureWorkers(1);
      expect(second.openedFrom).toBe('copy');
      const want = await outputs(plain);
      expect(await outputs(first)).toEqual(want);
      expect(await outputs(second)).toEqual(want);
    } finally {
      await Promise.all([first.dispose(), plain.dispose(), second?.dispose()]);
    }
  }, 60_000);

  it('a damaged copy is not used: the model opens as usual and the copy is made again', async () => {
    const dir = path.join(tmp, 'damaged');
    const first = pool(dir);
    await first.ensureWorkers(1);
    await first.dispose();
    const [name] = copies(dir);
    const file = path.join(dir, name!);
    const good = readFileSync(file);
    writeFileSync(file, good.subarray(0, good.length >> 1));
    const again = pool(dir);
    let third: PooledSession | undefined;
    try {
      await again.ensureWorkers(1);
      expect(again.openedFrom).toBe('model');
      // Made again whole (onnxruntime's writer lays some tables out differently each time, so
      // neither byte for byte nor always to the byte in length): the next thread opens it.
      expect(readFileSync(file).length).toBeGreaterThan(good.length * 0.99);
      expect(copies(dir)).toEqual([name]);
      third = pool(dir);
      await third.ensureWorkers(1);
      expect(third.openedFrom).toBe('copy');
      expect(await outputs(third)).toEqual(await outputs(again));
    } finally {
      await Promise.all([again.dispose(), third?.dispose()]);
    }
  }, 60_000);

  it("remembers the model's hash for the file as it was: the next thread neither reads nor hashes it (nor loads node:crypto); a rewritten file is hashed again", async () => {
    const dir = path.join(tmp, 'memo');
    const model = path.join(tmp, 'silero-copy.onnx');
    const bytes = readFileSync(SILERO);
    writeFileSync(model, bytes);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const open = async () => {
      const p = new PooledSession(model, ['cpu'], 1, undefined, 'disabled', true, dir);
      try {
        await p.ensureWorkers(1);
        return { from: p.hashedFrom, sha: await p.loadedSha256(), opened: p.openedFrom, crypto: p.cryptoLoaded };
      } finally {
        await p.dispose();
      }
    };
    expect(await open()).toEqual({ from: 'bytes', sha, opened: 'model', crypto: true });
    expect(await open()).toEqual({ from: 'memo', sha, opened: 'copy', crypto: false });
    // The same bytes written again: a new change time, so read and hashed again.
    writeFileSync(model, bytes);
    expect(await open()).toEqual({ from: 'bytes', sha, opened: 'copy', crypto: true });
    // Other bytes of the same size: never the remembered hash (the registry then refuses the file).
    const other = Buffer.from(bytes);
    other[other.length - 1] ^= 1;
    writeFileSync(model, other);
    const changed = await open();
    expect(changed.from).toBe('bytes');
    expect(changed.sha).toBe(createHash('sha256').update(other).digest('hex'));
  }, 90_000);

  it('is made only for an unoptimised model whose bytes the thread hashed', async () => {
    const dir = path.join(tmp, 'none');
    const optimised = new PooledSession(SILERO, ['cpu'], 1, undefined, 'all', true, dir);
    const unhashed = new PooledSession(SILERO, ['cpu'], 1, undefined, 'disabled', false, dir);
    try {
      await Promise.all([optimised.ensureWorkers(1), unhashed.ensureWorkers(1)]);
      expect(copies(dir)).toEqual([]);
    } finally {
      await Promise.all([optimised.dispose(), unhashed.dispose()]);
    }
  }, 60_000);
});

describe('a queued session (calls sent before its model has loaded)', () => {
  it('runs calls sent while this thread is busy: the answer is there as soon as it is free', async () => {
    const pool = preloadEarly('silero-vad') as unknown as PooledSession;
    const svc = createInferenceService();
    try {
      const session = await svc.session('silero-vad', undefined, { queue: true });
      expect(session).toBe(pool);
      // Handed out before its model has loaded (a loaded pool knows its input names).
      expect(pool.inputNames).toEqual([]);
      let answered = false;
      const req = steps(1)[0]!;
      const done = session.run(req).then((r) => ((answered = true), r));
      // This thread is busy (as with beat tracking) while the model loads and the call runs there.
      const until = Date.now() + 2500;
      while (Date.now() < until);
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setImmediate(r));
      expect(answered).toBe(true);
      const loaded = await svc.session('silero-vad');
      expect((await done).output).toEqual((await loaded.run(req)).output);
    } finally {
      await svc.dispose();
    }
  }, 60_000);

  it('a model that cannot load fails the calls sent before it loaded, with its reason (E111)', async () => {
    const bad = path.join(tmp, 'bad.onnx');
    writeFileSync(bad, 'not a model');
    const pool = new PooledSession(bad, ['cpu'], 1);
    pool.ensureWorkers(1).catch(() => undefined);
    await expect(pool.run(steps(1)[0]!)).rejects.toMatchObject({ code: 'E111', where: bad, message: expect.stringMatching(/cannot load model/) });
    await pool.dispose();
  }, 60_000);
});
