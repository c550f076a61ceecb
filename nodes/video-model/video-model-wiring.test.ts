/**
 * The Video Model node's wiring, fast: its evaluate runs with the shipped model manifests and
 * recording stand-ins for the services it calls (an image decoder that returns a known
 * gradient, a tiny procedural "model" whose frame brightness follows the onset column, an
 * encoder that keeps the frames). The end-to-end tests (video-model.test.ts,
 * node-contract.test.ts) run the real ffmpeg and onnxruntime; these check, in milliseconds,
 * what the node hands each service and what it makes of the answers — the inputs each model
 * gets, the frame count, the warnings, the sync score, cleanup on error and cancel — so the
 * mutation run of the node (test/mutation, group video-model) can afford to run them per mutant.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AudioValue, FaceDetection, FeaturesValue, ImageValue, ModelManifest, ModelSession, NodeContext, TensorLike, VideoEncoderOptions, VisemeFrames,
} from '../../src/engine/index.js';
import { codeFingerprint } from '../../src/engine/index.js';
import { videoModelNode } from './video-model.node.js';
import { styleFromPrompt, styleVector } from './style.js';
import { MotionMeter, syncScore } from './sync.js';
import { buildFallbackMesh, buildMesh } from './face-mesh.js';
import { faceBoxes } from './face-boxes.js';
import { templateAt } from './face-template.js';
import { fakeServices, type ServiceParts } from '../../test/support/fake-services.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const shipped = (id: string) => JSON.parse(fs.readFileSync(path.resolve(here, '../../models', id, 'manifest.json'), 'utf8')) as ModelManifest;
const MANIFESTS: Record<string, ModelManifest> = {
  pulse: shipped('pulse'),
  a2v: shipped('a2v'),
  performer: shipped('performer'),
  // A face-box model (the v1 performer's inputs): no such model ships now, the node still serves one.
  boxes: { ...shipped('pulse'), id: 'boxes', boxes: ['faceX', 'faceY', 'mouthX', 'mouthY', 'mouthHw', 'mouthHh', 'eyeLX', 'blink'] },
  broken: { ...shipped('pulse'), id: 'broken', controls: undefined },
};

let tmp: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 's2v-vm-wiring-'));
});
afterAll(() => fsp.rm(tmp, { recursive: true, force: true }));

const FPS = 24;
/** 2.03 s at 24 fps is 48.72 frames: 49 when rounded (floor would give 48). */
const audio: AudioValue = { kind: 'audio', path: '/audio/beat.wav', durationSec: 2.03, sampleRate: 16000, channels: 1 };
const BEATS = [0.5, 1, 1.5, 2];
const features: FeaturesValue = {
  kind: 'features', durationSec: 2.03, sampleRate: 16000, tempo: 120, tempoConfidence: 1, beats: BEATS, downbeats: [0.5], onsets: BEATS,
  speech: [], sections: [0], rate: 100, curves: {}, warnings: [],
};
const image: ImageValue = { kind: 'image', path: '/images/portrait.png', width: 640, height: 480 };

/** The decoded image: R = x, G = y, B = 7, so a swapped plane or axis shows. */
function gradient(width: number, height: number): Uint8Array {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set([x, y, 7], (y * width + x) * 3);
  return rgb;
}

/** Onset envelope: 1 on beat frames, 0 elsewhere. */
function curvesAt(frames: number, fps: number): Record<string, Float32Array> {
  const onset = new Float32Array(frames);
  for (const b of BEATS) if (Math.round(b * fps) < frames) onset[Math.round(b * fps)] = 1;
  return { onset, rms: new Float32Array(frames).fill(0.5), mouth: Float32Array.from({ length: frames }, (_, i) => (i % 6 < 3 ? 1 : 0)) };
}

interface Options {
  faces?: FaceDetection[];
  /** Only the one-face finder (no detectFaces). */
  singleFinder?: boolean;
  visemes?: boolean;
  noOnset?: boolean;
  /** The model answers with frames one pixel too narrow. */
  wrongSize?: boolean;
  /** Abort once this many frames are done. */
  abortAt?: number;
  remote?: boolean;
  /** The encoder takes this long per frame (so the live preview's write finishes mid-render). */
  writeMs?: number;
  /** The media service says no client shows previews (`s2v run` without --preview). */
  noPreviews?: boolean;
  /** Decoding the image fails. */
  badImage?: boolean;
  /** The frame model's workers cannot load it. */
  modelFails?: boolean;
}

