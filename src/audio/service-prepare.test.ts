import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhonemeSpeech, type PhonemeSpeech } from '../../test/fixtures/audio/phonemes.js';
import { createMediaService } from '../media/index.js';
import { outcomeSync, runSync } from '../../test/support/processes.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { encodeWav } from '../media/audio.js';
import { drumPattern } from '../../test/fixtures/audio/synth.js';
import { BILABIAL_MODEL, bilabialAtFps, bilabialProbability } from './bilabial.js';
import { shapeVisemes } from './visemes.js';
import { createInferenceService } from '../inference/index.js';
import type { InferenceService, MediaService } from '../engine/index.js';
import { createAudioService } from './service.js';
import { classifyVisemes } from './visemes.js';

let dir: string;
let speech: PhonemeSpeech;
const inference = createInferenceService();

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 's2v-audio-prepare-'));
  speech = makePhonemeSpeech(dir, 'Papa made a map. Mama bought the apple pie.');
});

afterAll(async () => {
  await inference.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The real media service, counting how often it runs ffmpeg to decode audio. */
function countingMedia(): { media: MediaService; decodes: () => number } {
  const real = createMediaService();
  let n = 0;
  const media: MediaService = {
    ...real,
    decodeAudio: (...a) => (n++, real.decodeAudio(...a)),
    decodeAudioStream: (...a) => (n++, real.decodeAudioStream(...a)),
  };
  return { media, decodes: () => n };
}

async function analyzeThenVisemes(ask?: { fps?: number }) {
  const { media, decodes } = countingMedia();
  // The classifier on this thread, noting whether each call came before visemes() was asked.
  let asked = false;
  const calls: boolean[] = [];
  const visemeClassifier = { classify: (pcm: Float32Array, fps: number, frames: number) => (calls.push(asked), Promise.resolve(classifyVisemes(pcm, fps, frames))) };
  const audio = createAudioService({ media, inference, visemeClassifier });
  await audio.prepare!();
  const value = await media.describeAudio(speech.path);
  const features = await audio.analyze(value, { visemes: ask });
  const fps = 24;
  const frames = Math.max(1, Math.ceil(features.durationSec * fps));
  asked = true;
  const visemes = await audio.visemes!(value, features, fps, frames);
  return { features, visemes, decodes: decodes(), classifiedEarly: calls.length > 0 && calls.every((late) => !late) };
}

describe('audio service: an analysis that asks for visemes', () => {
  it('shares one decode with the viseme pass on its features, with exactly the same features and visemes as two decodes', async () => {
    const twice = await analyzeThenVisemes();
    const once = await analyzeThenVisemes({});
    expect(twice.decodes).toBe(2);
    expect(once.decodes).toBe(1);
    expect(twice.classifiedEarly).toBe(false);
    expect(once.features).toEqual(twice.features);
    expect(once.visemes.weights).toEqual(twice.visemes.weights);
    expect(once.visemes.jaw).toEqual(twice.visemes.jaw);
    expect(once.visemes.pitch).toEqual(twice.visemes.pitch);
    // Not a trivially empty track: the bilabial closures of "Papa made a map" are in it.
    expect(Math.max(...once.visemes.press)).toBeGreaterThan(0.9);
  }, 60_000);

  it('given the fps, the classifier runs during the analysis, before visemes() is asked, and the visemes are the same', async () => {
    const late = await analyzeThenVisemes({});
    const early = await analyzeThenVisemes({ fps: 24 });
    expect(late.classifiedEarly).toBe(false);
    expect(early.classifiedEarly).toBe(true);
    expect(early.visemes.weights).toEqual(late.visemes.weights);
    expect(early.visemes.jaw).toEqual(late.visemes.jaw);
  }, 60_000);

  it('what it keeps is its own: two analyses at once each serve their own viseme pass, and prepare() arms nothing for the next analysis', async () => {
    const { media, decodes } = countingMedia();
    const audio = createAudioService({ media, inference });
    await audio.prepare!();
    const value = await media.describeAudio(speech.path);
    // prepare() then an analysis that did not ask (as after a cache hit): nothing kept.
    const plain = await audio.analyze(value, {});
    await audio.visemes!(value, plain, 24, 10);
    expect(decodes()).toBe(2);
    const [a, b] = await Promise.all([audio.analyze(value, { visemes: { fps: 24 } }), audio.analyze(value, { visemes: {} })]);
    const frames = Math.ceil(a.durationSec * 24);
    const [va, vb] = await Promise.all([audio.visemes!(value, a, 24, frames), audio.visemes!(value, b, 24, frames)]);
    expect(decodes()).toBe(4);
    expect(va.weights).toEqual(vb.weights);
  }, 60_000);

  it('audio over the cap is not kept (the analysis stays bounded in memory): its viseme pass decodes again', async () => {
    const { media, decodes } = countingMedia();
    const audio = createAudioService({ media, inference });
    // What the rule looks at first is the probed duration.
    const value = { ...(await media.describeAudio(speech.path)), durationSec: 601 };
    const features = await audio.analyze(value, { visemes: {} });
    await audio.visemes!(value, features, 24, 10);
    expect(decodes()).toBe(2);
  }, 60_000);

  it('a file longer than its header says is capped on the samples decoded, not on the probed duration', async () => {
    // A VBR MP3 without a Xing header: ffprobe estimates 3.6 s from the loud first second's
    // bitrate; it decodes to 9.3 s.
    const file = path.join(dir, 'lying.mp3');
    const made = outcomeSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'anoisesrc=d=1:a=0.5,apad=pad_len=396900', '-ar', '44100', '-ac', '2', '-c:a', 'libmp3lame', '-q:a', '0', '-write_xing', '0', file]);
    expect(made.code, made.stderr).toBe(0);
    const { media, decodes } = countingMedia();
    const value = await media.describeAudio(file);
    expect(value.durationSec).toBeLessThan(5);
    const capped = createAudioService({ media, inference, keepPcmMaxSec: 6 });
    const features = await capped.analyze(value, { visemes: {} });
    expect(features.durationSec).toBeGreaterThan(9);
    await capped.visemes!(value, features, 24, 10);
    expect(decodes()).toBe(2);
    // Under the cap, the same file is kept.
    const roomy = createAudioService({ media, inference, keepPcmMaxSec: 12 });
    await roomy.visemes!(value, await roomy.analyze(value, { visemes: {} }), 24, 10);
    expect(decodes()).toBe(3);
  }, 60_000);

  it('the kept audio serves only the next viseme pass on those features: a second pass decodes again', async () => {
    const { media, decodes } = countingMedia();
    const audio = createAudioService({ media, inference });
    const value = await media.describeAudio(speech.path);
    const features = await audio.analyze(value, { visemes: {} });
    await audio.visemes!(value, features, 24, 10);
    expect(decodes()).toBe(1);
    await audio.visemes!(value, features, 24, 10);
    expect(decodes()).toBe(2);
  }, 60_000);

  it('frames no voiced run reaches are not classified once the voice is known (the thread\u2019s later parts, the calling thread\u2019s share), and the track is what classifying after the analysis gives', async () => {
    // 3–4 s of speech, then silence to 30 s: the VAD's curve is 0 over the silence.
    const file = path.join(dir, 'speech-then-silence.wav');
    runSync(FFMPEG, ['-v', 'error', '-i', speech.path, '-af', 'aresample=16000,apad=whole_len=480000', '-ac', '1', '-y', file]);
    const { media } = countingMedia();
    // The thread's calls wait until the analysis has returned (the voice is known by then), so
    // the parts it would leave out are decided the same way however fast this machine is.
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const threadFrames: number[] = [];
    let here = 0;
    const visemeClassifier = { classify: async (pcm: Float32Array, fps: number, frames: number) => (threadFrames.push(frames), await opened, classifyVisemes(pcm, fps, frames)) };
    const audio = createAudioService({ media, inference, visemeClassifier, classifyHere: (pcm, fps, frames) => (here++, classifyVisemes(pcm, fps, frames)) });
    const value = await media.describeAudio(file);
    const fps = 24;
    const features = await audio.analyze(value, { visemes: { fps } });
    open();
    const frames = Math.ceil(features.durationSec * fps);
    expect(frames).toBe(720);
    const vocal = audio.curvesAtFps(features, fps, frames).vocal!;
    expect(vocal.subarray(10 * fps).every((v) => v === 0)).toBe(true);
    const track = await audio.visemes!(value, features, fps, frames);
    // The thread's share is frames [0, 480) in parts of 144: the first was asked for before the
    // voice was known, the others are past it. (It was one call of 480 frames, then 240 more here.)
    expect(threadFrames).toEqual([144]);
    expect(here).toBe(0);
    // Classified after the analysis, only where the voice is (the path without an early start).
    const late = createAudioService({ media, inference });
    const lateFeatures = await late.analyze(value, { visemes: {} });
    expect(lateFeatures).toEqual(features);
    const reference = await late.visemes!(value, lateFeatures, fps, frames);
    expect(track.weights).toEqual(reference.weights);
    expect(track.jaw).toEqual(reference.jaw);
    expect(Math.max(...track.jaw)).toBeGreaterThan(0.3);
  }, 60_000);

  it('music without speech spans does not run the bilabial detector, and the track is what running it gives', async () => {
    const drums = drumPattern({ bpm: 120, durationSec: 8, sampleRate: 16000, seed: 3 });
    const file = path.join(dir, 'drums.wav');
    writeFileSync(file, encodeWav(drums.pcm, 16000, 1));
    const { media } = countingMedia();
    const sessions: string[] = [];
    const counting: InferenceService = { ...inference, session: (id, ...rest) => (sessions.push(id), inference.session(id, ...rest)), preload: (id, ...rest) => (sessions.push(id), inference.preload!(id, ...rest)) };
    const audio = createAudioService({ media, inference: counting });
    const value = await media.describeAudio(file);
    const fps = 24;
    const features = await audio.analyze(value, { visemes: { fps } });
    expect(features.speech).toEqual([]);
    const frames = Math.ceil(features.durationSec * fps);
    const track = await audio.visemes!(value, features, fps, frames);
    expect(sessions).not.toContain(BILABIAL_MODEL[0]);
    // The same track with the detector's verdicts in it (closures would show only inside speech spans).
    const pcm = await media.decodeAudio(file, { sampleRate: 16000, channels: 1 });
    const curves = audio.curvesAtFps(features, fps, frames);
    const bilabial = bilabialAtFps(await bilabialProbability(pcm, inference), fps, frames);
    const full = shapeVisemes(classifyVisemes(pcm, fps, frames), fps, frames, { vocal: curves.vocal, mouth: curves.mouth, bilabial, speech: features.speech });
    expect(track.weights).toEqual(full.weights);
    expect(track.jaw).toEqual(full.jaw);
  }, 60_000);
});
