/**
 * The media layer: the only code in S2V Studio that runs ffmpeg/ffprobe, and the home of the
 * one process runner every other program (speech engine, version probes, browser) goes through.
 *
 *   locate.ts      find the binaries (env → npm packages → PATH)
 *   run-process.ts the one place that starts a program: abort → kill, stderr tail → one-line S2VError
 *   run-ffmpeg.ts  ffmpeg/ffprobe through it, with ffmpeg's error messages
 *   args.ts        pure argument builders (unit-tested without ffmpeg)
 *   probe.ts       ffprobe JSON → MediaProbe
 *   audio.ts       decode (whole / streamed), WAV writing, trim
 *   describe-audio.ts  is a file usable audio, its AudioValue, its decoded length
 *   exif.ts        JPEG/PNG EXIF orientation parser
 *   image.ts       probe/decode stills to exact-size RGB24
 *   encode.ts      RGB24 frames → H.264/AAC mp4 (+ VP9/Opus WebM preview)
 *   compare.ts     2–4 videos side by side / 2×2 with labels
 *   assemble.ts    remote-model segments → one H.264/AAC video at our fps/size; one frame out
 *   atomic.ts      temp-file-and-rename helpers
 *   provenance.ts  container tags (copy with tags, read tags) and thumbnails
 */
import type { MediaService } from '../engine/index.js';
import { copyAtomic } from './atomic.js';
import { assembleVideo, extractFrame } from './assemble.js';
import { decodeAudio, decodeAudioStream, trimAudio, writeWav } from './audio.js';
import { compareVideos } from './compare.js';
import { encodeVideo, ffmpegEncodeOnly as encodeOnly } from './encode.js';
import { decodeImage, probeImage } from './image.js';
import { decodedAudioSeconds, describeAudio } from './describe-audio.js';
import { locateFfmpeg, type FfmpegBinaries, type LocateDeps } from './locate.js';
import { probeMedia, type GetBinaries } from './probe.js';
import { copyWithMetadata, extractThumbnail, readFormatTags } from './provenance.js';

export { locateFfmpeg } from './locate.js';
export type { FfmpegBinaries, LocateDeps } from './locate.js';
export { encodeWav } from './audio.js';
export { launchDetached, lastStderrLine, probeOutput, runProcess, spawnProcess, type ProcessExit, type ProcessJob, type ProcessResult, type SpawnProcessOptions } from './run-process.js';
export { LABEL_FONT } from './compare.js';

function lazyBinaries(deps?: LocateDeps): GetBinaries {
  let found: FfmpegBinaries | undefined;
  return () => (found ??= locateFfmpeg(deps));
}

/**
 * Create the real media service. Binaries are located on first use, so a machine without
 * ffmpeg can still start the studio; the first media call then throws E122 with a hint.
 */
export function createMediaService(opts: { locate?: LocateDeps; previews?: boolean } = {}): MediaService {
  const bins = lazyBinaries(opts.locate);
  const media: MediaService = {
    previews: opts.previews ?? true,
    ffmpegPath: () => bins().ffmpeg,
    probe: (path, signal) => probeMedia(bins, path, { signal }),
    decodeAudio: (path, o) => decodeAudio(bins, path, o),
    decodeAudioStream: (path, o) => decodeAudioStream(bins, path, o),
    writeWav: (path, pcm, sampleRate, channels) => writeWav(path, pcm, sampleRate, channels),
    trimAudio: (o) => trimAudio(bins, o),
    probeImage: (path, signal) => probeImage(bins, path, signal),
    decodeImage: (path, o) => decodeImage(bins, path, o),
    encodeVideo: (o) => encodeVideo(bins, o),
    compareVideos: (o) => compareVideos(bins, o),
    copyAtomic: (src, dest) => copyAtomic(src, dest),
    assembleVideo: (o) => assembleVideo(bins, o),
    extractFrame: (o) => extractFrame(bins, o),
    copyWithMetadata: (src, dest, metadata, signal) => copyWithMetadata(bins, src, dest, metadata, signal),
    readTags: (path, signal) => readFormatTags(bins, path, signal),
    describeAudio: (path, signal) => describeAudio(media, path, signal),
    decodedAudioSeconds: (path, signal) => decodedAudioSeconds(media, path, signal),
  };
  return media;
}

/**
 * Bench baseline: ffmpeg alone encodes `frames` synthetic frames (lavfi, no stdin) with the
 * same H.264 settings as encodeVideo. Returns wall-clock seconds.
 */
export function ffmpegEncodeOnly(o: { width: number; height: number; fps: number; frames: number; outPath?: string; signal?: AbortSignal }): Promise<{ seconds: number; outPath?: string }> {
  return encodeOnly(lazyBinaries(), o);
}

/** A PNG thumbnail of a video (bundles use it). */
export function videoThumbnail(o: { input: string; output: string; atSec: number; width: number; jpeg?: boolean; signal?: AbortSignal }): Promise<void> {
  return extractThumbnail(lazyBinaries(), o);
}
