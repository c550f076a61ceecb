import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaService } from '../media/index.js';
import { createInferenceService } from '../inference/index.js';
import { analyzePcm } from './analyze.js';
import { curvesAtFps } from './frames.js';
import { classifyVisemes, shapeVisemes, VISEMES } from './visemes.js';
import { voicedFromWhole, voicedVisemeWeights } from './voiced-visemes.js';
import { makeSpeech } from '../../test/fixtures/audio/speech.js';
import { tone } from '../../test/fixtures/audio/synth.js';
import { useTempDir } from '../../test/support/temp-dir.js';

const inference = createInferenceService();
afterAll(() => inference.dispose());
const tmp = useTempDir('s2v-voiced-visemes-', 'all');
let pcm: Float32Array;
let vocal: Float32Array;
let mouth: Float32Array;
const FPS = 24;
let frames: number;

beforeAll(async () => {
  // A held chord throughout, two sentences over it: voiced runs with music-only stretches between.
  const fx = makeSpeech(tmp(), [12, 'Papa made a map for the boat.', 3, 'Mama bought the apple pie.', 12]);
  const speech = await createMediaService().decodeAudio(fx.path, { sampleRate: 16000, channels: 1 });
  const chord = [220, 277, 330].map((freq) => tone({ freq, durationSec: speech.length / 16000 + 0.1, amp: 0.04, sampleRate: 16000 }));
  pcm = Float32Array.from(speech, (v, i) => v + chord[0]![i]! + chord[1]![i]! + chord[2]![i]!);
  const features = await analyzePcm(pcm, { inference });
  frames = Math.floor((pcm.length / 16000) * FPS);
  const curves = curvesAtFps(features, FPS, frames);
  vocal = curves.vocal!;
  mouth = curves.mouth!;
}, 60_000);

describe('visemes only where the voice is', () => {
  it('gives every voiced frame the weights a pass over the whole file gives, and the same mouth track', async () => {
    const K = VISEMES.length;
    const voiced = vocal.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
    // The fixture must exercise both: frames with voice and frames the classifier is spared.
    expect(voiced).toBeGreaterThan(0.2 * frames);
    expect(voiced).toBeLessThan(0.9 * frames);
    const whole = classifyVisemes(pcm, FPS, frames);
    const part = await voicedVisemeWeights(pcm, FPS, frames, vocal);
    for (let i = 0; i < frames; i++) {
      for (let k = 0; k < K; k++) {
        const want = vocal[i]! > 0 ? whole[i * K + k]! : k === 0 ? 1 : 0;
        expect(part[i * K + k], `frame ${i} ${VISEMES[k]}`).toBeCloseTo(want, 6);
      }
    }
    const a = shapeVisemes(whole, FPS, frames, { vocal, mouth });
    const b = shapeVisemes(part, FPS, frames, { vocal, mouth });
    for (let i = 0; i < frames * K; i++) expect(b.weights[i]).toBeCloseTo(a.weights[i]!, 6);
    for (let i = 0; i < frames; i++) expect(b.jaw[i]).toBeCloseTo(a.jaw[i]!, 6);
  });

  it('a pass over the whole file, kept only on the voiced runs, is exactly what classifying the runs gives (so it can start before the voice is known)', async () => {
    const whole = classifyVisemes(pcm, FPS, frames);
    expect(voicedFromWhole(whole, FPS, frames, vocal)).toEqual(await voicedVisemeWeights(pcm, FPS, frames, vocal));
    const n = Math.floor((pcm.length / 16000) * 29.97);
    const v = new Float32Array(n).fill(0);
    v.fill(1, Math.round(3 * 29.97), Math.round(6 * 29.97));
    expect(voicedFromWhole(classifyVisemes(pcm, 29.97, n), 29.97, n, v)).toEqual(await voicedVisemeWeights(pcm, 29.97, n, v));
  });

  it('at an fps with no exact cut nearby (29.97) it classifies the whole file', async () => {
    const n = Math.floor((pcm.length / 16000) * 29.97);
    const v = new Float32Array(n).fill(0);
    v.fill(1, Math.round(3 * 29.97), Math.round(6 * 29.97));
    expect(await voicedVisemeWeights(pcm, 29.97, n, v)).toEqual(classifyVisemes(pcm, 29.97, n));
  });
});