function harness(o: Options = {}) {
  const rec = {
    feeds: [] as Array<Record<string, TensorLike>>,
    sessions: [] as Array<{ id: string; file?: string; workers?: number }>,
    /** What a split model's prepare graph was given, and whether its session was released. */
    prepared: [] as Array<Record<string, TensorLike>>,
    released: 0,
    decoded: [] as Array<{ path: string; width: number; height: number; fit: string }>,
    curves: [] as Array<{ fps: number; frames: number; features: FeaturesValue }>,
    visemeCalls: [] as Array<{ fps: number; frames: number; signal?: AbortSignal }>,
    detectFacesCalls: 0,
    detectFaceCalls: 0,
    encoder: undefined as VideoEncoderOptions | undefined,
    written: [] as Uint8Array[],
    finished: false,
    aborted: false,
    warnings: [] as string[],
    logs: [] as string[],
    progress: [] as Array<{ f: number; m?: string; preview?: string }>,
    dirs: [] as string[],
    onset: undefined as Float32Array | undefined,
    /** Model calls running at once, and the most there were. */
    running: 0,
    maxRunning: 0,
    /** The order things started in: sessions opened, the image decoded, the encoder spawned. */
    order: [] as string[],
    /** Frame sessions let go of. */
    framesReleased: 0,
  };
  const ac = new AbortController();
  // A split model's prepare graph (models/build/split.ts): reads image/style/size, hands back
  // one tensor the frame graph reads (its mean image brightness, so it is checkable).
  const prepareSession = (): ModelSession & { release(): Promise<void> } => ({
    inputNames: ['image', 'style', 'size'], outputNames: ['shared'],
    async run(feeds) {
      rec.prepared.push(feeds);
      const img = feeds.image?.data as Float32Array | undefined;
      return { shared: { type: 'float32', dims: [1], data: Float32Array.of(img ? img.reduce((a, v) => a + v, 0) / img.length : -1) } };
    },
    async release() {
      rec.released++;
    },
  });
  const session = (id: string): ModelSession & { release(): Promise<void> } => ({
    inputNames: [], outputNames: ['frames'],
    async release() {
      rec.framesReleased++;
    },
    async run(feeds) {
      rec.feeds.push(feeds);
      rec.maxRunning = Math.max(rec.maxRunning, ++rec.running);
      await new Promise((r) => setImmediate(r));
      rec.running--;
      const c = feeds.controls!;
      const [n, K] = c.dims as [number, number];
      const onsetCol = MANIFESTS[id]!.controls!.indexOf('onset');
      const h = Number((feeds.image?.dims[2] ?? (feeds.size!.data as BigInt64Array)[0])!);
      const w = Number((feeds.image?.dims[3] ?? (feeds.size!.data as BigInt64Array)[1])!) - (o.wrongSize ? 1 : 0);
      const data = new Uint8Array(n * h * w * 3);
      for (let i = 0; i < n; i++) data.fill(40 + Math.round(200 * (c.data as Float32Array)[i * K + onsetCol]!), i * h * w * 3, (i + 1) * h * w * 3);
      return { frames: { type: 'uint8', dims: [n, h, w, 3], data } };
    },
  });
  const services = fakeServices({
    inference: {
      getModel: async (id: string) => {
        const m = MANIFESTS[id];
        if (!m) throw new Error(`unknown model ${id}`);
        return m;
      },
      modelHash: async (id: string) => `hash-${id}`,
      session: async (id: string, file?: string, opts?: { workers?: number }) => {
        rec.sessions.push({ id, ...(file ? { file } : {}), workers: opts?.workers });
        rec.order.push(`session ${file ?? id}`);
        if (o.modelFails && !file) throw new Error('cannot load model');
        return file && file === MANIFESTS[id]!.prepare ? prepareSession() : session(id);
      },
      detectFace: async () => (rec.detectFaceCalls++, o.faces?.[0]),
      ...(o.singleFinder ? {} : { detectFaces: async () => (rec.detectFacesCalls++, o.faces ?? []) }),
      listModels: async () => Object.values(MANIFESTS),
      executionProvider: () => 'cpu',
    },
    media: {
      ...(o.noPreviews ? { previews: false } : {}),
      decodeImage: async (p: string, opts: { width: number; height: number; fit: string }) => {
        rec.decoded.push({ path: p, width: opts.width, height: opts.height, fit: opts.fit });
        rec.order.push('decode');
        if (o.badImage) throw new Error('not an image');
        return { width: opts.width, height: opts.height, data: gradient(opts.width, opts.height) };
      },
      encodeVideo: async (opts: VideoEncoderOptions) => {
        rec.encoder = opts;
        rec.order.push('encoder');
        return {
          write: async (f: Uint8Array) => {
            rec.written.push(Uint8Array.from(f));
            if (o.writeMs) await new Promise((r) => setTimeout(r, o.writeMs));
          },
          finish: async () => void (rec.finished = true),
          abort: async () => void (rec.aborted = true),
        };
      },
    },
    audio: {
      curvesAtFps: (f: FeaturesValue, fps: number, frames: number) => {
        rec.curves.push({ features: f, fps, frames });
        const c = curvesAt(frames, fps);
        if (o.noOnset) delete (c as Record<string, Float32Array | undefined>).onset;
        rec.onset = c.onset;
        return c;
      },
      ...(o.visemes
        ? {
          visemes: async (_a: AudioValue, _f: FeaturesValue, fps: number, frames: number, opts?: { signal?: AbortSignal }): Promise<VisemeFrames> => {
            rec.visemeCalls.push({ fps, frames, signal: opts?.signal });
            const z = () => new Float32Array(frames);
            return { names: [], weights: z(), jaw: Float32Array.from({ length: frames }, (_, i) => (i < frames / 2 ? 0 : 1)), round: z(), spread: z(), press: z(), tuck: z() };
          },
        }
        : {}),
    },
    ...(o.remote ? { backends: { getRemoteModel: async (id: string) => (id === 'wan' ? { id: 'wan', backend: 'comfyui', version: '2.2', hash: 'abc' } : undefined) } } : {}),
  } as unknown as ServiceParts);
  const ctx: NodeContext = {
    nodeId: 'model', nodeType: 'video-model', signal: ac.signal,
    progress: (f, m, extra) => {
      rec.progress.push({ f, m, preview: extra?.preview });
      if (o.abortAt !== undefined && f > 0 && f < 1 && m === `frame ${o.abortAt}/${rec.encoder?.frames}`) ac.abort();
    },
    warn: (m) => rec.warnings.push(m),
    log: (m) => rec.logs.push(m),
    doNotCache: () => undefined,
    artifactDir: async () => {
      const d = await fsp.mkdtemp(path.join(tmp, 'art-'));
      rec.dirs.push(d);
      return d;
    },
    services,
  };
  return { rec, ctx, ac };
}

