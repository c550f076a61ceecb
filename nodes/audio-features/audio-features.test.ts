import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaService } from '../../src/media/index.js';
import { beatFMeasure } from '../../src/audio/index.js';
import { audioFeaturesNode } from './audio-features.node.js';
import { testContext } from '../../test/fixtures/audio/node-context.js';
import { drumPattern } from '../../test/fixtures/audio/synth.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's2v-features-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('Audio Features', () => {
  it('analyses a WAV through the real media + audio services (VAD on), with progress and warnings', async () => {
    const s = drumPattern({ bpm: 128, durationSec: 15, sampleRate: 44100 });
    const wav = path.join(dir, 'drums.wav');
    const media = createMediaService();
    await media.writeWav(wav, s.pcm, 44100, 1);
    const ctx = testContext({ vad: true });
    const progress: number[] = [];
    ctx.progress = (f) => progress.push(f);
    const audio = { kind: 'audio' as const, path: wav, durationSec: 15, sampleRate: 44100, channels: 1 };
    const { features } = await audioFeaturesNode.evaluate({ inputs: { audio }, params: audioFeaturesNode.params.parse({}), ctx });
    expect(features.kind).toBe('features');
    expect(features.sampleRate).toBe(44100);
    expect(Math.abs(features.tempo - 128) / 128).toBeLessThan(0.04);
    expect(beatFMeasure(s.beats, features.beats)).toBeGreaterThan(0.9);
    expect(features.curves.rms!.length).toBe(1500);
    // Drums are mostly not speech (Silero does fire briefly on some synthetic drum+chord bars).
    const speechSec = features.speech.reduce((t, [a, b]) => t + b - a, 0);
    expect(speechSec).toBeLessThan(0.25 * 15);
    expect(progress.at(-1)).toBe(1);
    expect(progress.length).toBeGreaterThan(2);
    // Starts on a kick at 0.5 s, ends mid-pattern: the health check says so, via ctx.warn too.
    expect(features.warnings.length).toBeGreaterThan(0);
    expect(ctx.warnings).toEqual(features.warnings);
    const perFrame = ctx.services.audio.curvesAtFps(features, 24, 360);
    expect(perFrame.beat!.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(features.beats.filter((b) => b < 15).length - 1);
  });
});
