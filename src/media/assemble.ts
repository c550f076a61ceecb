/**
 * Videos that come back from remote models (ComfyUI, Sogni) → our contract: H.264/AAC at the
 * node's fps and size, the source audio muxed back once, exactly frames/fps long. Several
 * segments of one long generation are joined in the same pass: each keeps a span of its
 * frames (the first is dropped when it repeats the previous segment's last frame), all are
 * retimed to the model's fps, scaled to one size, concatenated and converted to our fps.
 * Also: one frame out of a video (the last kept frame seeds the next segment).
 * Argument builders are pure (assemble.test.ts checks them); every call goes through runFfmpeg.
 */
import fs from 'node:fs/promises';
import { S2VError } from '../engine/errors.js';
import type { FitMode } from '../engine/index.js';
import { AAC, H264, OPUS, QUIET, VP9_PREVIEW, metadataArgs, previewSize, sec } from './args.js';
import { assertReadable, assertWritableDir, commit, discard, tempPathFor } from './atomic.js';
import type { GetBinaries } from './probe.js';
import { runFfmpeg } from './run-ffmpeg.js';

export interface AssembleSegment {
  path: string;
  /** First frame to keep (0-based, in the file's own frame order). */
  startFrame: number;
  /** Frames to keep; undefined keeps the rest of the file (the last segment's spare tail). */
  frames?: number;
}

export interface AssembleOptions {
  segments: AssembleSegment[];
  /** The fps the model generated at: segment frames are retimed to it, whatever the file says. */
  sourceFps: number;
  width: number;
  height: number;
  fps: number;
  /** Output frames: the video lasts exactly frames/fps. */
  frames: number;
  fit: FitMode;
  audioPath: string;
  output: string;
  previewOutput?: string;
  /** Container tags for the mp4 (provenance). */
  metadata?: Record<string, string>;
}

/** scale + crop (fill) or scale + pad (fit, letterbox) to exactly W×H, square pixels. */
export function fitFilter(width: number, height: number, fit: FitMode): string {
  if (fit === 'fill') return `scale=${width}:${height}:force_original_aspect_ratio=increase,crop=${width}:${height},setsar=1`;
  return `scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1`;
}

export function assembleArgs(o: AssembleOptions): string[] {
  const n = o.segments.length;
  const duration = o.frames / o.fps;
  const graph: string[] = [];
  o.segments.forEach((s, i) => {
    const end = s.frames !== undefined ? `:end_frame=${s.startFrame + s.frames}` : '';
    graph.push(`[${i}:v]trim=start_frame=${s.startFrame}${end},setpts=N/(${o.sourceFps}*TB),${fitFilter(o.width, o.height, o.fit)},format=yuv420p[s${i}]`);
  });
  const preview = !!o.previewOutput;
  const head = n > 1 ? `${o.segments.map((_, i) => `[s${i}]`).join('')}concat=n=${n}:v=1:a=0,` : '[s0]';
  graph.push(`${head}fps=${o.fps},setpts=PTS-STARTPTS[vj]`);
  // A backend that delivers fewer frames than asked must not shorten the video: the joined
  // frames lie over a canvas exactly as long as the output, and the last one is held to the end.
  // (overlay's eof_action=repeat, as ffmpeg 4.1 has no tpad.)
  graph.push(`color=c=black:s=${o.width}x${o.height}:r=${o.fps}:d=${sec(duration + 1 / o.fps)}[bg]`);
  graph.push(`[bg][vj]overlay=eof_action=repeat,trim=end_frame=${o.frames},setpts=PTS-STARTPTS,format=yuv420p${preview ? ',split=2[v0][vp]' : '[v0]'}`);
  if (preview) {
    const ps = previewSize(o.width, o.height);
    graph.push(`[vp]scale=${ps.width}:${ps.height}:flags=bicubic[v1]`);
  }
  // The source audio, cut or padded with silence to exactly the video's length.
  graph.push(`[${n}:a]asetpts=PTS-STARTPTS,aresample=48000,apad=whole_len=${Math.round(duration * 48000)},atrim=duration=${sec(duration)}${preview ? ',asplit=2[a0][a1]' : '[a0]'}`);
  return [
    ...QUIET,
    ...o.segments.flatMap((s) => ['-i', s.path]),
    '-i', o.audioPath,
    '-filter_complex', graph.join(';'),
    '-map', '[v0]', '-map', '[a0]',
    ...H264, '-r', String(o.fps), ...AAC,
    ...metadataArgs(o.metadata), '-movflags', '+faststart', '-f', 'mp4', '-y', o.output,
    ...(preview ? ['-map', '[v1]', '-map', '[a1]', ...VP9_PREVIEW, ...OPUS, '-f', 'webm', '-y', o.previewOutput!] : []),
  ];
}

/** Frame `index` (0-based) of a video as a PNG. */
export function extractFrameArgs(o: { input: string; index: number; output: string }): string[] {
  return [...QUIET, '-i', o.input, '-vf', `select=eq(n\\,${o.index})`, '-vsync', '0', '-frames:v', '1', '-f', 'image2', '-c:v', 'png', '-y', o.output];
}

export async function assembleVideo(bins: GetBinaries, o: AssembleOptions & { signal?: AbortSignal }): Promise<void> {
  for (const s of o.segments) await assertReadable(s.path);
  await assertReadable(o.audioPath);
  await assertWritableDir(o.output);
  const temp = tempPathFor(o.output);
  const previewTemp = o.previewOutput ? tempPathFor(o.previewOutput) : undefined;
  try {
    await runFfmpeg({ bin: bins().ffmpeg, args: assembleArgs({ ...o, output: temp, previewOutput: previewTemp }), signal: o.signal, file: o.segments[0]?.path });
    if (previewTemp) await commit(previewTemp, o.previewOutput!);
    await commit(temp, o.output);
  } catch (e) {
    await discard(temp, previewTemp);
    throw e;
  }
}

export async function extractFrame(bins: GetBinaries, o: { input: string; index: number; output: string; signal?: AbortSignal }): Promise<void> {
  await assertReadable(o.input);
  await assertWritableDir(o.output);
  const temp = `${tempPathFor(o.output)}.png`;
  try {
    await runFfmpeg({ bin: bins().ffmpeg, args: extractFrameArgs({ ...o, output: temp }), signal: o.signal, file: o.input });
    if (!(await fs.stat(temp).catch(() => undefined))?.size) throw new S2VError('E110', `has no frame ${o.index}`, { where: o.input, exitCode: 1 });
    await commit(temp, o.output);
  } catch (e) {
    await discard(temp);
    throw e;
  }
}
