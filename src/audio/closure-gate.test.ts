/**
 * The performer's lips shut for p/b/m only while someone speaks: music alone (the demo beat, and a
 * band with a sax lead) keeps the mouth as in silence, and speech over music still closes on its
 * bilabials. Real parts: the Silero VAD and the bilabial detector in onnxruntime, headaudio,
 * espeak-ng speech with phoneme timings, fluidsynth.
 */
import { runSync } from '../../test/support/processes.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderBand } from '../../test/fixtures/audio/band.js';
import { makePhonemeSpeech, phonemeFrames } from '../../test/fixtures/audio/phonemes.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { createInferenceService } from '../inference/index.js';
import { analyzePcm } from './analyze.js';
import { BILABIAL_SHUT, bilabialAtFps, bilabialProbability } from './bilabial.js';
import { curvesAtFps } from './frames.js';
import { closureGate } from './closure-gate.js';
import { shapeVisemes, VISEMES, type VisemeTrack } from './visemes.js';
import { voicedVisemeWeights } from './voiced-visemes.js';

const FPS = 24;
const SR = 16000;
const DEMO_BEAT = path.resolve('graphs/assets/demo-beat.wav');
const inference = createInferenceService();
let dir: string;

const decode = (file: string) => new Float32Array(runSync(FFMPEG, ['-v', 'error', '-i', file, '-f', 'f32le', '-ac', '1', '-ar', String(SR), '-']).buffer.slice(0));
const rms = (x: Float32Array) => Math.sqrt(x.reduce((s, v) => s + v * v, 0) / Math.max(1, x.length));

/**
 * The service's viseme pass (service.ts) and, as before the gate, which frames shut: the
 * detector hearing a closure now or on the next frame.
 */
async function tracks(pcm: Float32Array): Promise<{ gated: VisemeTrack; ungated: (i: number) => boolean; frames: number }> {
  const frames = Math.floor((pcm.length / SR) * FPS);
  const features = await analyzePcm(pcm, { expectedSec: pcm.length / SR, inference });
  const curves = curvesAtFps(features, FPS, frames);
  const bilabial = bilabialAtFps(await bilabialProbability(pcm, inference), FPS, frames);
  const raw = await voicedVisemeWeights(pcm, FPS, frames, curves.vocal!);
  const gated = shapeVisemes(raw, FPS, frames, { vocal: curves.vocal, mouth: curves.mouth, bilabial, speech: features.speech });
  return { gated, ungated: (i) => bilabial[i]! >= BILABIAL_SHUT || (bilabial[i + 1] ?? 0) >= BILABIAL_SHUT, frames };
}

const shut = (t: VisemeTrack, i: number) => t.press[i]! >= 0.5;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 's2v-closure-gate-'));
});

