import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runSync } from '../../test/support/processes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhonemeSpeech, phonemeFrames, type PhonemeSpeech } from '../../test/fixtures/audio/phonemes.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { createInferenceService } from '../inference/index.js';
import { bilabialAtFps, bilabialProbability } from './bilabial.js';
import { analyzeVisemes, dominantVisemes, SHAPES, VISEMES, type Viseme } from './visemes.js';

const FPS = 24;
let dir: string;
let speech: PhonemeSpeech;
let pcm: Float32Array;
let frames: number;

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]!; mb += b[i]!; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a[i]! - ma, y = b[i]! - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return sab / Math.sqrt(saa * sbb);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 's2v-visemes-'));
  // Bilabials and open vowels mixed, in a voice the classifier was not trained on (espeak-ng).
  speech = makePhonemeSpeech(dir, 'Papa made a map. Oh, you see a big bubble? Mama bought the apple pie. My baby bear boomed far away, and we watched the moon rise over the bay.');
  pcm = new Float32Array(runSync(FFMPEG, ['-v', 'error', '-i', speech.path, '-f', 'f32le', '-ac', '1', '-ar', '16000', '-']).buffer.slice(0));
  frames = Math.ceil(speech.durationSec * FPS);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Share of frames in `ids` whose lips are pressed shut. */
const pressedShare = (press: Float32Array, ids: number[]) => ids.filter((i) => press[i]! >= 0.5).length / ids.length;

describe('visemes from the voice', () => {
  it('jaw opening follows the spoken phonemes\u2019 openness (r ≥ 0.5 against espeak-ng\u2019s phoneme timings)', () => {
    const track = analyzeVisemes(pcm, FPS, frames);
    const truth = phonemeFrames(speech, FPS, frames).map((f) => SHAPES[f.viseme as Viseme].jaw);
    const r = pearson(track.jaw, truth);
    console.log(`jaw vs phoneme openness: r = ${r.toFixed(3)} over ${frames} frames`);
    expect(r).toBeGreaterThanOrEqual(0.5);
  });

  // headaudio alone hears about a third of espeak-ng's p/b/m frames as PP; the bilabial detector
  // (trained without this voice or these sentences) is what makes the closure hold.
  it('presses the lips shut on ≥ 80 % of p/b/m frames with the bilabial detector, and on ≤ 10 % of other speech frames not just before one', async () => {
    const inference = createInferenceService();
    try {
      const bilabial = bilabialAtFps(await bilabialProbability(pcm, inference), FPS, frames);
      const track = analyzeVisemes(pcm, FPS, frames, { bilabial });
      const without = analyzeVisemes(pcm, FPS, frames);
      const truth = phonemeFrames(speech, FPS, frames);
      const bil = truth.map((f, i) => (f.viseme === 'PP' ? i : -1)).filter((i) => i >= 0);
      const other = truth.map((f, i) => (f.viseme !== 'PP' && f.viseme !== 'sil' ? i : -1)).filter((i) => i >= 0);
      // The frame before a p/b/m may close already (look-ahead: the lips move before the sound).
      const unrelated = other.filter((i) => truth[i + 1]?.viseme !== 'PP');
      console.log(`lips pressed: ${(100 * pressedShare(track.press, bil)).toFixed(0)} % of ${bil.length} bilabial frames (headaudio alone ${(100 * pressedShare(without.press, bil)).toFixed(0)} %), ${(100 * pressedShare(track.press, other)).toFixed(0)} % of ${other.length} other speech frames, ${(100 * pressedShare(track.press, unrelated)).toFixed(0)} % of the ${unrelated.length} not just before a bilabial`);
      expect(bil.length).toBeGreaterThan(10);
      expect(pressedShare(track.press, bil)).toBeGreaterThanOrEqual(0.8);
      expect(pressedShare(track.press, unrelated)).toBeLessThanOrEqual(0.1);
    } finally {
      await inference.dispose();
    }
  }, 60_000);

  it('rows are distributions, a second of silence is sil, and the names are the Oculus set', () => {
    const withPause = new Float32Array(pcm.length + 16000);
    withPause.set(pcm, 16000);
    const n = frames + FPS;
    const track = analyzeVisemes(withPause, FPS, n);
    expect([...track.names]).toEqual(['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'I', 'O', 'U']);
    for (let i = 0; i < n; i++) {
      const row = track.weights.subarray(i * VISEMES.length, (i + 1) * VISEMES.length);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    const dom = dominantVisemes(track);
    expect(dom.slice(0, FPS - 3).every((v) => v === 'sil')).toBe(true);
    expect(new Set(dom.slice(FPS)).size).toBeGreaterThanOrEqual(6);
  });
});
