/**
 * Video Model: audio (+ optional reference image + prompt) → a video that moves with the
 * sound, rendered by one of the shipped ONNX models (models/<id>/). Frames are streamed
 * chunk by chunk into the encoder with the audio; the sync score is measured on the way.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { S2VError, cancelledError, codeFingerprint, defineNode, type ModelManifest, type ModelSession, type TensorLike, type VideoEncoder, type VideoValue } from '../../src/engine/index.js';
import { provenanceTags } from '../../src/engine/index.js';
import { buildControls, type PerformerControls } from './controls.js';
import { faceBoxes, type ManualMouth } from './face-boxes.js';
import { buildFallbackMesh, buildMesh } from './face-mesh.js';
import { chooseFace } from './performer-face.js';
import { inputsOf, prepareFixed } from './prepare.js';
import { noPreview, previewWriter } from './preview-frame.js';
import { renderFrames } from './render.js';
import { renderRemote } from './remote.js';
import { styleFromPrompt, styleVector } from './style.js';
import { syncScore } from './sync.js';

/**
 * Frames per model call. With the per-render work in the prepare graph a call has little
 * to amortise: one frame costs the same CPU per frame as two or four (measured), and a
 * worker's intermediate tensors are half their size at two frames: peak RSS of a 20 s
 * render at 512² 380 → 304 MB (two frames had been 354 MB against four's 415).
 */
const CHUNK = 1;
/** Calls in flight per worker: one running, one waiting, so a worker never idles while the main thread writes. */
const CALLS_PER_WORKER = 2;

const fraction = z.number().min(0).max(1).optional();

const params = z.object({
  model: z.string().min(1).default('pulse'),
  width: z.number().int().min(16).max(4096).multipleOf(2).default(512),
  height: z.number().int().min(16).max(4096).multipleOf(2).default(512),
  fps: z.number().min(1).max(120).default(24),
  motion: z.number().min(0).max(4).default(1),
  seed: z.number().int().min(0).default(0),
  fit: z.enum(['fit', 'fill', 'letterbox']).default('fill'),
  mouthX: fraction,
  mouthY: fraction,
  mouthW: fraction,
  mouthH: fraction,
  // Performer: how far the mouth moves, how much the head moves, how often the eyes blink,
  // which face (0 = the largest, k = the k-th largest), hand-placed landmarks (68 × x,y fractions).
  expressiveness: z.number().min(0).max(2).default(1),
  headMotion: z.number().min(0).max(3).default(1),
  blinkRate: z.number().min(0).max(3).default(1),
  face: z.number().int().min(0).max(16).default(0),
  landmarks: z.array(z.number().min(-0.5).max(1.5)).length(136).optional(),
  // Remote models (ComfyUI, Sogni): see remote.ts and plan.ts.
  negativePrompt: z.string().optional(),
  segmentSeeds: z.record(z.string().regex(/^[1-9]\d*$/), z.number().int().min(0)).default({}),
  maxSegmentSec: z.number().positive().optional(),
  continuity: z.enum(['chain', 'reference']).default('chain'),
  maxCost: z.number().positive().optional(),
});

function manualMouth(p: z.output<typeof params>): ManualMouth | undefined {
  const { mouthX: x, mouthY: y, mouthW: w, mouthH: h } = p;
  if (x === undefined || y === undefined || w === undefined || h === undefined || w <= 0 || h <= 0) return undefined;
  return { x, y, w, h };
}

/** Packed RGB24 → planar float [1,3,H,W] in 0..255 (the models' image input). */
function planar(rgb: Uint8Array, width: number, height: number): TensorLike {
  const n = width * height;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    out[i] = rgb[i * 3]!;
    out[n + i] = rgb[i * 3 + 1]!;
    out[2 * n + i] = rgb[i * 3 + 2]!;
  }
  return { type: 'float32', dims: [1, 3, height, width], data: out };
}