const params = (over: Record<string, unknown> = {}) => videoModelNode.params.parse({ width: 32, height: 24, fps: FPS, ...over });
type Inputs = { image?: ImageValue; audio?: AudioValue; prompt?: string };
async function run(inputs: Inputs, over: Record<string, unknown> = {}, o: Options = {}) {
  const h = harness(o);
  const { video } = await videoModelNode.evaluate({ inputs: { image: undefined, prompt: undefined, audio, features, ...inputs }, params: params(over), ctx: h.ctx });
  return { video, ...h.rec };
}

/** The controls table the model saw, as columns by name. */
function controlColumns(feeds: Array<Record<string, TensorLike>>, names: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const f of feeds) {
    const [n, K] = f.controls!.dims as [number, number];
    for (let i = 0; i < n; i++) names.forEach((name, k) => out[name]!.push((f.controls!.data as Float32Array)[i * K + k]!));
  }
  return out;
}

function energyOf(frames: Uint8Array[], width: number, height: number): Float32Array {
  const m = new MotionMeter(width, height, frames.length);
  for (const f of frames) m.push(f);
  return m.energy;
}

describe('video-model node: what it hands the model and the encoder', () => {
  it('pulse + image: round(2.03 s × 24) = 49 frames, one per model call, the audio muxed, files in its own folder', async () => {
    const r = await run({ image, prompt: 'neon sparks' }, { model: 'pulse' });
    expect(r.video).toMatchObject({ kind: 'video', width: 32, height: 24, fps: FPS, frames: 49, label: 'pulse · neon sparks' });
    expect(r.video.durationSec).toBeCloseTo(49 / 24, 12);
    const dir = r.dirs[0]!;
    expect(r.video.path).toBe(path.join(dir, 'video.mp4'));
    expect(r.video.previewPath).toBe(path.join(dir, 'preview.webm'));
    expect(r.encoder).toMatchObject({ outPath: r.video.path, previewPath: r.video.previewPath, width: 32, height: 24, fps: FPS, frames: 49, audioPath: audio.path, metadata: {} });
    expect(r.written).toHaveLength(49);
    expect(r.written.every((f) => f.length === 32 * 24 * 3)).toBe(true);
    expect([r.finished, r.aborted]).toEqual([true, false]);
    // pulse ships split: its prepare graph runs once (one worker, released), then the frame graph.
    expect(MANIFESTS.pulse!.prepare).toBe('pulse.prepare.onnx');
    expect(r.sessions).toEqual([{ id: 'pulse', workers: Math.min(2, availableParallelism()) }, { id: 'pulse', file: 'pulse.prepare.onnx', workers: 1 }]);
    // The frame workers start loading before the image is decoded; ffmpeg starts before the prepare graph is done.
    expect(r.order).toEqual(['session pulse', 'decode', 'encoder', 'session pulse.prepare.onnx']);
    // Its workers are let go once the frames are written.
    expect(r.framesReleased).toBe(1);
    expect(r.prepared.map((f) => Object.keys(f).sort())).toEqual([['image', 'style']]);
    expect(r.released).toBe(1);
    expect(new Set(r.feeds.map((f) => f.shared))).toEqual(new Set([{ type: 'float32', dims: [1], data: Float32Array.of((15.5 + 11.5 + 7) / 3) }]));
    // One frame per call (a worker's intermediate tensors stay small), two calls per worker in
    // flight (one running, the next waiting), every frame in exactly one call.
    expect(r.feeds.map((f) => f.controls!.dims[0]!)).toEqual(Array(49).fill(1));
    expect(r.maxRunning).toBe(2 * Math.min(2, availableParallelism()));
    expect(r.feeds.every((f) => f.controls!.dims[1] === 20)).toBe(true);
    expect(r.curves).toEqual([{ features, fps: FPS, frames: 49 }]);
    expect(r.warnings).toEqual([]);
  });

  it('the image is decoded at the render size and handed over as planar float RGB', async () => {
    const r = await run({ image }, { model: 'pulse', fit: 'letterbox' });
    expect(r.decoded).toEqual([{ path: image.path, width: 32, height: 24, fit: 'letterbox' }]);
    const img = r.feeds[0]!.image!;
    expect(img.type).toBe('float32');
    expect(img.dims).toEqual([1, 3, 24, 32]);
    const d = img.data as Float32Array;
    const n = 32 * 24;
    const at = (x: number, y: number) => [d[y * 32 + x], d[n + y * 32 + x], d[2 * n + y * 32 + x]];
    expect(at(0, 0)).toEqual([0, 0, 7]);
    expect(at(31, 5)).toEqual([31, 5, 7]);
    expect(at(9, 23)).toEqual([9, 23, 7]);
    expect(r.feeds[0]!.size).toBeUndefined();
    // The same tensors go with every chunk.
    expect(new Set(r.feeds.map((f) => f.image)).size).toBe(1);
  });

  it('the prompt becomes the style input (seeded) and scales the motion column; the log names the words it used', async () => {
    const prompt = 'frantic noir rain over the city';
    const r = await run({ image, prompt }, { model: 'pulse', seed: 5, motion: 0.5 });
    const style = styleFromPrompt(prompt, 5);
    expect(r.feeds[0]!.style).toEqual({ type: 'float32', dims: [1, 40], data: styleVector(style, MANIFESTS.pulse!.style!) });
    expect(r.logs).toContain(`prompt style: ${style.matched.join(', ')}`);
    expect(style.matched).toEqual(['frantic', 'noir', 'rain']);
    const cols = controlColumns(r.feeds, MANIFESTS.pulse!.controls!);
    expect(style.motion).toBeGreaterThan(1.2);
    expect(new Set(cols.motion)).toEqual(new Set([Math.fround(0.5 * style.motion)]));
    expect(cols.t!.slice(0, 3)).toEqual([0, Math.fround(1 / 24), Math.fround(2 / 24)]);
    expect(r.video.label).toBe(`pulse · ${prompt.slice(0, 40)}`);
    // No prompt: the default style, no style line, the model's name as the label.
    const plain = await run({ image }, { model: 'pulse', seed: 5 });
    expect(plain.feeds[0]!.style!.data).toEqual(styleVector(styleFromPrompt(undefined, 5), MANIFESTS.pulse!.style!));
    expect(plain.logs.some((l) => l.startsWith('prompt style'))).toBe(false);
    expect(plain.video.label).toBe('pulse');
  });

  it('a long prompt is cut to 40 characters in the label', async () => {
    const prompt = 'a slow ocean at dawn with gentle waves rolling in, then fire';
    const r = await run({ image, prompt }, { model: 'pulse' });
    expect(r.video.label).toBe(`pulse · ${prompt.slice(0, 40)}`);
  });

  it('sync score: motion energy of the written frames against the onset curve and the beats', async () => {
    const r = await run({ image }, { model: 'pulse' });
    const expected = syncScore(energyOf(r.written, 32, 24), r.onset!, BEATS, FPS);
    expect(r.video.sync).toEqual(expected);
    // The stand-in model flashes on onsets, so both numbers are high.
    expect(expected.beatAlignment).toBeGreaterThan(0.9);
    expect(expected.onsetCorrelation).toBeGreaterThan(0.5);
    expect(r.logs).toContain(`sync: onset correlation ${expected.onsetCorrelation}, beat alignment ${expected.beatAlignment}`);
    // Without an onset curve the correlation is against silence: 0.
    const none = await run({ image }, { model: 'pulse' }, { noOnset: true });
    expect(none.video.sync!.onsetCorrelation).toBe(0);
  });

  it('progress: frame counts up to 97 % while rendering, then 1; the live preview is offered and removed', async () => {
    const r = await run({ image }, { model: 'pulse' }, { writeMs: 5 });
    const frames = r.progress.filter((p) => p.m?.startsWith('frame ') && !p.preview);
    const chunk = r.feeds[0]!.controls!.dims[0]!;
    expect(frames[0]).toMatchObject({ f: (chunk / 49) * 0.97, m: `frame ${chunk}/49` });
    expect(frames.at(-1)).toMatchObject({ f: 0.97, m: 'frame 49/49' });
    expect(r.progress.at(-1)).toEqual({ f: 1, m: undefined, preview: undefined });
    const previews = r.progress.filter((p) => p.preview);
    expect(previews.length).toBeGreaterThanOrEqual(1);
    expect(previews[0]!.preview).toBe(path.join(r.dirs[0]!, 'live-preview.bmp'));
    expect(previews[0]!.m).toMatch(/^frame \d+\/49$/);
    expect(previews[0]!.f).toBeCloseTo((Number(previews[0]!.m!.split(/[ /]/)[1]) / 49) * 0.97, 12);
    expect(fs.existsSync(previews[0]!.preview!)).toBe(false);
  });

  it('without previews (the CLI without --preview): no WebM, no live frame, and a cache key that says so', async () => {
    const r = await run({ image }, { model: 'pulse' }, { noPreviews: true, writeMs: 2 });
    expect(r.encoder!.previewPath).toBeUndefined();
    expect(r.video.previewPath).toBeUndefined();
    expect(r.progress.filter((p) => p.preview)).toEqual([]);
    expect(r.written).toHaveLength(49);
  });
});

