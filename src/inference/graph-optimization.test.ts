import { afterAll, describe, expect, it } from 'vitest';
import { createInferenceService, graphOptimizationFor, preloadEarly } from './index.js';
import { PooledSession } from './pool.js';
import { runSileroBatch } from '../audio/silero-batch.js';

const svc = createInferenceService();
const opened: PooledSession[] = [];
afterAll(async () => {
  await svc.dispose();
  await Promise.all(opened.map((p) => p.dispose()));
});

/** A voice-like buzz (150 Hz, loudness at syllable rate) with a little noise. */
function voiceLike(samples: number, seed: number): Float32Array {
  const out = new Float32Array(samples);
  let r = seed;
  for (let i = 0; i < samples; i++) {
    r = (r * 1103515245 + 12345) % 2147483648;
    const t = i / 16000;
    out[i] = (0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t + seed)) * 0.3 * Math.sin(2 * Math.PI * 150 * t) + 0.05 * (r / 2147483648 - 0.5);
  }
  return out;
}

describe('graph optimisation per model kind', () => {
  it('the VAD opens without it, every video model with all of it', async () => {
    const vad = (await svc.session('silero-vad')) as PooledSession;
    expect(vad.graphOptimization).toBe('disabled');
    expect(graphOptimizationFor('vad')).toBe('disabled');
    for (const kind of ['s2v', 'a2v', 'face', 'audio'] as const) expect(graphOptimizationFor(kind)).toBe('all');
  }, 60_000);

  it('the VAD worker started before the CLI has loaded opens the same way, so the analysis adopts it', () => {
    const early = preloadEarly('silero-vad') as PooledSession | undefined;
    if (early) opened.push(early);
    // CPU-only machine (where this suite runs): the early pool exists.
    expect(early?.graphOptimization).toBe('disabled');
  });

  it("Silero's probabilities are bit-identical with and without it (so the analysis does not change)", async () => {
    const [file] = [(await svc.registry.verifiedPath('silero-vad'))];
    const layout = { frame: 512, context: 64, warmFrames: 8, rate: 16000 };
    const rows = [64, 40, 64, 12].map((frames, i) => ({ frames, data: voiceLike((layout.warmFrames + frames) * layout.frame + layout.context, i + 1) }));
    const results = [];
    for (const level of ['all', 'disabled'] as const) {
      const s = new PooledSession(file, ['cpu'], 1, 30_000, level);
      opened.push(s);
      await s.ensureWorkers(1);
      results.push(await runSileroBatch(s, rows, layout));
    }
    expect(results[1]).toEqual(results[0]);
    expect(Math.max(...results[0]![0]!) - Math.min(...results[0]![0]!)).toBeGreaterThan(0.01);
  }, 60_000);
});