export const videoModelNode = defineNode({
  type: 'video-model',
  version: 2,
  title: 'Video Model',
  category: 'model',
  description:
    'Turns audio (+ an optional reference image and a prompt) into a video that moves with the sound. Models: pulse (music), performer (lip-sync), drift (ambient), a2v (abstract, no image), and remote models on ComfyUI or the Sogni Supernet (Wan 2.2 S2V, LTX-2.3), planned over audio of any length.',
  inputs: {
    image: { type: 'image', optional: true, label: 'Image', description: 'Reference image; without one the node renders audio-only (a2v).' },
    audio: { type: 'audio', label: 'Audio', description: 'Sets the duration and is muxed into the video.' },
    features: { type: 'features', label: 'Features', description: 'Analysis of the same audio (beats, onsets, bands, mouth).' },
    prompt: { type: 'text', optional: true, label: 'Prompt', description: 'Palette, grade, particles and motion words (see README).' },
  },
  outputs: {
    video: { type: 'video', label: 'Video' },
  },
  params,
  widgets: {
    model: { kind: 'model', label: 'Model' },
    width: { kind: 'number', min: 16, max: 4096, step: 2, unit: 'px' },
    height: { kind: 'number', min: 16, max: 4096, step: 2, unit: 'px' },
    fps: { kind: 'number', min: 1, max: 120, step: 1, unit: 'fps' },
    motion: { kind: 'slider', min: 0, max: 3, step: 0.05, label: 'Motion' },
    seed: { kind: 'number', min: 0, step: 1 },
    fit: { kind: 'select', options: [{ value: 'fill', label: 'Fill (crop)' }, { value: 'fit', label: 'Fit' }, { value: 'letterbox', label: 'Letterbox' }] },
    mouthX: { kind: 'number', min: 0, max: 1, step: 0.01, label: 'Mouth x (fraction, optional)' },
    mouthY: { kind: 'number', min: 0, max: 1, step: 0.01, label: 'Mouth y (fraction, optional)' },
    mouthW: { kind: 'number', min: 0, max: 1, step: 0.01, label: 'Mouth width (fraction, optional)' },
    mouthH: { kind: 'number', min: 0, max: 1, step: 0.01, label: 'Mouth height (fraction, optional)' },
    expressiveness: { kind: 'slider', min: 0, max: 2, step: 0.05, label: 'Expressiveness (mouth)' },
    headMotion: { kind: 'slider', min: 0, max: 3, step: 0.05, label: 'Head motion' },
    blinkRate: { kind: 'slider', min: 0, max: 3, step: 0.05, label: 'Blink rate' },
    face: { kind: 'number', min: 0, max: 16, step: 1, label: 'Face (0 = largest)' },
    landmarks: { kind: 'hidden' },
    negativePrompt: { kind: 'text', label: 'Negative prompt (remote models)' },
    segmentSeeds: { kind: 'hidden' },
    maxSegmentSec: { kind: 'number', min: 1, step: 0.5, unit: 's', label: 'Longest segment (remote models, optional)' },
    continuity: { kind: 'select', label: 'Segments continue from', options: [{ value: 'chain', label: 'the last frame before (no jump)' }, { value: 'reference', label: 'the reference image (retakes stay local)' }] },
    maxCost: { kind: 'number', min: 0, step: 1, label: 'Max cost (Sogni, optional)' },
  },
  cache: 'fingerprint',
  async fingerprint(p, ctx) {
    const remote = await ctx.services.backends?.getRemoteModel(p.model);
    if (remote) return `remote:${remote.backend}:${remote.id}:${remote.hash ?? remote.version}`;
    // The a2v model may stand in when no image arrives; its hash is part of the key too.
    const ids = [...new Set([p.model, 'a2v'])];
    const hashes = await Promise.all(ids.map(async (id) => `${id}:${await ctx.services.inference.modelHash(id)}`));
    // A mesh model's picture also depends on the face finder's weights (its landmarks) and on
    // the lip-closure detector's (the visemes' p/b/m).
    if ((await ctx.services.inference.getModel(p.model)).mesh) {
      hashes.push(`face-landmarks:${await ctx.services.inference.modelHash('face-landmarks').catch(() => 'none')}`);
      hashes.push(`bilabial:${await ctx.services.inference.modelHash('bilabial').catch(() => 'none')}`);
    }
    // And on the code that renders (src/engine/cache/code-version.ts): an upgrade renders again.
    hashes.push(`code:${await codeFingerprint('video-model')}`);
    // A render made without its WebM preview must not be served to the studio, which plays it.
    if (ctx.services.media.previews === false) hashes.push('no-preview');
    return hashes.join(',');
  },
  async evaluate({ inputs, params: p, ctx }) {
    const { inference, media, audio: audioService } = ctx.services;
    const { audio, features } = inputs;
    const remote = await ctx.services.backends?.getRemoteModel(p.model);
    if (remote) return renderRemote(remote, inputs, p, ctx);
    let manifest: ModelManifest = await inference.getModel(p.model);
    let image = inputs.image;
    if (!image && manifest.requiresImage) {
      ctx.warn(`no image connected: rendering audio-only with the a2v model instead of "${p.model}"`);
      manifest = await inference.getModel('a2v');
    } else if (image && !manifest.requiresImage) {
      ctx.warn(`model "${manifest.id}" is audio-only: the image is not used`);
      image = undefined;
    }
    if (!manifest.controls || !manifest.style) {
      throw new S2VError('E111', `model "${manifest.id}" is not a video model (its manifest lists no controls/style)`, { where: ctx.nodeId, exitCode: 2 });
    }
    const { controls: controlNames, style: styleNames } = manifest;
    const { width, height, fps } = p;
    const frames = Math.round(audio.durationSec * fps);
    if (frames < 1) throw new S2VError('E107', `audio is too short for one frame at ${fps} fps (${audio.durationSec.toFixed(3)} s)`, { where: ctx.nodeId });
    // The frame workers (and the prepare graph's) load onnxruntime and the model while the
    // image is decoded, the face found and the controls built.
    const workers = Math.min(2, availableParallelism());
    const opening = inference.session(manifest.id, undefined, { workers });
    opening.catch(() => undefined);
    if (manifest.prepare) void inference.preload?.(manifest.id, manifest.prepare).catch(() => undefined);
    const unused = () => opening.then((s) => s.release?.(), () => undefined);
    // The prepare graph's worker, preloaded above, is released by prepareFixed once it has run; when
    // the inputs fail before that, it is let go here (a pool that never ran has no idle timer, so in
    // the studio it would stay loaded until the next render).
    const unusedPrepare = () => manifest.prepare ? inference.session(manifest.id, manifest.prepare, { workers: 1 }).then((s) => s.release?.(), () => undefined) : undefined;

    // Everything the model reads besides the workers; on a failure the workers opened above are let go.
    const modelInputs = async () => {
      const style = styleFromPrompt(inputs.prompt, p.seed);
      if (style.matched.length) ctx.log(`prompt style: ${style.matched.join(', ')}`);
      const fixed: Record<string, TensorLike> = { style: { type: 'float32', dims: [1, styleNames.length], data: styleVector(style, styleNames) } };
      let performer: PerformerControls | undefined;
      if (image) {
        const rgb = await media.decodeImage(image.path, { width, height, fit: p.fit, signal: ctx.signal });
        fixed.image = planar(rgb.data, width, height);
        if (manifest.mesh) {
          const faces = inference.detectFaces ? await inference.detectFaces(rgb) : [await inference.detectFace(rgb)].filter((d) => d !== undefined);
          const chosen = chooseFace(faces, p.face, p.landmarks, manualMouth(p), width, height);
          if (chosen.source === 'none') {
            ctx.warn(p.face > 1 && chosen.found > 0
              ? `face ${p.face} asked for but only ${chosen.found} found: moving the whole frame with the voice (set face to 0 for the largest)`
              : 'no face found in the image: moving the whole frame with the voice (set mouthX/mouthY/mouthW/mouthH to place the mouth)');
          } else ctx.log(`face: ${chosen.source}${chosen.found ? ` (${chosen.found} found)` : ''}`);
          const m = chosen.landmarks ? buildMesh(chosen.landmarks, width, height) : buildFallbackMesh(width, height);
          fixed.mesh = { type: 'float32', dims: [width * height, manifest.mesh.bases.length], data: m.mesh };
          fixed.roi = { type: 'int64', dims: [4], data: BigInt64Array.from(m.roi.map(BigInt)) };
          fixed.maps = { type: 'float32', dims: [manifest.mesh.maps.length, m.roi[2] - m.roi[0], m.roi[3] - m.roi[1]], data: m.maps };
          const visemes = ctx.services.audio.visemes ? await ctx.services.audio.visemes(audio, features, fps, frames, { signal: ctx.signal }) : undefined;
          performer = { visemes, expressiveness: p.expressiveness, headMotion: p.headMotion, blinkRate: p.blinkRate };
        } else if (manifest.boxes) {
          const manual = manualMouth(p);
          const det = await inference.detectFace(rgb);
          const boxes = faceBoxes(det, manual, width, height);
          if (boxes.source === 'fallback') ctx.warn('no face found in the image: moving the whole frame with the voice (set mouthX/mouthY/mouthW/mouthH to place the mouth)');
          fixed.boxes = { type: 'float32', dims: [1, manifest.boxes.length], data: Float32Array.from(manifest.boxes, (k) => boxes.values[k] ?? 0) };
        }
      } else {
        fixed.size = { type: 'int64', dims: [2], data: BigInt64Array.from([BigInt(height), BigInt(width)]) };
      }

      const curves = audioService.curvesAtFps(features, fps, frames);
      const controls = buildControls(controlNames, { features, curves, frames, fps, seed: p.seed, motion: p.motion * style.motion, performer });
      const dir = await ctx.artifactDir();
      return { fixed, curves, controls, dir, metadata: await provenanceTags(ctx) };
    };
    const { fixed, curves, controls, dir, metadata } = await modelInputs().catch(async (e: unknown) => {
      await Promise.all([unused(), unusedPrepare()]);
      throw e;
    });
    const outPath = path.join(dir, 'video.mp4');
    // The WebM preview and the live frame cost a third of the encoding: only for a client that shows them.
    const previewPath = media.previews === false ? undefined : path.join(dir, 'preview.webm');
    // ffmpeg starts while the prepare graph runs and the frame workers finish loading.
    const encoding = media.encodeVideo({ outPath, previewPath, width, height, fps, frames, audioPath: audio.path, signal: ctx.signal, metadata });
    encoding.catch(() => undefined);
    let prepared: Record<string, TensorLike>;
    let session: ModelSession;
    let encoder: VideoEncoder;
    try {
      [prepared, session, encoder] = await Promise.all([prepareFixed(inference, manifest, fixed, ctx.signal), opening, encoding]);
    } catch (e) {
      await encoding.then((enc) => enc.abort(), () => undefined);
      await unused();
      if (ctx.signal.aborted) throw cancelledError(ctx.nodeId);
      throw e;
    }
    const live = previewPath ? previewWriter(dir, width, height) : noPreview;
    const watched = { ...encoder, write: (frame: Uint8Array) => (live.offer(frame), encoder.write(frame)) };
    let energy: Float32Array;
    try {
      energy = await renderFrames({
        session, fixed: inputsOf(session, prepared), controls, width, height, encoder: watched, chunk: CHUNK, inFlight: workers * CALLS_PER_WORKER, signal: ctx.signal, where: `${ctx.nodeId} (model ${manifest.id})`,
        onProgress: (done) => {
          const message = `frame ${done}/${frames}`;
          ctx.progress((done / frames) * 0.97, message);
          void live.flush().then((preview) => preview && ctx.progress((done / frames) * 0.97, message, { preview }), () => undefined);
        },
      });
      await encoder.finish();
    } catch (e) {
      await encoder.abort().catch(() => undefined);
      if (ctx.signal.aborted) throw cancelledError(ctx.nodeId);
      throw e;
    } finally {
      await live.dispose().catch(() => undefined);
      // The frame workers hold their arenas (tens of MB each): let them go before the Output
      // node copies the video with another ffmpeg, rather than 30 s later. A next render starts new ones.
      void session.release?.().catch(() => undefined);
    }
    const onset = curves.onset ?? new Float32Array(frames);
    const sync = syncScore(energy, onset, features.beats, fps);
    ctx.log(`sync: onset correlation ${sync.onsetCorrelation}, beat alignment ${sync.beatAlignment}`);
    ctx.progress(1);
    const video: VideoValue = {
      kind: 'video', path: outPath, previewPath, width, height, fps, frames, durationSec: frames / fps, sync,
      label: `${manifest.id}${inputs.prompt ? ` · ${inputs.prompt.slice(0, 40)}` : ''}`,
    };
    return { video };
  },
});
