import { afterAll, describe, expect, it } from 'vitest';
import { createInferenceService } from '../inference/index.js';
import { BatchedVad, VAD_FRAME, VAD_MODEL } from './voice-activity.js';
import { HalfBandDecimator } from './half-band.js';
import { speechSpans, vadToCurve } from './vocal.js';
import { rng, tone } from '../../test/fixtures/audio/synth.js';

const inference = createInferenceService();
const silero = () => inference.session(VAD_MODEL);
afterAll(() => inference.dispose());

const rms = (a: Float32Array, from = 0) => Math.sqrt(a.subarray(from).reduce((s, v) => s + v * v, 0) / (a.length - from));

describe('VAD fast path', () => {
  it('decimates 16 → 8 kHz: keeps speech-band tones, removes what would alias', () => {
    const pass = new HalfBandDecimator().process(tone({ freq: 1000, durationSec: 0.5, amp: 0.5 }));
    const stop = new HalfBandDecimator().process(tone({ freq: 6500, durationSec: 0.5, amp: 0.5 }));
    expect(pass.length).toBe(4000);
    expect(rms(pass, 100) / (0.5 / Math.SQRT2)).toBeGreaterThan(0.97);
    expect(rms(pass, 100) / (0.5 / Math.SQRT2)).toBeLessThan(1.03);
    expect(20 * Math.log10(rms(stop, 100) / (0.5 / Math.SQRT2))).toBeLessThan(-30);
  });

  it('decimates the same in odd chunks as in one piece', () => {
    const noise = rng(5);
    const x = Float32Array.from({ length: 10001 }, () => noise());
    const whole = new HalfBandDecimator().process(x);
    const d = new HalfBandDecimator();
    const parts: number[] = [];
    for (let i = 0; i < x.length; i += 777) parts.push(...d.process(x.subarray(i, i + 777)));
    expect(parts.length).toBe(whole.length);
    parts.forEach((v, i) => expect(v).toBeCloseTo(whole[i]!, 6));
  });

  it('skips segments far below speech level without running the model, and covers every sample', async () => {
    const sr = 16000;
    const noise = rng(7);
    // 2.2 s at about −75 dBFS, then a −20 dBFS tone; odd length so the tail is a short segment.
    const pcm = new Float32Array(Math.round(3.7 * sr) + 123);
    for (let i = 0; i < pcm.length; i++) pcm[i] = i < 2.2 * sr ? 3e-4 * noise() : 0.1 * Math.sin((2 * Math.PI * 300 * i) / sr);
    const vad = new BatchedVad(silero, { segmentFrames: 32, batch: 8 });
    await vad.push(pcm);
    const probs = await vad.finish();
    expect(probs.length).toBe(Math.ceil(pcm.length / VAD_FRAME));
    expect(vad.skipped).toBe(2);
    expect(vad.calls).toBeGreaterThan(0);
    expect(Math.max(...probs.subarray(0, 64))).toBe(0);
  });

  it('both model rates cover every sample and do not take a tone for speech', async () => {
    const pcm = tone({ freq: 440, durationSec: 2.5, amp: 0.3 }).subarray(0, 40000 - 77);
    for (const modelRate of [8000, 16000] as const) {
      const vad = new BatchedVad(silero, { modelRate, segmentFrames: 32 });
      await vad.push(pcm);
      const p = await vad.finish();
      expect(p.length).toBe(Math.ceil(pcm.length / VAD_FRAME));
      // The tone's first 32 ms frame, a step out of digital silence, may read high (0.8 at 16 kHz once
      // held notes are out: the step is all that moves); every frame after it must not, and no span may come of it.
      expect(Math.max(...p.subarray(1))).toBeLessThan(0.5);
      expect(speechSpans(vadToCurve(p, VAD_FRAME / 16000, 100, 250), 100)).toEqual([]);
    }
  });
});
