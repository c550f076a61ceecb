/**
 * Container metadata for provenance (see src/engine/provenance.ts for what goes in it):
 * pure argument builders plus three calls through the one spawner — copy a video with new
 * tags (stream copy, frames untouched), read the tags back, and grab a thumbnail frame.
 * Uses only options ffmpeg 4.1 has (-metadata, -map_metadata, -show_entries format_tags).
 */
import { S2VError } from '../engine/errors.js';
import { QUIET, metadataArgs, sec } from './args.js';
import { assertReadable, assertWritableDir, commit, discard, tempPathFor } from './atomic.js';
import type { GetBinaries } from './probe.js';
import { runFfmpeg } from './run-ffmpeg.js';

/** Copy every stream unchanged into a new mp4 with the source's tags plus `metadata`. */
export function retagArgs(o: { input: string; output: string; metadata: Record<string, string> }): string[] {
  return [...QUIET, '-i', o.input, '-map', '0', '-c', 'copy', '-map_metadata', '0', ...metadataArgs(o.metadata), '-movflags', '+faststart', '-f', 'mp4', '-y', o.output];
}

export function formatTagsArgs(file: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_entries', 'format_tags', file];
}

/** One frame at `atSec`, scaled to `width` px wide (height keeps the aspect, even), as PNG (or JPEG). */
export function thumbnailArgs(o: { input: string; output: string; atSec: number; width: number; jpeg?: boolean }): string[] {
  const codec = o.jpeg ? ['-c:v', 'mjpeg', '-q:v', '4', '-pix_fmt', 'yuvj420p'] : ['-c:v', 'png'];
  return [...QUIET, '-ss', sec(o.atSec), '-i', o.input, '-frames:v', '1', '-vf', `scale=${o.width}:-2:flags=bicubic`, '-f', 'image2', ...codec, '-y', o.output];
}

/** `src` → `dest` (atomically) with extra container tags; audio and video bytes are copied as they are. */
export async function copyWithMetadata(bins: GetBinaries, src: string, dest: string, metadata: Record<string, string>, signal?: AbortSignal): Promise<void> {
  await assertReadable(src);
  await assertWritableDir(dest);
  const temp = tempPathFor(dest);
  try {
    await runFfmpeg({ bin: bins().ffmpeg, args: retagArgs({ input: src, output: temp, metadata }), signal, file: src, stdout: 'ignore' });
  } catch (e) {
    await discard(temp);
    throw e;
  }
  await commit(temp, dest);
}

/** The container's global tags (lower-cased keys); {} when it has none. */
export async function readFormatTags(bins: GetBinaries, file: string, signal?: AbortSignal): Promise<Record<string, string>> {
  await assertReadable(file);
  const { stdout } = await runFfmpeg({ bin: bins().ffprobe, args: formatTagsArgs(file), signal, file });
  let json: { format?: { tags?: Record<string, unknown> } };
  try {
    json = JSON.parse(stdout.toString('utf8'));
  } catch {
    throw new S2VError('E110', 'ffprobe returned unreadable output', { where: file, exitCode: 1 });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(json.format?.tags ?? {})) if (typeof v === 'string') out[k.toLowerCase()] = v;
  return out;
}

/** A PNG thumbnail of a video, written atomically. */
export async function extractThumbnail(bins: GetBinaries, o: { input: string; output: string; atSec: number; width: number; jpeg?: boolean; signal?: AbortSignal }): Promise<void> {
  await assertReadable(o.input);
  await assertWritableDir(o.output);
  const temp = tempPathFor(o.output);
  try {
    await runFfmpeg({ bin: bins().ffmpeg, args: thumbnailArgs({ ...o, output: temp }), signal: o.signal, file: o.input, stdout: 'ignore' });
  } catch (e) {
    await discard(temp);
    throw e;
  }
  await commit(temp, o.output);
}