describe('video-model node: which model runs', () => {
  it('no image with an image model: a2v renders at the asked size (height, width), with a warning', async () => {
    const r = await run({}, { model: 'pulse', width: 40, height: 30 });
    expect(r.warnings).toEqual(['no image connected: rendering audio-only with the a2v model instead of "pulse"']);
    expect(r.sessions.map((s) => s.id)).toEqual(['a2v', 'a2v']);
    expect(r.prepared.map((f) => Object.keys(f).sort())).toEqual([['size', 'style']]);
    expect(r.feeds[0]!.size).toEqual({ type: 'int64', dims: [2], data: BigInt64Array.from([30n, 40n]) });
    expect(r.feeds[0]!.image).toBeUndefined();
    expect(r.decoded).toEqual([]);
    expect(r.video.label).toBe('a2v');
    expect(r.written[0]!.length).toBe(40 * 30 * 3);
  });

  it('an image with the audio-only model: it is not used, with a warning', async () => {
    const r = await run({ image }, { model: 'a2v' });
    expect(r.warnings).toEqual(['model "a2v" is audio-only: the image is not used']);
    expect(r.decoded).toEqual([]);
    expect(r.feeds[0]!.image).toBeUndefined();
    expect(r.feeds[0]!.size!.data).toEqual(BigInt64Array.from([24n, 32n]));
  });

  it('a manifest without controls is E111 naming the model and node; audio shorter than a frame is E107', async () => {
    const h = harness();
    await expect(videoModelNode.evaluate({ inputs: { image, audio, features, prompt: undefined }, params: params({ model: 'broken' }), ctx: h.ctx }))
      .rejects.toMatchObject({ code: 'E111', where: 'model', message: 'model "broken" is not a video model (its manifest lists no controls/style)' });
    const short = { ...audio, durationSec: 0.02 }; // 0.48 frames at 24 fps
    await expect(videoModelNode.evaluate({ inputs: { image, audio: short, features, prompt: undefined }, params: params({ model: 'pulse' }), ctx: h.ctx }))
      .rejects.toMatchObject({ code: 'E107', where: 'model', message: 'audio is too short for one frame at 24 fps (0.020 s)' });
    expect(h.rec.encoder).toBeUndefined();
    // Just over half a frame is one frame.
    const r = await run({ image, audio: { ...audio, durationSec: 0.025 } }, { model: 'pulse' });
    expect(r.video.frames).toBe(1);
  });

  it('an image that cannot be decoded fails the node and lets the frame workers and the prepare worker opened for it go', async () => {
    const h = harness({ badImage: true });
    await expect(videoModelNode.evaluate({ inputs: { image, audio, features, prompt: undefined }, params: params({ model: 'pulse' }), ctx: h.ctx }))
      .rejects.toThrow('not an image');
    expect(h.rec.order).toEqual(['session pulse', 'decode', 'session pulse.prepare.onnx']);
    expect(h.rec.framesReleased).toBe(1);
    expect(h.rec.released).toBe(1);
    expect(h.rec.encoder).toBeUndefined();
  });

  it('a frame model that cannot load fails the node after ffmpeg started: the encoder is aborted', async () => {
    const h = harness({ modelFails: true });
    await expect(videoModelNode.evaluate({ inputs: { image, audio, features, prompt: undefined }, params: params({ model: 'pulse' }), ctx: h.ctx }))
      .rejects.toThrow('cannot load model');
    expect(h.rec.order).toEqual(['session pulse', 'decode', 'encoder', 'session pulse.prepare.onnx']);
    expect([h.rec.finished, h.rec.aborted]).toEqual([false, true]);
  });

  it('a remote model goes to the remote renderer (which needs a media service that can join clips)', async () => {
    const h = harness({ remote: true });
    await expect(videoModelNode.evaluate({ inputs: { image, audio, features, prompt: 'x' }, params: params({ model: 'wan' }), ctx: h.ctx }))
      .rejects.toMatchObject({ code: 'E122', where: 'model (model wan)' });
    expect(h.rec.sessions).toEqual([]);
  });
});

