/**
 * The Video Model node end to end on real services (ffmpeg, audio analysis, onnxruntime):
 * exact frame counts, audio muxed, preview written, A2V fallback, face fallback, cancel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AudioValue, FeaturesValue, ImageValue, NodeContext, Services } from '../../src/engine/index.js';
import { createServices } from '../../src/runtime/index.js';
import { drumPattern } from '../../test/fixtures/audio/synth.js';
import { rmsDb } from '../../test/support/audio-checks.js';
import { videoModelNode } from './video-model.node.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const portrait = path.resolve(here, '../../test/fixtures/images/face_grace_hopper.jpg');
let tmp: string;
let services: Services;
let audio: AudioValue;
let features: FeaturesValue;
const image: ImageValue = { kind: 'image', path: portrait, width: 512, height: 600 };

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-video-model-'));
  services = createServices({ provider: 'cpu' });
  const beat = drumPattern({ bpm: 120, durationSec: 2.5, sampleRate: 16000 });
  const wav = path.join(tmp, 'beat.wav');
  await services.media.writeWav(wav, beat.pcm, beat.sampleRate, 1);
  audio = { kind: 'audio', path: wav, durationSec: beat.pcm.length / beat.sampleRate, sampleRate: beat.sampleRate, channels: 1 };
  features = await services.audio.analyze(audio, {});
}, 60_000);
afterAll(async () => {
  await (services?.inference as unknown as { dispose?: () => Promise<void> })?.dispose?.();
  await fs.rm(tmp, { recursive: true, force: true });
});

function context(signal = new AbortController().signal) {
  const warnings: string[] = [];
  const progress: number[] = [];
  let n = 0;
  const ctx: NodeContext = {
    nodeId: 'model', nodeType: 'video-model', signal,
    progress: (f) => progress.push(f),
    warn: (m) => warnings.push(m),
    log: () => undefined,
    doNotCache: () => undefined,
    artifactDir: async () => {
      const d = path.join(tmp, `art-${n++}-${Math.random().toString(36).slice(2)}`);
      await fs.mkdir(d, { recursive: true });
      return d;
    },
    services,
  };
  return { ctx, warnings, progress };
}

const params = (over: Record<string, unknown>) => videoModelNode.params.parse({ width: 96, height: 96, fps: 12, ...over });

describe('video-model node', () => {
  it('pulse: exact frame count, audio muxed, WebM preview, sync score', async () => {
    const { ctx, warnings, progress } = context();
    const { video } = await videoModelNode.evaluate({ inputs: { image, audio, features, prompt: 'neon sparks' }, params: params({ model: 'pulse' }), ctx });
    expect(video.frames).toBe(Math.round(audio.durationSec * 12));
    const probe = await services.media.probe(video.path);
    expect(probe.video?.width).toBe(96);
    expect(probe.video?.frames ?? Math.round(probe.video!.durationSec * 12)).toBe(video.frames);
    // The drum track is muxed, exactly as long as the picture, at its own level.
    expect(probe.audio!.codec).toBe('aac');
    expect(Math.abs(probe.audio!.durationSec - video.frames / 12)).toBeLessThan(0.05);
    const muxed = await services.media.decodeAudio(video.path, { sampleRate: 16000, channels: 1 });
    const source = await services.media.decodeAudio(audio.path, { sampleRate: 16000, channels: 1 });
    expect(Math.abs(rmsDb(muxed) - rmsDb(source))).toBeLessThan(1.5);
    // The studio's preview: a VP9 WebM of the same picture, as long as the video.
    const preview = await services.media.probe(video.previewPath!);
    expect(preview.video).toMatchObject({ codec: 'vp9', width: 96, height: 96 });
    expect(Math.abs(preview.video!.durationSec - video.frames / 12)).toBeLessThan(0.1);
    // pulse on a 120 BPM drum pattern follows it (measured: beat alignment 1.0, onset correlation 0.75).
    const sync = `sync ${JSON.stringify(video.sync)}`;
    expect(video.sync!.beatAlignment, sync).toBeGreaterThan(0.9);
    expect(video.sync!.onsetCorrelation, sync).toBeGreaterThan(0.5);
    expect(progress.at(-1)).toBe(1);
    expect(warnings).toEqual([]);
  }, 60_000);

  it('a render nobody watches (s2v run) makes no WebM preview or live frame, and is cached apart from one that does', async () => {
    const { ctx } = context();
    const quiet = { ...ctx, services: { ...services, media: { ...services.media, previews: false } } };
    const p = params({ model: 'pulse' });
    const { video } = await videoModelNode.evaluate({ inputs: { image, audio, features, prompt: undefined }, params: p, ctx: quiet });
    expect(video.previewPath).toBeUndefined();
    expect(await fs.readdir(path.dirname(video.path))).toEqual(['video.mp4']);
    expect((await services.media.probe(video.path)).video?.frames ?? video.frames).toBe(video.frames);
    expect(await videoModelNode.fingerprint!(p, quiet)).not.toBe(await videoModelNode.fingerprint!(p, ctx));
  });

  it('no image → a2v with a warning', async () => {
    const { ctx, warnings } = context();
    const { video } = await videoModelNode.evaluate({ inputs: { image: undefined, audio, features, prompt: undefined }, params: params({ model: 'drift', fps: 10 }), ctx });
    expect(video.frames).toBe(Math.round(audio.durationSec * 10));
    expect(warnings.join(' ')).toMatch(/a2v/);
  }, 60_000);

  it('performer: finds the face in the portrait; a faceless image falls back with a warning', async () => {
    const withFace = context();
    await videoModelNode.evaluate({ inputs: { image, audio, features, prompt: '' }, params: params({ model: 'performer', width: 128, height: 128 }), ctx: withFace.ctx });
    expect(withFace.warnings).toEqual([]);
    const flat = path.join(tmp, 'flat.png');
    await fs.writeFile(flat, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEklEQVR4nGP4z8CAB+GTG8HSALfKY52fTcuYAAAAAElFTkSuQmCC', 'base64'));
    const faceless = context();
    const { video } = await videoModelNode.evaluate({
      inputs: { image: { kind: 'image', path: flat, width: 4, height: 4 }, audio, features, prompt: '' },
      params: params({ model: 'performer' }), ctx: faceless.ctx,
    });
    expect(faceless.warnings.join(' ')).toMatch(/no face/);
    expect(video.frames).toBe(Math.round(audio.durationSec * 12));
  }, 60_000);

  it('cancel: rejects with E121 and leaves no video behind', async () => {
    const ac = new AbortController();
    const { ctx } = context(ac.signal);
    const origProgress = ctx.progress;
    ctx.progress = (f, m) => {
      origProgress(f, m);
      if (f > 0) ac.abort();
    };
    const dir = await ctx.artifactDir();
    ctx.artifactDir = async () => dir;
    await expect(videoModelNode.evaluate({ inputs: { image, audio, features, prompt: '' }, params: params({ model: 'pulse' }), ctx })).rejects.toMatchObject({ code: 'E121' });
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.mp4') || f.endsWith('.webm'))).toEqual([]);
  }, 60_000);
});
