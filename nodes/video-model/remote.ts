/**
 * The Video Model's remote path: a model from a ComfyUI server or the Sogni Supernet.
 * plan (shown before anything runs) → preflight (nothing uploaded or spent before it passes)
 * → cost check → one request per segment, each its own cache entry (a retake re-runs only
 * what changed; a failed run keeps finished segments) → one join at our fps/size with the
 * source audio muxed once, exactly as long as the audio.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { S2VError, cancelledError, type AudioValue, type FeaturesValue, type ImageValue, type NodeContext, type RemoteModelSpec, type VideoValue } from '../../src/engine/index.js';
import { describePlan, planGeneration, type GenerationPlan, type PlanSegment } from './plan.js';
import { provenanceTags } from '../../src/engine/index.js';

export interface RemoteParams {
  width: number;
  height: number;
  fps: number;
  seed: number;
  fit: 'fit' | 'fill' | 'letterbox';
  negativePrompt?: string;
  /** Seed per segment (1-based segment number → seed): a retake of that segment. */
  segmentSeeds: Record<string, number>;
  /** Longest segment in seconds (below the model's own limit). */
  maxSegmentSec?: number;
  /** 'chain': each segment starts from the last frame of the one before (no jump at the seam); 'reference': every segment starts from the reference image. */
  continuity: 'chain' | 'reference';
  maxCost?: number;
}

export interface RemoteInputs {
  image?: ImageValue;
  audio: AudioValue;
  features: FeaturesValue;
  prompt?: string;
}

/** The model size closest in aspect ratio to what the node asks for (ties: the larger). */
export function pickModelSize(sizes: RemoteModelSpec['sizes'], width: number, height: number): { width: number; height: number } {
  const want = Math.log(width / height);
  return [...sizes].sort((a, b) => Math.abs(Math.log(a.width / a.height) - want) - Math.abs(Math.log(b.width / b.height) - want) || b.width * b.height - a.width * a.height)[0]!;
}

export function segmentSeed(p: Pick<RemoteParams, 'seed' | 'segmentSeeds'>, s: PlanSegment): number {
  return p.segmentSeeds[String(s.index + 1)] ?? p.seed + s.index;
}

export function planFor(spec: RemoteModelSpec, audio: AudioValue, features: FeaturesValue, p: Pick<RemoteParams, 'maxSegmentSec'>): GenerationPlan {
  return planGeneration({
    durationSec: audio.durationSec,
    grid: spec.grid,
    longAudio: spec.longAudio,
    features,
    maxSegmentFrames: p.maxSegmentSec ? Math.max(1, Math.floor(p.maxSegmentSec * spec.grid.fps)) : undefined,
  });
}