describe('video-model node: the performer face', () => {
  const landmarks = templateAt(16, 15, 8);
  const detection = (lm?: Array<[number, number]>): FaceDetection => ({ face: { x: 6, y: 2, w: 20, h: 20 }, mouth: { x: 12, y: 13, w: 8, h: 4 }, eyes: [], score: 0.9, ...(lm ? { landmarks: lm } : {}) });

  it('a detected face with landmarks: its mesh, region and maps go to the model; the mouth follows the visemes', async () => {
    // A 48 × 64 frame with the face low enough that the maps' region starts below the top edge.
    const low = templateAt(24, 44, 8);
    const r = await run({ image }, { model: 'performer', motion: 0, width: 48, height: 64 }, { faces: [detection(low)], visemes: true });
    expect(r.logs).toContain('face: detected (1 found)');
    expect(r.detectFacesCalls).toBe(1);
    const want = buildMesh(low, 48, 64);
    expect(want.roi[0]).toBeGreaterThan(0);
    expect(want.roi[1]).toBeGreaterThan(0);
    const f = r.feeds[0]!;
    expect(f.mesh).toEqual({ type: 'float32', dims: [48 * 64, MANIFESTS.performer!.mesh!.bases.length], data: want.mesh });
    expect(f.roi).toEqual({ type: 'int64', dims: [4], data: BigInt64Array.from(want.roi.map(BigInt)) });
    expect(f.maps).toEqual({ type: 'float32', dims: [MANIFESTS.performer!.mesh!.maps.length, want.roi[2] - want.roi[0], want.roi[3] - want.roi[1]], data: want.maps });
    expect(r.visemeCalls).toEqual([{ fps: FPS, frames: 49, signal: expect.any(AbortSignal) }]);
    expect(r.visemeCalls[0]!.signal!.aborted).toBe(false);
    const jaw = controlColumns(r.feeds, MANIFESTS.performer!.controls!).jaw!;
    expect(Math.max(...jaw.slice(0, 20))).toBeLessThan(1e-3); // visemes: jaw shut for the first half…
    expect(Math.min(...jaw.slice(30))).toBeGreaterThan(0.99); // …open in the second
  });

  it('the performer knobs reach its columns: expressiveness 0 keeps the jaw shut, head motion 0 the head still', async () => {
    const r = await run({ image }, { model: 'performer', expressiveness: 0, headMotion: 0, blinkRate: 0 }, { faces: [detection(landmarks)], visemes: true });
    const cols = controlColumns(r.feeds, MANIFESTS.performer!.controls!);
    for (const k of ['jaw', 'headRoll', 'headNod', 'blink']) expect(Math.max(...cols[k]!.map(Math.abs)), k).toBe(0);
    const lively = controlColumns((await run({ image }, { model: 'performer', headMotion: 2, blinkRate: 3 }, { faces: [detection(landmarks)], visemes: true })).feeds, MANIFESTS.performer!.controls!);
    for (const k of ['headRoll', 'headNod', 'blink']) expect(Math.max(...lively[k]!.map(Math.abs)), k).toBeGreaterThan(0);
  });

  it('without a viseme model the jaw follows the analysed mouth curve', async () => {
    const r = await run({ image }, { model: 'performer' }, { faces: [detection(landmarks)] });
    const jaw = controlColumns(r.feeds, MANIFESTS.performer!.controls!).jaw!;
    // The mouth curve alternates 3 frames open, 3 shut.
    expect(jaw[1]!).toBeGreaterThan(0.9);
    expect(jaw[4]!).toBeLessThan(0.1);
  });

  it('only a one-face finder: it is used; a face without landmarks gets the template', async () => {
    const r = await run({ image }, { model: 'performer' }, { faces: [detection()], singleFinder: true });
    expect(r.detectFaceCalls).toBe(1);
    expect(r.logs).toContain('face: template (1 found)');
    // Nothing found is no face at all, not one missing face (even when face 2 is asked for).
    const none = await run({ image }, { model: 'performer', face: 2 }, { faces: [], singleFinder: true });
    expect(none.warnings).toEqual(['no face found in the image: moving the whole frame with the voice (set mouthX/mouthY/mouthW/mouthH to place the mouth)']);
  });

  it('no face: the whole-frame fallback mesh, with a warning saying how to place the mouth', async () => {
    const r = await run({ image }, { model: 'performer' }, { faces: [] });
    expect(r.warnings).toEqual(['no face found in the image: moving the whole frame with the voice (set mouthX/mouthY/mouthW/mouthH to place the mouth)']);
    expect(r.feeds[0]!.mesh!.data).toEqual(buildFallbackMesh(32, 24).mesh);
    expect(r.feeds[0]!.maps!.dims).toEqual([MANIFESTS.performer!.mesh!.maps.length, 1, 1]);
  });

  it('asking for a face that is not there says how many were found', async () => {
    const r = await run({ image }, { model: 'performer', face: 3 }, { faces: [detection(landmarks)] });
    expect(r.warnings).toEqual(['face 3 asked for but only 1 found: moving the whole frame with the voice (set face to 0 for the largest)']);
    // Face 2 of none found is the plain no-face warning.
    const none = await run({ image }, { model: 'performer', face: 2 }, { faces: [] });
    expect(none.warnings[0]).toMatch(/^no face found in the image/);
  });

  it('hand-placed landmarks and a hand-set mouth box are used, and said so', async () => {
    const fractions = landmarks.flatMap(([x, y]) => [x / 32, y / 24]);
    const placed = await run({ image }, { model: 'performer', landmarks: fractions }, { faces: [] });
    expect(placed.logs).toContain('face: manual-landmarks');
    expect(placed.warnings).toEqual([]);
    const lm = fractions.reduce<Array<[number, number]>>((a, v, i) => (i % 2 ? (a[a.length - 1]![1] = v * 24, a) : [...a, [v * 32, 0]]), []);
    expect(placed.feeds[0]!.mesh!.data).toEqual(buildMesh(lm, 32, 24).mesh);
    const box = await run({ image }, { model: 'performer', mouthX: 0.4, mouthY: 0.6, mouthW: 0.2, mouthH: 0.1 }, { faces: [detection(landmarks)] });
    expect(box.logs).toContain('face: template (1 found)');
  });
});

