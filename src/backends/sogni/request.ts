/**
 * What we ask the Sogni SDK for, built from one RemoteJob. Pure: no SDK, no network, so the
 * rules below (taken from the SDK's createJobRequestMessage and its docs) are unit-tested.
 *
 * The three audio-driven families differ in what they accept:
 * - Wan 2.2 S2V (`wan_v2.2-14b-fp8_s2v*`): always 16 fps, frames = 16·s + 1, 1–10 s, image + audio,
 *   `audioDuration` (1–30 s) but no `audioStart` (the SDK refuses it outside MiniMax H3).
 * - LTX-2.3 (`ltx23-22b-fp8_{ia2v,a2v}_*`): generates at the requested fps, frames = 1 + 8n, 1–20 s.
 * - MiniMax H3 audio guide (`minimax-h3-fastvideo-int8_{ia2v,a2v}_turbo`): fixed 24 fps,
 *   frames = 124 + 17n (124–362), no negative prompt, no `audioDuration`, width/height on a 32 px grid.
 * Our audio is already cut to the segment, so every request reads it from 0.
 */
import type { FrameGrid, RemoteJob } from '../../engine/services/video-backend.js';
import { S2VError } from '../../engine/errors.js';

export type SogniFamily = 'wan-s2v' | 'ltx' | 'h3';

export function familyOf(modelId: string): SogniFamily {
  if (/^wan_v2\.2-.*_s2v/.test(modelId)) return 'wan-s2v';
  if (/^ltx2\d?-/.test(modelId)) return 'ltx';
  if (/^minimax-h3-/.test(modelId)) return 'h3';
  throw new S2VError('E106', `"${modelId}" is not a Sogni audio-driven video model this backend knows (Wan 2.2 S2V, LTX-2.3, MiniMax H3)`, {
    where: 'sogni',
    hint: 'use one of the sogni-* models from `s2v models`',
  });
}

/** Per-family limits the SDK enforces, in seconds of video. */
const DURATION: Record<SogniFamily, { min: number; max: number }> = {
  'wan-s2v': { min: 1, max: 10 },
  ltx: { min: 1, max: 20 },
  h3: { min: 124 / 24, max: 362 / 24 },
};

/** True when `frames` is on the model's grid and within its limits. */
export function onGrid(grid: FrameGrid, frames: number): boolean {
  return Number.isInteger(frames) && frames >= grid.base && frames <= grid.maxFrames && (frames - grid.base) % grid.step === 0;
}

/**
 * Frames actually requested: a short last segment of a chained plan (under 1 s on Wan/LTX) is
 * raised to the model's shortest request. The node cuts every segment to the frames it planned,
 * so the extra frames never reach the output; the SDK would refuse the shorter request.
 */
export function requestFrames(family: SogniFamily, grid: FrameGrid, frames: number): number {
  if (family === 'h3') return frames;
  const minFrames = grid.base + Math.ceil((DURATION[family].min * grid.fps + 1 - grid.base) / grid.step) * grid.step;
  return Math.max(frames, minFrames);
}

/** The parameters `sogni.projects.create` receives (minus the file buffers). */
export interface SogniVideoRequest {
  type: 'video';
  network: 'fast';
  modelId: string;
  positivePrompt: string;
  negativePrompt?: string;
  numberOfMedia: 1;
  seed: number;
  width: number;
  height: number;
  frames: number;
  fps?: number;
  duration?: number;
  audioDuration?: number;
  tokenType: 'spark' | 'sogni';
  outputFormat: 'mp4';
}

/** Everything the estimate endpoint needs, in the SDK's `estimateVideoCost` shape. */
export interface SogniEstimateRequest {
  tokenType: 'spark' | 'sogni';
  model: string;
  width: number;
  height: number;
  frames: number;
  fps: number;
  duration: number;
  numberOfMedia: 1;
}

type JobShape = Pick<RemoteJob, 'model' | 'prompt' | 'negativePrompt' | 'seed' | 'width' | 'height' | 'frames' | 'imagePath' | 'audioPath' | 'extendSteps'>;

