import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaService } from '../../src/media/index.js';
import { beatFMeasure } from '../../src/audio/index.js';
import { DiskCache, codeFingerprint, createCatalog, parseGraph, runGraph, type Services } from '../../src/engine/index.js';
import { audioFileNode } from '../audio-file/audio-file.node.js';
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

describe('Audio Features cache key', () => {
  /** Audio File → Audio Features, run on a disk cache with the Silero manifest's sha256 given. */
  async function run(cacheDir: string, wav: string, sileroSha: string) {
    const ctx = testContext();
    const services = { ...ctx.services, inference: { getModel: async (id: string) => ({ id, files: [{ name: 'silero_vad.onnx', sha256: sileroSha }] }) } } as unknown as Services;
    const graph = parseGraph({
      schemaVersion: 1,
      nodes: [
        { id: 'file', type: 'audio-file', params: { path: wav } },
        { id: 'features', type: 'audio-features', params: {} },
      ],
      edges: [{ from: { node: 'file', port: 'audio' }, to: { node: 'features', port: 'audio' } }],
    });
    return runGraph(graph, { catalog: createCatalog([audioFileNode, audioFeaturesNode]), services, cache: new DiskCache(cacheDir) });
  }

  it('names the analysis code and the VAD weights: other weights analyse again, the same code is served', async () => {
    const s = drumPattern({ bpm: 120, durationSec: 4, sampleRate: 16000 });
    const wav = path.join(dir, 'key.wav');
    await createMediaService().writeWav(wav, s.pcm, 16000, 1);
    const cacheDir = path.join(dir, 'key-cache');
    const a = '1'.repeat(64);
    const first = await run(cacheDir, wav, a);
    expect(first.ok).toBe(true);
    expect(first.ran).toContain('features');
    const again = await run(cacheDir, wav, a);
    expect(again.cached).toContain('features');
    expect(again.nodes.get('features')!.key).toBe(first.nodes.get('features')!.key);
    // An upgraded Silero (its manifest names other weights): analysed again.
    const upgraded = await run(cacheDir, wav, '2'.repeat(64));
    expect(upgraded.ran).toEqual(['features']);
    // The code fingerprint is in the key (code-fingerprint.test.ts: it follows the beat code and the beat net's weights).
    const fp = await audioFeaturesNode.fingerprint!(audioFeaturesNode.params.parse({}), { services: { inference: { getModel: async () => ({ files: [{ sha256: a }] }) } } } as never);
    expect(fp).toBe(`analysis:${await codeFingerprint('analysis')},silero-vad:${a}`);
    expect(await codeFingerprint('analysis')).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
});