describe('video-model node: a face-box model', () => {
  const det: FaceDetection = { face: { x: 6, y: 2, w: 20, h: 20 }, mouth: { x: 12, y: 13, w: 8, h: 4 }, eyes: [{ x: 9, y: 8, w: 4, h: 2 }, { x: 19, y: 8, w: 4, h: 2 }], score: 0.9 };
  const boxesFeed = (b: ReturnType<typeof faceBoxes>) => ({ type: 'float32', dims: [1, 8], data: Float32Array.from(MANIFESTS.boxes!.boxes!, (k) => b.values[k] ?? 0) });

  it('the detected face, or a complete hand-set mouth box, fills its boxes input', async () => {
    const r = await run({ image }, { model: 'boxes' }, { faces: [det] });
    expect(r.feeds[0]!.boxes).toEqual(boxesFeed(faceBoxes(det, undefined, 32, 24)));
    expect(r.warnings).toEqual([]);
    expect(r.feeds[0]!.mesh).toBeUndefined();
    const manual = { x: 0.25, y: 0.5, w: 0.25, h: 0.125 };
    const m = await run({ image }, { model: 'boxes', mouthX: 0.25, mouthY: 0.5, mouthW: 0.25, mouthH: 0.125 }, { faces: [det] });
    expect(m.feeds[0]!.boxes).toEqual(boxesFeed(faceBoxes(det, manual, 32, 24)));
    // An incomplete or empty box is no box.
    const incomplete = [
      { mouthY: 0.5, mouthW: 0.25, mouthH: 0.1 }, { mouthX: 0.25, mouthW: 0.25, mouthH: 0.1 }, { mouthX: 0.25, mouthY: 0.5, mouthH: 0.1 }, { mouthX: 0.25, mouthY: 0.5, mouthW: 0.25 },
      { mouthX: 0.25, mouthY: 0.5, mouthW: 0, mouthH: 0.1 }, { mouthX: 0.25, mouthY: 0.5, mouthW: 0.2, mouthH: 0 },
    ];
    for (const over of incomplete) {
      const x = await run({ image }, { model: 'boxes', ...over }, { faces: [det] });
      expect(x.feeds[0]!.boxes, JSON.stringify(over)).toEqual(r.feeds[0]!.boxes);
    }
  });

  it('no face and no box: the fallback boxes and a warning', async () => {
    const r = await run({ image }, { model: 'boxes' }, { faces: [] });
    expect(r.warnings).toEqual(['no face found in the image: moving the whole frame with the voice (set mouthX/mouthY/mouthW/mouthH to place the mouth)']);
    expect(r.feeds[0]!.boxes).toEqual(boxesFeed(faceBoxes(undefined, undefined, 32, 24)));
  });
});

