import { afterAll, describe, expect, it } from 'vitest';
import { createInferenceService } from '../inference/index.js';
import { PooledSession } from '../inference/pool.js';
import { runSileroBatch } from './silero-batch.js';
import type { ModelSession } from '../engine/index.js';

const svc = createInferenceService();
afterAll(() => svc.dispose());

/** A voice-like test signal: a 150 Hz buzz whose loudness rises and falls at syllable rate. */
function voiceLike(samples: number, seed: number): Float32Array {
  const out = new Float32Array(samples);
  let r = seed;
  for (let i = 0; i < samples; i++) {
    r = (r * 1103515245 + 12345) % 2147483648;
    const t = i / 8000;
    const env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t + seed);
    out[i] = env * (0.3 * Math.sin(2 * Math.PI * 150 * t) + 0.1 * Math.sin(2 * Math.PI * 450 * t)) + 0.01 * (r / 2147483648 - 0.5);
  }
  return out;
}

describe('recurrent runs on the worker (ModelSession.runSteps)', () => {
  it('Silero over segments of different lengths gives exactly what one call per step gives, rows leaving the batch as their segments end', async () => {
    const session = await svc.session('silero-vad');
    expect(session.runSteps).toBeDefined();
    const layout = { frame: 256, context: 32, warmFrames: 8, rate: 8000 };
    const rows = [40, 64, 12].map((frames, i) => ({ frames, data: voiceLike((layout.warmFrames + frames) * layout.frame + layout.context, i + 1) }));
    // The same session with runSteps hidden: the loop that sends one message per step.
    const perStep: ModelSession = { inputNames: session.inputNames, outputNames: session.outputNames, run: (f, s) => session.run(f, s) };
    const once = await runSileroBatch(session, rows, layout);
    const stepwise = await runSileroBatch(perStep, rows, layout);
    expect(once).toEqual(stepwise);
    expect(once.map((p) => p.length)).toEqual([40, 64, 12]);
    // The rows go to the worker as they are, longest first (it lays out the steps: nothing is
    // laid out or copied on this thread), with the same answer; in shared memory, the same too.
    const sent: Array<Parameters<NonNullable<ModelSession['runSteps']>>[0]> = [];
    const watched: ModelSession = { ...perStep, runSteps: (req, sig) => (sent.push(req), session.runSteps!(req, sig)) };
    expect(await runSileroBatch(watched, rows, layout)).toEqual(once);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.input.data).toBeUndefined();
    expect(sent[0]!.input.sources!.rows).toEqual([rows[1]!.data, rows[0]!.data, rows[2]!.data]);
    expect(sent[0]!.input.sources!.rows[0]).toBe(rows[1]!.data);
    const inShared = rows.map((r) => ({ frames: r.frames, data: new Float32Array(new SharedArrayBuffer(r.data.length * 4)) }));
    inShared.forEach((r, i) => r.data.set(rows[i]!.data));
    expect(await runSileroBatch(session, inShared, layout)).toEqual(once);
    // The signal is not silence to the model: probabilities move.
    expect(Math.max(...once[1]!) - Math.min(...once[1]!)).toBeGreaterThan(0.01);
  }, 60_000);

  it('cancelling stops the sequence between two steps on the worker, and the session runs the next sequence as before', async () => {
    const session = (await svc.session('silero-vad')) as ModelSession & { stepsBeforeCancel?: number };
    const layout = { frame: 512, context: 64, warmFrames: 8, rate: 16000 };
    const long = [{ frames: 3000, data: voiceLike((layout.warmFrames + 3000) * layout.frame + layout.context, 7) }];
    const short = [{ frames: 30, data: voiceLike((layout.warmFrames + 30) * layout.frame + layout.context, 3) }];
    const before = await runSileroBatch(session, short, layout);
    const ac = new AbortController();
    const run = runSileroBatch(session, long, layout, ac.signal);
    setTimeout(() => ac.abort(), 20);
    await expect(run).rejects.toMatchObject({ code: 'E121' });
    // It ran at least its first step and stopped well before its 3008th (it used to run them all).
    expect(session.stepsBeforeCancel).toBeGreaterThanOrEqual(1);
    expect(session.stepsBeforeCancel).toBeLessThan(3008);
    expect(await runSileroBatch(session, short, layout)).toEqual(before);
  }, 60_000);

  it('a signal aborted while the pool is still starting its worker cancels the sequence once it is sent (the abort came before its listener)', async () => {
    const file = await svc.registry.verifiedPath('silero-vad');
    const pool = new PooledSession(file, ['cpu'], 1);
    try {
      const layout = { frame: 512, context: 64, warmFrames: 8, rate: 16000 };
      const long = [{ frames: 3000, data: voiceLike((layout.warmFrames + 3000) * layout.frame + layout.context, 5) }];
      const ac = new AbortController();
      // No worker yet: the call passes its abort check, then waits for the worker to load; the abort lands in that wait.
      const run = runSileroBatch(pool, long, layout, ac.signal);
      ac.abort();
      await expect(run).rejects.toMatchObject({ code: 'E121' });
      // Before: no cancel was ever sent, and all 3008 steps ran.
      expect(pool.stepsBeforeCancel).toBeGreaterThanOrEqual(1);
      expect(pool.stepsBeforeCancel).toBeLessThan(3008);
    } finally {
      await pool.dispose();
    }
  }, 60_000);

  it('an output the model does not have is an E120 naming the model, not a hang', async () => {
    const session = await svc.session('silero-vad');
    const initial = { type: 'float32' as const, dims: [2, 1, 128], data: new Float32Array(256) };
    const sr = { type: 'int64' as const, dims: [], data: BigInt64Array.from([8000n]) };
    await expect(
      session.runSteps!({ input: { name: 'input', data: new Float32Array(288), rowSize: 288, rows: [1] }, fixed: { sr }, carry: { name: 'state', from: 'stateN', initial }, collect: 'nope' }),
    ).rejects.toMatchObject({ code: 'E120', message: expect.stringMatching(/expected nope and stateN/) });
  }, 60_000);
});
