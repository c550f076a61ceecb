import { runSync } from '../../test/support/processes.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELD_OUT_VOICES, TRAIN_VOICES } from '../../models/build/bilabial/corpus.js';
import { createInferenceService } from '../inference/index.js';
import { makePhonemeSpeech, phonemeFrames } from '../../test/fixtures/audio/phonemes.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { BILABIAL_SHUT, bilabialAtFps, bilabialProbability } from './bilabial.js';

const FPS = 24;
/**
 * Held out twice: voices the model never heard (HELD_OUT_VOICES) and prose it never saw (it is
 * trained on seeded word strings; several words here — kept, promise, Monday, umbrella, parade,
 * tempo — are not even in its word list).
 */
const HELD_OUT_TEXT = [
  'The poor man kept his promise to bring the maps back by Monday morning.',
  'Bring me the blue umbrella, please; it might rain before the parade.',
  'Every member of the band played a bumpy tempo on the drum.',
];
const inference = createInferenceService();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 's2v-bilabial-'));
});

afterAll(async () => {
  await inference.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function closureShares(voice: string): Promise<{ bilabial: number; other: number; frames: number }> {
  let bil = 0, bilShut = 0, other = 0, otherShut = 0;
  for (const [k, text] of HELD_OUT_TEXT.entries()) {
    const speech = makePhonemeSpeech(dir, text, `${voice}-${k}.wav`, 150, voice);
    const pcm = new Float32Array(runSync(FFMPEG, ['-v', 'error', '-i', speech.path, '-f', 'f32le', '-ac', '1', '-ar', '16000', '-']).buffer.slice(0));
    const frames = Math.floor(speech.durationSec * FPS);
    const shut = bilabialAtFps(await bilabialProbability(pcm, inference), FPS, frames);
    phonemeFrames(speech, FPS, frames).forEach((f, i) => {
      if (f.viseme === 'PP') { bil++; if (shut[i]! >= BILABIAL_SHUT) bilShut++; }
      else if (f.viseme !== 'sil') { other++; if (shut[i]! >= BILABIAL_SHUT) otherShut++; }
    });
  }
  return { bilabial: bilShut / bil, other: otherShut / other, frames: bil };
}

describe('bilabial closure heard from the voice', () => {
  it('the held-out voices and sentences were never trained on', () => {
    for (const v of HELD_OUT_VOICES) expect(TRAIN_VOICES).not.toContain(v);
  });

  it.each(HELD_OUT_VOICES.map((v) => [v]))('voice %s (held out), held-out prose: lips shut on ≥ 0.8 of p/b/m frames and ≤ 0.08 of other speech frames', async (voice) => {
    const r = await closureShares(voice);
    console.log(`${voice}: shut on ${(100 * r.bilabial).toFixed(1)} % of ${r.frames} p/b/m frames, ${(100 * r.other).toFixed(1)} % of other speech frames`);
    expect(r.frames).toBeGreaterThan(30);
    expect(r.bilabial).toBeGreaterThanOrEqual(0.8);
    expect(r.other).toBeLessThanOrEqual(0.08);
  }, 120_000);

  it('a closure shorter than a video frame, heard between two frame times, still shuts the nearest frame', () => {
    const prob = new Float32Array(100); // 1 s at 100 Hz
    prob[52] = 0.9; // 0.52 s: frames at 24 fps sample 0.50 and 0.5417 s (indices 50 and 54)
    const out = bilabialAtFps(prob, FPS, 24);
    expect(out[12]).toBeCloseTo(0.9); // round(0.52 · 24) = 12
    expect([...out].filter((p) => p >= BILABIAL_SHUT)).toHaveLength(1);
  });

  it('a closure a frame time already samples adds no extra frame', () => {
    const prob = new Float32Array(100);
    prob.fill(0.8, 49, 56); // 0.49–0.55 s: frames 12 (0.50 s) and 13 (0.5417 s) sample it
    const out = bilabialAtFps(prob, FPS, 24);
    expect([...out].map((p, i) => (p >= BILABIAL_SHUT ? i : -1)).filter((i) => i >= 0)).toEqual([12, 13]);
  });
});