afterAll(async () => {
  await inference.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('lip closures gated by the voice', () => {
  it.each([
    ['the demo beat', () => DEMO_BEAT],
    ['a band with a sax lead', () => renderBand(dir, { seconds: 16, bpm: 100, seed: 3, lead: 65 })],
  ])('music alone (%s): the lips never press shut, though the detector alone hears closures in it', async (_, file) => {
    const { gated, ungated, frames } = await tracks(decode(file()));
    const count = (isShut: (i: number) => boolean) => Array.from({ length: frames }, (_, i) => i).filter(isShut).length;
    const before = count(ungated), after = count((i) => shut(gated, i));
    console.log(`music alone: ${before} of ${frames} frames shut without the gate, ${after} with it`);
    // Without the gate this music closes the lips (so the check below can fail).
    expect(before).toBeGreaterThan(frames * 0.05);
    expect(after).toBe(0);
  }, 180_000);

  it('speech 6 dB over the demo beat: lips shut on ≥ 80 % of p/b/m frames, on no more other speech frames than without the gate, and not in the music around it', async () => {
    const beat = decode(DEMO_BEAT);
    const sentences = ['The poor man kept his promise to bring the maps back by Monday morning.', 'Bring me the blue umbrella, please; it might rain before the parade.'];
    const tally = { bil: 0, bilShut: 0, other: 0, otherGated: 0, otherUngated: 0, unrelated: 0, unrelatedGated: 0, unrelatedUngated: 0, music: 0, musicGated: 0, musicUngated: 0 };
    for (const [k, text] of sentences.entries()) {
      const speech = makePhonemeSpeech(dir, text, `speech-${k}.wav`);
      const voice = decode(speech.path);
      // 2 s of music, the sentence over it, 2 s of music.
      const at = 2 * SR;
      const mix = beat.slice(0, at + voice.length + 2 * SR);
      const gain = (rms(mix) / rms(voice)) * 10 ** (6 / 20);
      for (let i = 0; i < voice.length; i++) mix[at + i]! += gain * voice[i]!;
      const { gated, ungated, frames } = await tracks(mix);
      const truth = phonemeFrames(speech, FPS, frames);
      for (let i = 0; i < frames; i++) {
        const j = i - 2 * FPS;
        const v = j >= 0 && j < truth.length ? truth[j]!.viseme : 'sil';
        const outside = j < 0 || j >= Math.floor(speech.durationSec * FPS);
        if (v === 'PP') { tally.bil++; tally.bilShut += +shut(gated, i); }
        else if (v !== 'sil') {
          tally.other++; tally.otherGated += +shut(gated, i); tally.otherUngated += +ungated(i);
          // The frame before a p/b/m may close already (look-ahead); the rest are false closures.
          if (truth[j + 1]?.viseme !== 'PP') { tally.unrelated++; tally.unrelatedGated += +shut(gated, i); tally.unrelatedUngated += +ungated(i); }
        }
        else if (outside) { tally.music++; tally.musicGated += +shut(gated, i); tally.musicUngated += +ungated(i); }
      }
    }
    const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)} %`;
    console.log(`speech 6 dB over the demo beat: p/b/m shut ${pct(tally.bilShut, tally.bil)} of ${tally.bil}; other speech frames shut ${pct(tally.otherGated, tally.other)} gated vs ${pct(tally.otherUngated, tally.other)} ungated (${tally.other}), of those not just before one ${pct(tally.unrelatedGated, tally.unrelated)} vs ${pct(tally.unrelatedUngated, tally.unrelated)}; music around it shut ${pct(tally.musicGated, tally.music)} vs ${pct(tally.musicUngated, tally.music)} (${tally.music})`);
    expect(tally.bil).toBeGreaterThan(20);
    expect(tally.bilShut / tally.bil).toBeGreaterThanOrEqual(0.8);
    expect(tally.otherGated).toBeLessThanOrEqual(tally.otherUngated);
    expect(tally.unrelatedGated).toBeLessThanOrEqual(tally.unrelatedUngated);
    expect(tally.musicUngated / tally.music).toBeGreaterThan(0.3);
    expect(tally.musicGated / tally.music).toBeLessThanOrEqual(0.05);
  }, 180_000);

  it('a VAD dip under 0.6 s inside a sentence still lets the lips shut; a longer pause, or no voice within 125 ms, does not', () => {
    const K = VISEMES.length;
    const frames = 6 * FPS;
    // Voice (non-silence weight 0.3, as where Silero is unsure) everywhere but frames 100–109.
    const gated = new Float32Array(frames * K);
    for (let i = 0; i < frames; i++) { gated[i * K] = i >= 100 && i < 110 ? 1 : 0.7; gated[i * K + 10] = 1 - gated[i * K]!; }
    const gate = closureGate(gated, K, FPS, frames, [[1, 1.88], [2.43, 3.5], [4.2, 5]]);
    expect(gate[Math.round(2.08 * FPS)]).toBe(1); // in the 0.55 s gap ("Papa made a map")
    expect(gate[Math.round(3.85 * FPS)]).toBe(0); // in the 0.7 s gap: a pause
    expect(gate[Math.round(0.5 * FPS)]).toBe(0); // before any speech
    expect(gate[104]).toBe(0); // 4.33 s: in a span, but 5 silent frames either side
    expect(gate[101]).toBe(1); // 1 frame into the silence: voice 2 frames away
  });
});
