import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaService } from '../media/index.js';
import { createInferenceService } from '../inference/index.js';
import { BatchedVad, detectVoice as detect, VAD_FRAME, VAD_MODEL, VAD_SAMPLE_RATE, type VadOptions } from './voice-activity.js';
import { SyllabicGate } from './syllabic-gate.js';
import { makeSpeech, type SpeechFixture } from '../../test/fixtures/audio/speech.js';
import { rng, tone } from '../../test/fixtures/audio/synth.js';
import { analyzePcm } from './analyze.js';
import { createAudioService } from './service.js';
import type { InferenceService } from '../engine/index.js';

let dir: string;
let fx: SpeechFixture;
let pcm: Float32Array;
const inference = createInferenceService();
const silero = () => inference.session(VAD_MODEL);
const detectVoice = (x: Float32Array, opts?: VadOptions) => detect(silero, x, opts);
afterAll(() => inference.dispose());

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's2v-vad-'));
  fx = makeSpeech(dir, [1.0, 'The quick brown fox jumps over the lazy dog.', 1.5, 'Sound becomes moving pictures.', 2.0, 'One two three four five.', 1.0]);
  pcm = await createMediaService().decodeAudio(fx.path, { sampleRate: VAD_SAMPLE_RATE, channels: 1 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Fraction of VAD frames inside `spans` (shrunk by `margin` s at each end) that are ≥ 0.5. */
function rate(probs: Float32Array, spans: Array<[number, number]>, margin: number): number {
  let hit = 0;
  let n = 0;
  const sec = VAD_FRAME / VAD_SAMPLE_RATE;
  probs.forEach((p, j) => {
    const t = (j + 0.5) * sec;
    if (spans.some(([a, b]) => t >= a + margin && t < b - margin)) {
      n++;
      if (p >= 0.5) hit++;
    }
  });
  return hit / n;
}

describe('Silero VAD (batched)', () => {
  it('runs through the inference service: the audio service asks it for the silero-vad session', async () => {
    const asked: string[] = [];
    const watched: InferenceService = { ...inference, session: (id, file, o) => (asked.push(id), inference.session(id, file, o)) };
    const audio = createAudioService({ media: createMediaService(), inference: watched });
    const f = await audio.analyze({ kind: 'audio', path: fx.path, durationSec: pcm.length / VAD_SAMPLE_RATE, sampleRate: fx.sampleRate, channels: 1 }, {});
    expect(asked).toEqual([VAD_MODEL]);
    expect(f.speech.length).toBeGreaterThanOrEqual(3);
    // Analysis without the service (and with the VAD on) is refused in one line, not run without a VAD.
    await expect(analyzePcm(pcm)).rejects.toMatchObject({ code: 'E111', message: expect.stringMatching(/inference service/) });
  });

  it('detects ≥ 90 % of espeak speech frames and flags ≤ 5 % of silence frames', async () => {
    // Small segments so the 8 s file spans several segments and a batch of them.
    const probs = await detectVoice(pcm, { segmentFrames: 32, batch: 4 });
    expect(probs.length).toBe(Math.ceil(pcm.length / VAD_FRAME));
    const detected = rate(probs, fx.speech, 0);
    const falseAlarm = rate(probs, fx.silences, 0);
    expect(detected).toBeGreaterThanOrEqual(0.9);
    expect(falseAlarm).toBeLessThanOrEqual(0.05);
  });

  it('gives the same answer streamed in odd chunks as in one call', async () => {
    const whole = await detectVoice(pcm, { segmentFrames: 32, batch: 4 });
    const vad = new BatchedVad(silero, { segmentFrames: 32, batch: 4 });
    for (let i = 0; i < pcm.length; i += 7777) await vad.push(pcm.subarray(i, i + 7777));
    const streamed = await vad.finish();
    expect(streamed.length).toBe(whole.length);
    for (let j = 0; j < whole.length; j++) expect(streamed[j]).toBeCloseTo(whole[j]!, 4);
  });

  it('skips the model on sustained music but still finds speech mixed over the same music', async () => {
    // A pad: a chord with slow swells and a little noise, as loud as the speech.
    const noise = rng(3);
    const sr = VAD_SAMPLE_RATE;
    const pad = Float32Array.from({ length: pcm.length }, (_, i) => {
      const t = i / sr;
      const swell = 0.6 + 0.4 * Math.sin(2 * Math.PI * 0.3 * t);
      return swell * 0.05 * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277 * t) + Math.sin(2 * Math.PI * 330 * t)) + 0.005 * noise();
    });
    const alone = new BatchedVad(silero, { segmentFrames: 64 });
    await alone.push(pad);
    const padProbs = await alone.finish();
    expect(alone.gated).toBeGreaterThan(0);
    expect(alone.calls).toBe(0);
    expect(Math.max(...padProbs)).toBe(0);

    const mixed = Float32Array.from(pcm, (v, i) => v + pad[i]!);
    const vad = new BatchedVad(silero, { segmentFrames: 64 });
    await vad.push(mixed);
    const probs = await vad.finish();
    expect(vad.calls).toBeGreaterThan(0);
    expect(rate(probs, fx.speech, 0.1)).toBeGreaterThanOrEqual(0.85);
    // Precision too: the music alone between the sentences is not called speech.
    expect(rate(probs, fx.silences, 0.1)).toBeLessThanOrEqual(0.05);
  });

  it('the syllabic gate reads deep 4 Hz loudness modulation in the voice band, not a steady tone or a slow swell', () => {
    const sr = 8000;
    const gate = new SyllabicGate(sr, 3);
    const am = (rateHz: number) =>
      Float32Array.from({ length: 3 * sr }, (_, i) => (0.55 + 0.45 * Math.sin((2 * Math.PI * rateHz * i) / sr)) * 0.2 * Math.sin((2 * Math.PI * 1000 * i) / sr));
    expect(gate.maxDepthDb(am(4))).toBeGreaterThan(6);
    expect(gate.speechLike(am(4))).toBe(true);
    expect(gate.maxDepthDb(am(0.3))).toBeLessThan(2);
    expect(gate.maxDepthDb(tone({ freq: 1000, durationSec: 3, amp: 0.2, sampleRate: sr }))).toBeLessThan(0.5);
    // A bass pulsing at 4 Hz under a steady voice-band tone: the bass is 10× louder, but
    // below 300 Hz, so the gate hears the steady tone.
    const steady = tone({ freq: 1000, durationSec: 3, amp: 0.05, sampleRate: sr });
    const bassBeat = Float32Array.from(steady, (v, i) => v + (0.55 + 0.45 * Math.sin((2 * Math.PI * 4 * i) / sr)) * 0.5 * Math.sin((2 * Math.PI * 50 * i) / sr));
    expect(gate.maxDepthDb(bassBeat)).toBeLessThan(1.5);
  });

  it('long segments run in batches bounded in samples (8 rows of them, not 64), with the same probabilities as one batch of all', async () => {
    // 25 × the fixture ≈ 5 minutes: ~60 segments of 160 frames (what a file over 131 s gets).
    const long = new Float32Array(pcm.length * 25);
    for (let i = 0; i < 25; i++) long.set(pcm, i * pcm.length);
    const rows: number[] = [];
    const counting = async () => {
      const s = await silero();
      return { ...s, run: s.run.bind(s), runSteps: (req: Parameters<NonNullable<typeof s.runSteps>>[0], sig?: AbortSignal) => (rows.push(req.input.rows[0]!), s.runSteps!(req, sig)) };
    };
    const bounded = await detect(counting, long, { segmentFrames: 160, syllabicGateDb: 0 });
    expect(Math.max(...rows)).toBeLessThanOrEqual(8);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const one = await detectVoice(long, { segmentFrames: 160, syllabicGateDb: 0, batch: 64 });
    expect(Array.from(bounded)).toEqual(Array.from(one));
  }, 60_000);

  it('sends each batch to the model once its last segment is known, while the audio streams in, with the probabilities of one call for all', async () => {
    // Speech, then the same speech under a pad, then silence: segments that run, gated ones and quiet ones.
    const noise = rng(5);
    const mix = new Float32Array(pcm.length * 2 + VAD_SAMPLE_RATE * 3);
    mix.set(pcm);
    for (let i = 0; i < pcm.length; i++) mix[pcm.length + i] = pcm[i]! + 0.1 * Math.sin((2 * Math.PI * 220 * i) / VAD_SAMPLE_RATE) + 0.004 * noise();
    // The session opened beforehand: when calls go out then depends on the VAD alone, not on
    // how soon the registry's check of the model file gets its turn on a busy machine.
    const s = await silero();
    for (const [segmentFrames, batch] of [[32, 16], [32, 5], [16, 16]] as const) {
      let finishing = false;
      let before = 0;
      let pushed = 0;
      let pushedAtFirstCall = Infinity;
      const watched = async () => ({
        ...s,
        run: s.run.bind(s),
        runSteps: (req: Parameters<NonNullable<typeof s.runSteps>>[0], sig?: AbortSignal) => {
          // The rows reach the worker in shared memory, not copied into the message.
          expect(req.input.sources!.rows.every((r) => r.buffer instanceof SharedArrayBuffer)).toBe(true);
          expect(req.input.rows[0]).toBeLessThanOrEqual(batch);
          pushedAtFirstCall = Math.min(pushedAtFirstCall, pushed);
          if (!finishing) before++;
          return s.runSteps!(req, sig);
        },
      });
      const whole = await detectVoice(mix, { segmentFrames, batch: 64 });
      const vad = new BatchedVad(watched, { segmentFrames, batch });
      for (let i = 0; i < mix.length; i += 8192) {
        pushed = Math.min(mix.length, i + 8192);
        await vad.push(mix.subarray(i, i + 8192));
        await new Promise((r) => setImmediate(r));
      }
      finishing = true;
      const streamed = await vad.finish();
      const where = `segmentFrames ${segmentFrames}, batch ${batch}`;
      // The first batch went as soon as the segment after it was cut (+ the held-note remover's lag).
      expect(before, where).toBeGreaterThan(0);
      expect(pushedAtFirstCall, where).toBeLessThanOrEqual((batch + 3) * segmentFrames * VAD_FRAME + 8192);
      expect(Buffer.from(streamed.buffer).equals(Buffer.from(whole.buffer)), where).toBe(true);
    }
  }, 120_000);

  it('by default a batch goes to the model in one call, once its last segment is known: a 30 s clip is one call of 15 rows', async () => {
    const rows: number[] = [];
    const s = await silero();
    const watched = async () => ({
      ...s,
      run: s.run.bind(s),
      runSteps: (req: Parameters<NonNullable<typeof s.runSteps>>[0], sig?: AbortSignal) => (rows.push(req.input.rows[0]!), s.runSteps!(req, sig)),
    });
    // Speech throughout (the gate lets every segment run): the 8 s fixture four times over, in 1 s pushes.
    const long = new Float32Array(30 * VAD_SAMPLE_RATE);
    for (let i = 0; i < long.length; i++) long[i] = pcm[i % pcm.length]!;
    const vad = new BatchedVad(watched);
    for (let i = 0; i < long.length; i += VAD_SAMPLE_RATE) await vad.push(long.subarray(i, i + VAD_SAMPLE_RATE));
    const probs = await vad.finish();
    expect(rows).toEqual([15]);
    expect(probs.length).toBe(Math.ceil(long.length / VAD_FRAME));
  });

  it("the analysis hears the model's thread between chunks of a stream that never waits (its rows went only after the decode)", async () => {
    // A session handed out on a later turn of the event loop, as the registry's check of a model
    // file is: a decode whose output is all buffered gives its chunks on microtasks alone.
    let firstCallAt = -1;
    let consumed = 0;
    const s = await silero();
    const late: InferenceService = {
      ...inference,
      session: () =>
        new Promise((resolve) =>
          setTimeout(() =>
            resolve({
              ...s,
              run: s.run.bind(s),
              runSteps: (req: Parameters<NonNullable<typeof s.runSteps>>[0], sig?: AbortSignal) => {
                if (firstCallAt < 0) firstCallAt = consumed;
                return s.runSteps!(req, sig);
              },
            }),
          ),
        ),
    };
    const long = new Float32Array(24 * VAD_SAMPLE_RATE);
    for (let i = 0; i < long.length; i++) long[i] = pcm[i % pcm.length]!;
    async function* chunks() {
      for (let i = 0; i < long.length; i += 32768) {
        consumed = i;
        yield long.subarray(i, i + 32768);
      }
    }
    // Batches of 4 segments: the first is complete after ≈ 10 s of the 24.
    const { analyzePcmStream } = await import('./analyze.js');
    await analyzePcmStream(chunks(), { inference: late, vadOptions: { batch: 4 } });
    expect(firstCallAt).toBeGreaterThan(0);
    expect(firstCallAt).toBeLessThan(long.length / 2);
  });

  it('a cancelled signal stops it with E121 before the model runs', async () => {
    const ac = new AbortController();
    ac.abort();
    const vad = new BatchedVad(silero, { signal: ac.signal, segmentFrames: 32, batch: 4 });
    const e = await vad.push(pcm).then(() => vad.finish()).catch((err: unknown) => err);
    expect(e).toMatchObject({ code: 'E121', message: expect.stringMatching(/cancelled/) });
    expect(vad.calls).toBe(0);
  });

  it('does not take a pure tone for speech', async () => {
    const probs = await detectVoice(tone({ freq: 440, durationSec: 3, amp: 0.3 }));
    expect(Math.max(...probs)).toBeLessThan(0.5);
  });

  it('analysis turns it into speech spans, a gated mouth curve and the synthetic-speech warning', async () => {
    const f = await analyzePcm(pcm, { inference });
    expect(f.speech.length).toBeGreaterThanOrEqual(3);
    for (const [a, b] of fx.speech) expect(f.speech.some(([x, y]) => x < b && y > a)).toBe(true);
    // …and no span is invented: each one overlaps a real sentence, and together they cover
    // at most 5 % of the pauses (0.15 s in from each edge: spans may hang over a little).
    for (const [x, y] of f.speech) expect(fx.speech.some(([a, b]) => x < b && y > a), `span ${x}–${y}`).toBe(true);
    const overlap = (a: number, b: number, x: number, y: number) => Math.max(0, Math.min(b, y) - Math.max(a, x));
    const pauses = fx.silences.map(([a, b]) => [a + 0.15, b - 0.15] as const);
    const flagged = pauses.reduce((s, [a, b]) => s + f.speech.reduce((t, [x, y]) => t + overlap(a, b, x, y), 0), 0);
    const total = pauses.reduce((s, [a, b]) => s + (b - a), 0);
    expect(flagged / total, `${flagged.toFixed(2)} s of ${total.toFixed(2)} s of pauses called speech`).toBeLessThanOrEqual(0.05);
    const mouth = f.curves.mouth!;
    const at = (t: number) => mouth[Math.round(t * 100)]!;
    const [s0, s1] = fx.silences[1]!;
    expect(Math.max(...mouth.slice(Math.round((s0 + 0.3) * 100), Math.round((s1 - 0.1) * 100)))).toBeLessThan(0.05);
    const [a, b] = fx.speech[0]!;
    const open = mouth.slice(Math.round(a * 100), Math.round(b * 100));
    expect(Math.max(...open)).toBeGreaterThan(0.6);
    // It opens and closes within an utterance (syllables), not a flat plateau.
    expect(Math.min(...open.slice(20, -20))).toBeLessThan(0.5 * Math.max(...open));
    expect(at(0.5)).toBe(0);
    expect(f.warnings.join('\n')).toMatch(/synthetic.*freeze/);
  });
});
