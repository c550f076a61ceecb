/** Shape of the media service (implemented in src/media — the only code that spawns ffmpeg). */
import type { AudioValue } from '../types.js';

export interface MediaProbe {
  path: string;
  format: string;
  durationSec: number;
  audio?: { codec: string; sampleRate: number; channels: number; durationSec: number };
  video?: { codec: string; width: number; height: number; fps: number; frames?: number; durationSec: number; /** ffprobe pix_fmt, e.g. yuv420p, rgba. */ pixelFormat?: string };
}

export type FitMode = 'fit' | 'fill' | 'letterbox';

export interface RgbImage {
  width: number;
  height: number;
  /** Packed RGB24, row-major, width*height*3 bytes. */
  data: Uint8Array;
}

export interface VideoEncoderOptions {
  outPath: string;
  width: number;
  height: number;
  fps: number;
  /** Exact number of frames that will be written. */
  frames: number;
  audioPath?: string;
  audioStartSec?: number;
  signal?: AbortSignal;
  /** Also write a WebM (VP9/Opus) preview next to the mp4. */
  previewPath?: string;
  /** Container tags for the mp4 (e.g. `comment`: provenance; see src/engine/provenance.ts). */
  metadata?: Record<string, string>;
}

export interface VideoEncoder {
  /** Write one RGB24 frame (width*height*3 bytes). Resolves when ffmpeg accepted it (backpressure). */
  write(frame: Uint8Array): Promise<void>;
  /** Close stdin, wait for ffmpeg, move the finished file(s) into place atomically. */
  finish(): Promise<void>;
  /** Kill ffmpeg and remove partial files. */
  abort(): Promise<void>;
}

export interface MediaService {
  /**
   * False when no client will show a WebM preview or a live frame (`s2v run` without
   * --preview): renders then skip both. Absent means true (the studio, test fakes).
   */
  previews?: boolean;
  ffmpegPath(): string;
  probe(path: string, signal?: AbortSignal): Promise<MediaProbe>;
  /** Decode (a span of) any audio to mono or multichannel float32 PCM, interleaved. */
  decodeAudio(path: string, opts: { sampleRate: number; channels?: number; startSec?: number; durationSec?: number; signal?: AbortSignal }): Promise<Float32Array>;
  /** Stream-decode mono float32 PCM in chunks so memory stays bounded for long files. */
  /** `reuse`: each chunk is the same array, valid until the next is asked for (see src/media/audio.ts). */
  decodeAudioStream(path: string, opts: { sampleRate: number; chunkSamples?: number; signal?: AbortSignal; reuse?: boolean }): AsyncIterable<Float32Array>;
  /** Check that a file is usable audio (exists, not empty, has samples) and describe it; E108/E110 name the file. */
  describeAudio(path: string, signal?: AbortSignal): Promise<AudioValue>;
  /** Seconds of audio as decoded (a header may claim none, or more than is there). */
  decodedAudioSeconds(path: string, signal?: AbortSignal): Promise<number>;
  /** Write PCM (interleaved float32, or planar: one array per channel) to a 16-bit WAV file atomically. */
  writeWav(path: string, pcm: Float32Array | readonly Float32Array[], sampleRate: number, channels: number): Promise<void>;
  /** Cut [startSec, startSec+durationSec) with optional fades into a WAV, atomically. */
  trimAudio(opts: { input: string; output: string; startSec: number; durationSec: number; fadeInSec?: number; fadeOutSec?: number; signal?: AbortSignal }): Promise<void>;
  probeImage(path: string, signal?: AbortSignal): Promise<{ width: number; height: number; orientation: number }>;
  /** Decode an image (EXIF orientation applied) to RGB at exactly width×height. */
  decodeImage(path: string, opts: { width: number; height: number; fit: FitMode; signal?: AbortSignal }): Promise<RgbImage>;
  encodeVideo(opts: VideoEncoderOptions): Promise<VideoEncoder>;
  /**
   * Lay 2–4 videos side by side / in a grid with labels; audio from `audioPath`, else the first.
   * Resolves with warnings (e.g. labels skipped because no font is installed); fakes may return void.
   */
  compareVideos(opts: { inputs: Array<{ path: string; label: string }>; output: string; layout: 'row' | 'grid'; audioPath?: string; previewPath?: string; signal?: AbortSignal; metadata?: Record<string, string> }): Promise<{ warnings: string[] } | void>;
  /**
   * Remote-model results → our contract: keep a span of each segment's frames (retimed to the
   * model's `sourceFps`), join them, scale to width×height (`fit`), convert to `fps`, exactly
   * `frames` long, H.264/AAC with `audioPath` muxed once (+ optional WebM preview). Atomic.
   */
  assembleVideo?(opts: {
    segments: Array<{ path: string; startFrame: number; frames?: number }>;
    sourceFps: number; width: number; height: number; fps: number; frames: number; fit: FitMode;
    audioPath: string; output: string; previewOutput?: string; signal?: AbortSignal; metadata?: Record<string, string>;
  }): Promise<void>;
  /** Frame `index` (0-based) of a video as a PNG, atomically; E110 when the video has no such frame. */
  extractFrame?(opts: { input: string; index: number; output: string; signal?: AbortSignal }): Promise<void>;
  /** Copy a file to `dest` atomically (temp file in the same folder, then rename). */
  copyAtomic(src: string, dest: string): Promise<void>;
  /** copyAtomic, adding container tags (streams copied untouched). Optional so test fakes need not. */
  copyWithMetadata?(src: string, dest: string, metadata: Record<string, string>, signal?: AbortSignal): Promise<void>;
  /** The container's global tags, lower-case keys. */
  readTags?(path: string, signal?: AbortSignal): Promise<Record<string, string>>;
}
