import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePhonemeSpeech, type PhonemeSpeech } from '../../test/fixtures/audio/phonemes.js';
import { createMediaService } from '../media/index.js';
import { createInferenceService } from '../inference/index.js';
import type { MediaService } from '../engine/index.js';
import { createAudioService } from './service.js';

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

async function analyzeThenVisemes(prepared: boolean) {
  const { media, decodes } = countingMedia();
  const audio = createAudioService({ media, inference });
  if (prepared) await audio.prepare!({ visemes: true });
  const value = await media.describeAudio(speech.path);
  const features = await audio.analyze(value, {});
  const fps = 24;
  const frames = Math.ceil(features.durationSec * fps);
  const visemes = await audio.visemes!(value, features, fps, frames);
  return { features, visemes, decodes: decodes() };
}

describe('audio service prepare', () => {
  it('prepare({ visemes }) lets analyze and visemes share one decode, with exactly the same features and visemes as two decodes', async () => {
    const twice = await analyzeThenVisemes(false);
    const once = await analyzeThenVisemes(true);
    expect(twice.decodes).toBe(2);
    expect(once.decodes).toBe(1);
    expect(once.features).toEqual(twice.features);
    expect(once.visemes.weights).toEqual(twice.visemes.weights);
    expect(once.visemes.jaw).toEqual(twice.visemes.jaw);
    expect(once.visemes.pitch).toEqual(twice.visemes.pitch);
    // Not a trivially empty track: the bilabial closures of "Papa made a map" are in it.
    expect(Math.max(...once.visemes.press)).toBeGreaterThan(0.9);
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
