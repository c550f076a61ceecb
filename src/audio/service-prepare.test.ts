import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhonemeSpeech, type PhonemeSpeech } from '../../test/fixtures/audio/phonemes.js';
import { createMediaService } from '../media/index.js';
import { createInferenceService } from '../inference/index.js';
import type { MediaService } from '../engine/index.js';
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

async function analyzeThenVisemes(prepare?: { visemes: boolean; fps?: number }) {
  const { media, decodes } = countingMedia();
  // The classifier on this thread, noting whether each call came before visemes() was asked.
  let asked = false;
  const calls: boolean[] = [];
  const visemeClassifier = { start: () => undefined, classify: (pcm: Float32Array, fps: number, frames: number) => (calls.push(asked), Promise.resolve(classifyVisemes(pcm, fps, frames))) };
  const audio = createAudioService({ media, inference, visemeClassifier });
  if (prepare) await audio.prepare!(prepare);
  const value = await media.describeAudio(speech.path);
  const features = await audio.analyze(value, {});
  const fps = 24;
  const frames = Math.max(1, Math.ceil(features.durationSec * fps));
  asked = true;
  const visemes = await audio.visemes!(value, features, fps, frames);
  return { features, visemes, decodes: decodes(), classifiedEarly: calls.length > 0 && calls.every((late) => !late) };
}

describe('audio service prepare', () => {
  it('prepare({ visemes }) lets analyze and visemes share one decode, with exactly the same features and visemes as two decodes', async () => {
    const twice = await analyzeThenVisemes();
    const once = await analyzeThenVisemes({ visemes: true });
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
    const late = await analyzeThenVisemes({ visemes: true });
    const early = await analyzeThenVisemes({ visemes: true, fps: 24 });
    expect(late.classifiedEarly).toBe(false);
    expect(early.classifiedEarly).toBe(true);
    expect(early.visemes.weights).toEqual(late.visemes.weights);
    expect(early.visemes.jaw).toEqual(late.visemes.jaw);
  }, 60_000);

  it('audio over 10 minutes is not kept (the analysis stays bounded in memory): its viseme pass decodes again', async () => {
    const { media, decodes } = countingMedia();
    const audio = createAudioService({ media, inference });
    await audio.prepare!({ visemes: true });
    // What the rule looks at is the probed duration.
    const value = { ...(await media.describeAudio(speech.path)), durationSec: 601 };
    const features = await audio.analyze(value, {});
    await audio.visemes!(value, features, 24, 10);
    expect(decodes()).toBe(2);
  }, 60_000);

  it('the kept audio serves only the next viseme pass on that same audio: a second pass decodes again', async () => {
    const { media, decodes } = countingMedia();
    const audio = createAudioService({ media, inference });
    await audio.prepare!({ visemes: true });
    const value = await media.describeAudio(speech.path);
    const features = await audio.analyze(value, {});
    await audio.visemes!(value, features, 24, 10);
    expect(decodes()).toBe(1);
    await audio.visemes!(value, features, 24, 10);
    expect(decodes()).toBe(2);
  }, 60_000);
});
