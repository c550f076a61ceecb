/** ffprobe JSON → MediaProbe. */
import { S2VError } from '../engine/errors.js';
import type { MediaProbe } from '../engine/index.js';
import { probeArgs } from './args.js';
import { assertReadable } from './atomic.js';
import type { FfmpegBinaries } from './locate.js';
import { runFfmpeg } from './run-ffmpeg.js';

/** Lazily located binaries, so creating the service never fails on machines without ffmpeg. */
export type GetBinaries = () => FfmpegBinaries;

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  pix_fmt?: string;
  sample_rate?: string;
  channels?: number;
  width?: number;
  height?: number;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  nb_read_frames?: string;
  duration?: string;
}
interface FfprobeJson {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string };
}

function rate(r: string | undefined): number {
  if (!r) return 0;
  const [n, d] = r.split('/').map(Number);
  return d ? n! / d : Number(n) || 0;
}

function num(s: string | undefined): number | undefined {
  const v = s === undefined ? NaN : Number(s);
  return Number.isFinite(v) ? v : undefined;
}

export function parseProbe(path: string, json: FfprobeJson): MediaProbe {
  const streams = json.streams ?? [];
  const formatDuration = num(json.format?.duration) ?? 0;
  const a = streams.find((s) => s.codec_type === 'audio');
  // Cover art in audio files shows up as a video stream with a single frame; callers that care
  // check `frames`/`fps`.
  const v = streams.find((s) => s.codec_type === 'video');
  const probe: MediaProbe = { path, format: json.format?.format_name ?? 'unknown', durationSec: formatDuration };
  if (a) {
    probe.audio = {
      codec: a.codec_name ?? 'unknown',
      sampleRate: Number(a.sample_rate ?? 0),
      channels: a.channels ?? 0,
      durationSec: num(a.duration) ?? formatDuration,
    };
  }
  if (v) {
    const frames = num(v.nb_read_frames) ?? num(v.nb_frames);
    probe.video = {
      codec: v.codec_name ?? 'unknown',
      ...(v.pix_fmt ? { pixelFormat: v.pix_fmt } : {}),
      width: v.width ?? 0,
      height: v.height ?? 0,
      fps: rate(v.avg_frame_rate) || rate(v.r_frame_rate),
      ...(frames !== undefined ? { frames } : {}),
      durationSec: num(v.duration) ?? formatDuration,
    };
  }
  return probe;
}

/** Probe a media file. E108 if missing, E110 if ffprobe cannot read it or it has no streams. */
export async function probeMedia(bins: GetBinaries, path: string, opts: { signal?: AbortSignal; countFrames?: boolean } = {}): Promise<MediaProbe> {
  await assertReadable(path);
  const { stdout } = await runFfmpeg({ bin: bins().ffprobe, args: probeArgs(path, opts), signal: opts.signal, file: path });
  let json: FfprobeJson;
  try {
    json = JSON.parse(stdout.toString('utf8')) as FfprobeJson;
  } catch {
    throw new S2VError('E110', 'ffprobe returned unreadable output', { where: path, exitCode: 1 });
  }
  const probe = parseProbe(path, json);
  if (!probe.audio && !probe.video) throw new S2VError('E110', 'no audio or video stream found', { where: path });
  return probe;
}