/** Check a job against its model before anything is uploaded; throws E106/E108 naming the field. */
export function checkJob(job: JobShape): SogniFamily {
  const spec = job.model;
  const where = `sogni model ${spec.id}`;
  if (!spec.sogni?.modelId) throw new S2VError('E106', 'manifest has no sogni.modelId', { where });
  const family = familyOf(spec.sogni.modelId);
  const { grid } = spec;
  if (!onGrid(grid, job.frames)) {
    throw new S2VError('E106', `frames ${job.frames} is not on the model's grid (${grid.base} + ${grid.step}·n, at most ${grid.maxFrames})`, { where });
  }
  const seconds = (requestFrames(family, grid, job.frames) - 1) / grid.fps;
  const limits = DURATION[family];
  if (family !== 'h3' && seconds > limits.max + 1e-9) {
    throw new S2VError('E106', `${seconds.toFixed(3)} s per request is above the model's ${limits.max} s`, { where });
  }
  if (job.extendSteps) {
    throw new S2VError('E106', 'Sogni models cover long audio by chaining requests, not by extend steps', { where, hint: 'plan one request per segment (longAudio "chain")' });
  }
  if (spec.image === 'required' && !job.imagePath) throw new S2VError('E106', 'this model needs a reference image', { where, hint: 'connect an Image' });
  if (spec.image === 'none' && job.imagePath) throw new S2VError('E106', 'this model takes no image (audio-to-video)', { where });
  if (spec.prompt === 'required' && !job.prompt.trim()) throw new S2VError('E106', 'this model needs a prompt', { where });
  if (!Number.isInteger(job.seed) || job.seed < 0 || job.seed > 4294967295) {
    throw new S2VError('E106', `seed ${job.seed} must be an integer 0–4294967295`, { where });
  }
  if (family === 'h3') {
    if (job.width % 32 || job.height % 32 || job.width > 1344 || job.height > 1344 || job.width * job.height > 1032192) {
      throw new S2VError('E106', `${job.width}×${job.height} is not a MiniMax H3 size (32 px grid, ≤ 1344 px a side, ≤ 1,032,192 pixels)`, { where });
    }
  } else if (job.width < 480 || job.height < 480) {
    throw new S2VError('E106', `${job.width}×${job.height} is below the 480 px minimum side`, { where });
  }
  return family;
}

/** Build the `projects.create` parameters for one job (files are attached by the caller). */
export function buildVideoRequest(job: JobShape, tokenType: 'spark' | 'sogni'): SogniVideoRequest {
  const family = checkJob(job);
  const modelId = job.model.sogni!.modelId;
  const frames = requestFrames(family, job.model.grid, job.frames);
  const seconds = (frames - 1) / job.model.grid.fps;
  const base: SogniVideoRequest = {
    type: 'video',
    network: 'fast', // video renders only on the fast network
    modelId,
    positivePrompt: job.prompt,
    numberOfMedia: 1,
    seed: job.seed,
    width: job.width,
    height: job.height,
    frames,
    tokenType,
    outputFormat: 'mp4',
  };
  if (family === 'h3') {
    // H3 fixes fps at 24 and sizes the audio window from frames/24; it refuses the rest.
    return base;
  }
  const negative = job.negativePrompt?.trim();
  return {
    ...base,
    ...(negative ? { negativePrompt: negative } : {}),
    // Duration and frames agree exactly ((frames-1)/fps), so the SDK's own frame
    // calculation lands on the same count and validates the length for us.
    fps: job.model.grid.fps,
    duration: seconds,
    // The whole (already cut) segment: frames/fps covers the last frame's span too.
    audioDuration: Math.min(30, Math.max(1, Math.round((frames / job.model.grid.fps) * 1000) / 1000)),
  };
}

/** The estimate request for the same job (the quote is per project of one video). */
export function buildEstimateRequest(job: JobShape, tokenType: 'spark' | 'sogni'): SogniEstimateRequest {
  const family = checkJob(job);
  const { fps } = job.model.grid;
  const frames = requestFrames(family, job.model.grid, job.frames);
  return {
    tokenType,
    model: job.model.sogni!.modelId,
    width: job.width,
    height: job.height,
    frames,
    fps,
    duration: (frames - 1) / fps,
    numberOfMedia: 1,
  };
}