export async function renderRemote(spec: RemoteModelSpec, inputs: RemoteInputs, p: RemoteParams, ctx: NodeContext): Promise<{ video: VideoValue }> {
  const where = `${ctx.nodeId} (model ${spec.id})`;
  const { backends, media, files } = ctx.services;
  if (!backends) throw new S2VError('E130', 'remote models are not available here (no backend service)', { where, exitCode: 2 });
  if (!media.assembleVideo || !media.extractFrame) throw new S2VError('E122', 'this media service cannot join remote videos', { where, exitCode: 1 });
  let image = inputs.image;
  if (!image && spec.image === 'required') throw new S2VError('E104', `model "${spec.id}" needs a reference image: connect an Image node`, { where, exitCode: 2 });
  if (image && spec.image === 'none') {
    ctx.warn(`model "${spec.id}" is audio-only: the image is not used`);
    image = undefined;
  }
  const prompt = inputs.prompt?.trim() ?? '';
  if (!prompt && spec.prompt === 'required') throw new S2VError('E104', `model "${spec.id}" needs a prompt: connect a Prompt node`, { where, exitCode: 2 });

  const plan = planFor(spec, inputs.audio, inputs.features, p);
  const lines = describePlan(plan);
  await backends.showPlan?.(where, lines);
  ctx.progress(0, `plan: ${plan.segments.length} segment${plan.segments.length > 1 ? 's' : ''}, ${plan.frames} frames @ ${plan.fps} fps`);

  const backend = backends.get(spec.backend);
  // Nothing is uploaded or spent before the backend says it can run this model.
  await backend.preflight(spec, ctx.signal);
  const size = pickModelSize(spec.sizes, p.width, p.height);
  const negativePrompt = p.negativePrompt?.trim() || undefined;
  if (backend.estimate) {
    let total = 0;
    let unit = '';
    let seconds = 0;
    for (const s of plan.segments) {
      const e = await backend.estimate({ model: spec, audioPath: inputs.audio.path, imagePath: image?.path, prompt, negativePrompt, seed: segmentSeed(p, s), width: size.width, height: size.height, frames: s.genFrames, extendSteps: s.extendSteps }, ctx.signal);
      if (!e) continue;
      total += e.amount;
      unit = e.unit;
      seconds += e.seconds ?? 0;
    }
    if (unit) {
      const estimate = { amount: Math.round(total * 1000) / 1000, unit, ...(seconds ? { seconds } : {}) };
      if (p.maxCost !== undefined && estimate.amount > p.maxCost) {
        throw new S2VError('E134', `estimated cost ${estimate.amount} ${unit} is above maxCost ${p.maxCost}; nothing was sent`, { where, hint: 'raise maxCost, shorten the audio or pick a cheaper model', exitCode: 2 });
      }
      ctx.progress(0, `estimated cost ${estimate.amount} ${unit}`);
      if (!backends.confirmCost && backends.requireMaxCost && p.maxCost === undefined) {
        throw new S2VError('E134', `estimated cost ${estimate.amount} ${unit} needs your consent; nothing was sent`, { where, hint: 'set maxCost on the node to allow spending up to it (or run from the CLI, which asks)', exitCode: 2 });
      }
      if (backends.confirmCost && !(await backends.confirmCost(`${where}: ${plan.segments.length} segment(s)`, estimate))) {
        throw new S2VError('E134', `spending ${estimate.amount} ${unit} was not confirmed; nothing was sent`, { where, hint: 'run again and confirm, or pass --yes', exitCode: 2 });
      }
    }
  }

  const dir = await ctx.artifactDir();
  const audioHash = await files.hashFile(inputs.audio.path);
  let startImage = image?.path;
  const pieces: Array<{ path: string; startFrame: number; frames?: number }> = [];
  const n = plan.segments.length;
  for (const s of plan.segments) {
    if (ctx.signal.aborted) throw cancelledError(where);
    const seed = segmentSeed(p, s);
    const imageHash = startImage ? await files.hashFile(startImage) : null;
    // Everything the segment's video depends on — never a server URL or a credential.
    const keyParts = {
      remoteSegment: 1, backend: spec.backend, model: spec.id, modelHash: spec.hash ?? spec.version, image: imageHash, audio: audioHash,
      audioStartSec: s.audioStartSec, audioDurationSec: s.audioDurationSec, frames: s.genFrames, extendSteps: s.extendSteps ?? 0,
      seed, prompt, negativePrompt: negativePrompt ?? null, width: size.width, height: size.height,
    };
    let said = { fraction: (s.index / n) * 0.95, message: `segment ${s.index + 1}/${n}` };
    const produce = async (segDir: string) => {
      const audioPath = path.join(segDir, 'audio.wav');
      await media.trimAudio({ input: inputs.audio.path, output: audioPath, startSec: s.audioStartSec, durationSec: s.audioDurationSec, signal: ctx.signal });
      const r = await backend.generate({
        model: spec, imagePath: startImage, audioPath, prompt, negativePrompt, seed, width: size.width, height: size.height,
        frames: s.genFrames, extendSteps: s.extendSteps, signal: ctx.signal, outDir: segDir,
        onProgress: (f, m) => {
          said = { fraction: ((s.index + Math.max(0, Math.min(1, f))) / n) * 0.95, message: `segment ${s.index + 1}/${n}${m ? `: ${m}` : ''}` };
          ctx.progress(said.fraction, said.message);
        },
        // The backend's preview frame rides on a progress event, so the studio shows it on the node.
        onPreview: (file) => ctx.progress(said.fraction, said.message, { preview: file }),
      });
      return { video: r.videoPath, cost: r.cost ?? null };
    };
    let result: { video: string; cost: { amount: number; unit: string } | null };
    if (ctx.cached) {
      const c = await ctx.cached(keyParts, produce);
      if (c.hit) ctx.progress(((s.index + 1) / n) * 0.95, `segment ${s.index + 1}/${n}: cached`);
      result = c.value;
    } else {
      const segDir = path.join(dir, `segment-${s.index + 1}`);
      await fs.mkdir(segDir, { recursive: true });
      result = await produce(segDir);
    }
    const last = s.index === n - 1;
    // A backend may deliver fewer frames than asked: hold the last one (assembleVideo does) and say so.
    const got = await media.probe(result.video, ctx.signal);
    const delivered = Math.round((got.video?.durationSec ?? got.durationSec) * (got.video?.fps || spec.grid.fps));
    if (delivered < s.dropFirst + s.frames) ctx.warn(`segment ${s.index + 1}: the backend returned ${delivered} frames, ${s.dropFirst + s.frames} were needed — the last frame is held`);
    pieces.push({ path: result.video, startFrame: s.dropFirst, ...(last ? {} : { frames: s.frames }) });
    if (!last && p.continuity === 'chain') {
      // The next segment starts from this one's last kept frame (and drops it when joining).
      const frame = path.join(dir, `segment-${s.index + 1}-last.png`);
      await media.extractFrame({ input: result.video, index: Math.max(0, Math.min(delivered, s.dropFirst + s.frames) - 1), output: frame, signal: ctx.signal });
      startImage = frame;
    }
  }

  ctx.progress(0.96, 'joining and muxing the audio');
  const frames = Math.max(1, Math.round(inputs.audio.durationSec * p.fps));
  const outPath = path.join(dir, 'video.mp4');
  const previewPath = path.join(dir, 'preview.webm');
  await media.assembleVideo({ segments: pieces, sourceFps: spec.grid.fps, width: p.width, height: p.height, fps: p.fps, frames, fit: p.fit, audioPath: inputs.audio.path, output: outPath, previewOutput: previewPath, signal: ctx.signal, metadata: await provenanceTags(ctx) });
  ctx.progress(1);
  return {
    video: {
      kind: 'video', path: outPath, previewPath, width: p.width, height: p.height, fps: p.fps, frames, durationSec: frames / p.fps,
      label: `${spec.id}${prompt ? ` · ${prompt.slice(0, 40)}` : ''}`,
    },
  };
}
