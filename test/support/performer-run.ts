/**
 * One measured performer render, shared by test/integration/performer.test.ts and
 * `npm run bench -- performer`: espeak-ng speech with phoneme timings between silences of known
 * length, the shipped portrait, the Video Model node on real services (onnxruntime, ffmpeg),
 * and every frame captured for the metrics in performer-metrics.ts.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { AudioValue, ImageValue, Services } from '../../src/engine/index.js';
import { videoModelNode } from '../../nodes/video-model/video-model.node.js';
import { SHAPES, type Viseme } from '../../src/audio/visemes.js';
import { makePhonemeSpeech, visemeOfPhoneme } from '../fixtures/audio/phonemes.js';
import { PORTRAIT } from '../fixtures/images/faces.js';
import { capturing, innerMouth, mouthBoxOf, mouthMotion, mouthOpening, pearson, upperFaceBox, upperFaceDeparture, type PerformerCapture } from './performer-metrics.js';
import { recordingContext } from './node-context.js';

export const SENTENCES = [
  'Papa made a map. Oh, you see a big bubble?',
  'Mama bought the apple pie, and we watched the moon rise over the bay.',
];

export interface PerformerRun {
  durationSec: number;
  frames: number;
  renderSeconds: number;
  warnings: string[];
  /** Share of frames whose upper face departs from its median by > 15 grey levels (256 px). */
  upperFaceOver15: number;
  upperFaceMax: number;
  /** Mean mouth-box motion in speech vs silence. */
  motionSpeech: number;
  motionSilence: number;
  /** Rendered mouth opening (inner-mouth pixels) vs the phonemes' openness (espeak-ng timings). */
  openingR: number;
  /** Share of p/b/m frames with the lips shut (no more inner mouth showing than in silence), and of other speech frames. */
  closedOnBilabials: number;
  closedOnOther: number;
  bilabialFrames: number;
  /** Median rendered opening (inner-mouth share of the mouth box) on p/b/m frames and on open-vowel (aa, O, E) frames. */
  openingBilabial: number;
  openingOpenVowel: number;
  /** Median share of mouth-box pixels changed from rest (head motion aligned away) on p/b/m frames and in silence: the lips pressing, not parting. */
  changedBilabial: number;
  changedSilence: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;

/** `dir`: a scratch folder (kept by the caller). `voice`: the espeak-ng voice that speaks (all held out of the bilabial detector's training). */
export async function runPerformer(services: Services, dir: string, size = 512, fps = 24, voice = 'en'): Promise<PerformerRun> {
  // [1 s silence] sentence [1.2 s] sentence [1 s]: phoneme times shifted by where each part starts.
  const parts: Array<number | string> = [1, SENTENCES[0]!, 1.2, SENTENCES[1]!, 1];
  const files: string[] = [];
  const phonemes: Array<{ t: number; phoneme: string }> = [];
  const speech: Array<[number, number]> = [];
  const silences: Array<[number, number]> = [];
  let t = 0;
  for (const [i, p] of parts.entries()) {
    if (typeof p === 'number') {
      const f = path.join(dir, `sil${i}.wav`);
      execFileSync('sox', ['-n', '-r', '22050', '-c', '1', '-b', '16', f, 'trim', '0', String(p)]);
      files.push(f);
      silences.push([t, t + p]);
      t += p;
    } else {
      const s = makePhonemeSpeech(dir, p, `speech${i}.wav`, 150, voice);
      files.push(s.path);
      for (const ph of s.phonemes) phonemes.push({ t: t + ph.t, phoneme: ph.phoneme });
      speech.push([t, t + s.durationSec]);
      t += s.durationSec;
    }
  }
  const wav = path.join(dir, 'performer-speech.wav');
  execFileSync('sox', [...files, wav]);
  const probe = await services.media.probe(wav);
  const audio: AudioValue = { kind: 'audio', path: wav, durationSec: probe.durationSec, sampleRate: probe.audio!.sampleRate, channels: probe.audio!.channels };
  const features = await services.audio.analyze(audio, {});
  const image: ImageValue = { kind: 'image', path: PORTRAIT, width: 512, height: 600 };
  const rgb = await services.media.decodeImage(PORTRAIT, { width: size, height: size, fit: 'fill' });
  const face = (await services.inference.detectFaces!(rgb))[0];
  if (!face?.landmarks) throw new Error('no face with landmarks in the portrait');
  const cap: PerformerCapture = { width: 0, height: 0, grey: [], mouth: [] };
  const { ctx, warnings } = recordingContext({ services: capturing(services, mouthBoxOf(face.landmarks, size, size), cap), nodeId: 'model', nodeType: 'video-model', dir });
  const params = videoModelNode.params.parse({ model: 'performer', width: size, height: size, fps });
  const t0 = performance.now();
  const { video } = await videoModelNode.evaluate({ inputs: { image, audio, features, prompt: '' }, params, ctx });
  const renderSeconds = (performance.now() - t0) / 1000;

  const frames = video.frames;
  const dep = upperFaceDeparture(cap, upperFaceBox(face.landmarks, size));
  const motion = mouthMotion(cap);
  const within = (spans: Array<[number, number]>, i: number) => spans.some(([a, b]) => i / fps >= a + 0.1 && i / fps < b - 0.1);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const truth: string[] = [];
  for (let i = 0, k = -1; i < frames; i++) {
    while (k + 1 < phonemes.length && phonemes[k + 1]!.t <= i / fps) k++;
    truth.push(k >= 0 ? visemeOfPhoneme(phonemes[k]!.phoneme) : 'sil');
  }
  const rest = Math.round(0.5 * fps); // half a second into the first silence
  const box = mouthBoxOf(face.landmarks, size, size);
  const opening = innerMouth(cap, rest, box);
  const changed = mouthOpening(cap, rest, box);
  // "Shut" = no more of the inside of the mouth shows than in silence (its 95th percentile, +0.2 % of the box).
  const quiet = opening.filter((_, i) => within(silences, i)).sort((a, b) => a - b);
  const shutBelow = (quiet[Math.floor(quiet.length * 0.95)] ?? 0) + 0.002;
  const isShut = (i: number) => opening[i]! <= shutBelow;
  const bil = truth.map((v, i) => (v === 'PP' ? i : -1)).filter((i) => i >= 0);
  const other = truth.map((v, i) => (v !== 'PP' && v !== 'sil' ? i : -1)).filter((i) => i >= 0);
  return {
    durationSec: audio.durationSec, frames, renderSeconds, warnings,
    upperFaceOver15: dep.filter((d) => d > 15).length / frames,
    upperFaceMax: Math.max(...dep),
    motionSpeech: avg(motion.filter((_, i) => within(speech, i))),
    motionSilence: avg(motion.filter((_, i) => within(silences, i))),
    openingR: pearson(opening, truth.map((v) => SHAPES[v as Viseme].jaw)),
    closedOnBilabials: bil.filter(isShut).length / bil.length,
    closedOnOther: other.filter(isShut).length / other.length,
    bilabialFrames: bil.length,
    openingBilabial: median(bil.map((i) => opening[i]!)),
    openingOpenVowel: median(truth.map((v, i) => (['aa', 'O', 'E'].includes(v) ? opening[i]! : -1)).filter((x) => x >= 0)),
    changedBilabial: median(bil.map((i) => changed[i]!)),
    changedSilence: median(changed.filter((_, i) => within(silences, i))),
  };
}