describe('video-model node: failures clean up', () => {
  it('a model answering with the wrong frame size: E120 naming node and model, the encoder aborted, nothing finished', async () => {
    const h = harness({ wrongSize: true });
    await expect(videoModelNode.evaluate({ inputs: { image, audio, features, prompt: undefined }, params: params({ model: 'pulse' }), ctx: h.ctx }))
      .rejects.toMatchObject({ code: 'E120', where: 'model (model pulse)' });
    expect([h.rec.aborted, h.rec.finished]).toEqual([true, false]);
    expect(h.rec.written).toEqual([]);
  });

  it('cancel mid-render: E121 for the node, the encoder aborted, the live preview removed', async () => {
    const h = harness({ abortAt: 8 });
    await expect(videoModelNode.evaluate({ inputs: { image, audio, features, prompt: undefined }, params: params({ model: 'pulse' }), ctx: h.ctx }))
      .rejects.toMatchObject({ code: 'E121', where: 'model' });
    expect([h.rec.aborted, h.rec.finished]).toEqual([true, false]);
    expect(h.rec.written.length).toBeLessThan(49);
    expect(fs.readdirSync(h.rec.dirs[0]!)).toEqual([]);
  });
});

describe('video-model node: cache fingerprint', () => {
  const fp = (model: string, o: Options = {}, hashes: Record<string, string> = {}) => {
    const h = harness(o);
    const inf = h.ctx.services.inference as unknown as { modelHash: (id: string) => Promise<string> };
    inf.modelHash = async (id) => {
      if (hashes[id] === 'missing') throw new Error(`no ${id}`);
      return hashes[id] ?? `hash-${id}`;
    };
    return videoModelNode.fingerprint!(params({ model }), h.ctx);
  };

  it('names the model file hashes, a2v too (it may stand in), the landmark and lip-closure models for mesh models, and the rendering code', async () => {
    const code = `code:${await codeFingerprint('video-model')}`;
    expect(code).toMatch(/^code:[0-9a-f]{64}$/);
    expect(await fp('pulse')).toBe(`pulse:hash-pulse,a2v:hash-a2v,${code}`);
    expect(await fp('a2v')).toBe(`a2v:hash-a2v,${code}`);
    expect(await fp('performer')).toBe(`performer:hash-performer,a2v:hash-a2v,face-landmarks:hash-face-landmarks,bilabial:hash-bilabial,${code}`);
    expect(await fp('performer', {}, { 'face-landmarks': 'missing', bilabial: 'missing' })).toBe(`performer:hash-performer,a2v:hash-a2v,face-landmarks:none,bilabial:none,${code}`);
  });

  it('a remote model: its backend, id and hash', async () => {
    expect(await fp('wan', { remote: true })).toBe('remote:comfyui:wan:abc');
    expect(await fp('pulse', { remote: true })).toBe(`pulse:hash-pulse,a2v:hash-a2v,code:${await codeFingerprint('video-model')}`);
  });

  it('a render without its preview has its own key (the studio must not be served one)', async () => {
    expect(await fp('pulse', { noPreviews: true })).toBe(`pulse:hash-pulse,a2v:hash-a2v,code:${await codeFingerprint('video-model')},no-preview`);
  });
});
