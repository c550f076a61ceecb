/**
 * Pure ffmpeg/ffprobe argument builders. No I/O here: every function maps options to an
 * argument array so args.test.ts can check them without running ffmpeg.
 */
import { S2VError } from '../engine/errors.js';
import type { FitMode } from '../engine/index.js';

/** Quiet, non-interactive, errors only: stderr then holds just the lines worth reporting. */
export const QUIET = ['-hide_banner', '-nostdin', '-loglevel', 'error'] as const;

/** Shared H.264 settings; the bench's encode-only run must use exactly these. */
export const H264 = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-colorspace', 'bt709', '-color_primaries', 'bt709', '-color_trc', 'bt709', '-color_range', 'tv'] as const;
export const AAC = ['-c:a', 'aac', '-b:a', '192k'] as const;
/**
 * VP9/Opus preview tuned for speed: realtime deadline, fastest cpu-used, constant quality,
 * two threads. It shares one ffmpeg pipeline with the H.264 export, so a slow preview would
 * hold the export back: measured on 480 noisy 512² frames, a full-size single-thread preview
 * added ~4 s of wall time to a 4.4 s export; at ≤ 360 px with 2 threads it costs ~1/4 of that.
 */
export const VP9_PREVIEW = ['-c:v', 'libvpx-vp9', '-deadline', 'realtime', '-cpu-used', '8', '-row-mt', '1', '-threads', '2', '-tile-columns', '1', '-crf', '34', '-b:v', '0', '-pix_fmt', 'yuv420p'] as const;
export const OPUS = ['-c:a', 'libopus', '-b:a', '96k'] as const;
/** Converting RGB to limited-range BT.709 explicitly, so players do not guess BT.601. */
export const RGB_TO_YUV = 'scale=out_color_matrix=bt709:out_range=tv,format=yuv420p';
/** The preview plays in a node on the canvas; it need not be full size. */
export const PREVIEW_MAX_WIDTH = 360;

/**
 * Linux caps one argv string at 128 KiB (MAX_ARG_STRLEN); tags are passed on the command line,
 * so a value must stay well under that. Callers keep provenance far smaller than this.
 */
export const MAX_TAG_BYTES = 120 * 1024;

/** `-metadata key=value` pairs (output options: place them before the output they tag). */
export function metadataArgs(metadata: Record<string, string> | undefined): string[] {
  if (!metadata) return [];
  return Object.entries(metadata).flatMap(([k, v]) => {
    if (!/^[a-z][a-z0-9_]*$/.test(k)) throw new S2VError('E106', `metadata key "${k}" is not a plain lower-case name`, { where: 'metadata' });
    if (Buffer.byteLength(v) > MAX_TAG_BYTES) throw new S2VError('E106', `metadata "${k}" is ${Buffer.byteLength(v)} bytes, more than ${MAX_TAG_BYTES}`, { where: 'metadata' });
    return ['-metadata', `${k}=${v}`];
  });
}

/** Seconds as an ffmpeg time string with microsecond precision and no exponent. */
export function sec(n: number): string {
  return (Math.round(n * 1e6) / 1e6).toFixed(6).replace(/\.?0+$/, '') || '0';
}

/**
 * Escape a value for a filter option inside a filtergraph: once for the option parser
 * (\ ' :) and once for the graph parser (\ ' [ ] , ;).
 */
export function escapeFilterValue(v: string): string {
  const level1 = v.replace(/[\\':]/g, '\\$&');
  return level1.replace(/[\\'[\],;]/g, '\\$&');
}

export function even(n: number): number {
  return Math.max(2, 2 * Math.round(n / 2));
}

export function probeArgs(file: string, opts: { countFrames?: boolean } = {}): string[] {
  return ['-v', 'error', ...(opts.countFrames ? ['-count_frames'] : []), '-print_format', 'json', '-show_format', '-show_streams', file];
}

export interface DecodeAudioArgs {
  input: string;
  sampleRate: number;
  channels?: number;
  startSec?: number;
  durationSec?: number;
}

/** Any audio → interleaved float32 little-endian PCM on stdout. */
export function decodeAudioArgs(o: DecodeAudioArgs): string[] {
  return [
    ...QUIET,
    ...(o.startSec ? ['-ss', sec(o.startSec)] : []),
    '-i', o.input,
    ...(o.durationSec !== undefined ? ['-t', sec(o.durationSec)] : []),
    '-map', '0:a:0', '-vn', '-sn', '-dn',
    '-ac', String(o.channels ?? 1),
    '-ar', String(o.sampleRate),
    // Fill ffmpeg's 32 KB output buffer before writing: flushing every packet makes ~15×
    // more (2 KB) pipe reads, which cost the reading node process ~3× the CPU (measured).
    '-f', 'f32le', '-c:a', 'pcm_f32le', '-flush_packets', '0', 'pipe:1',
  ];
}

export interface TrimAudioArgs {
  input: string;
  output: string;
  startSec: number;
  durationSec: number;
  fadeInSec?: number;
  fadeOutSec?: number;
}

/** Cut a span into 16-bit WAV with optional fades (fade-out ends exactly at the cut). */
export function trimAudioArgs(o: TrimAudioArgs): string[] {
  const fades: string[] = [];
  if (o.fadeInSec && o.fadeInSec > 0) fades.push(`afade=t=in:st=0:d=${sec(Math.min(o.fadeInSec, o.durationSec))}`);
  if (o.fadeOutSec && o.fadeOutSec > 0) {
    const d = Math.min(o.fadeOutSec, o.durationSec);
    fades.push(`afade=t=out:st=${sec(o.durationSec - d)}:d=${sec(d)}`);
  }
  return [
    ...QUIET,
    ...(o.startSec > 0 ? ['-ss', sec(o.startSec)] : []),
    '-i', o.input,
    '-t', sec(o.durationSec),
    '-map', '0:a:0', '-vn', '-sn', '-dn',
    ...(fades.length ? ['-af', `asetpts=PTS-STARTPTS,${fades.join(',')}`] : []),
    '-map_metadata', '-1', '-fflags', '+bitexact',
    '-c:a', 'pcm_s16le', '-f', 'wav', '-y', o.output,
  ];
}

/** Where a scaled image sits in the output box. */
export interface Placement {
  /** Size the image is scaled to, in displayed (oriented) space. */
  scaleWidth: number;
  scaleHeight: number;
  /** 'pad' puts it at (x, y) inside the box; 'crop' cuts the box at (x, y) out of it. */
  mode: 'pad' | 'crop';
  x: number;
  y: number;
}

/**
 * fit / letterbox: scale to fit inside, centred on black bars (the two are the same
 * placement; 'letterbox' is the name users know from video). fill: cover, centre crop.
 */
export function placeImage(srcW: number, srcH: number, W: number, H: number, fit: FitMode): Placement {
  const ratio = fit === 'fill' ? Math.max(W / srcW, H / srcH) : Math.min(W / srcW, H / srcH);
  if (fit === 'fill') {
    const sw = Math.max(W, Math.round(srcW * ratio));
    const sh = Math.max(H, Math.round(srcH * ratio));
    return { scaleWidth: sw, scaleHeight: sh, mode: 'crop', x: Math.floor((sw - W) / 2), y: Math.floor((sh - H) / 2) };
  }
  const sw = Math.min(W, Math.max(1, Math.round(srcW * ratio)));
  const sh = Math.min(H, Math.max(1, Math.round(srcH * ratio)));
  return { scaleWidth: sw, scaleHeight: sh, mode: 'pad', x: Math.floor((W - sw) / 2), y: Math.floor((H - sh) / 2) };
}

/** EXIF orientation → filters that turn the stored pixels into the displayed picture. */
export function orientationFilters(orientation: number): string[] {
  switch (orientation) {
    case 2: return ['hflip'];
    case 3: return ['hflip', 'vflip'];
    case 4: return ['vflip'];
    case 5: return ['transpose=cclock_flip']; // mirror across the main diagonal
    case 6: return ['transpose=clock'];
    case 7: return ['transpose=clock_flip']; // mirror across the anti-diagonal
    case 8: return ['transpose=cclock'];
    default: return [];
  }
}

export function orientationSwapsAxes(orientation: number): boolean {
  return orientation >= 5 && orientation <= 8;
}

export interface DecodeImageArgs {
  input: string;
  /** Stored (pre-orientation) size from ffprobe. */
  storedWidth: number;
  storedHeight: number;
  orientation: number;
  width: number;
  height: number;
  fit: FitMode;
  /** Source pixel format has an alpha channel (then it is composited on black). */
  hasAlpha?: boolean;
  /** JPEG only: decode at 1/2^lowres size (see chooseLowres). */
  lowres?: number;
}

/** Pixel formats that carry alpha (pal8 may: PNG palettes with transparency). */
export function pixelFormatHasAlpha(pixFmt: string | undefined): boolean {
  return !!pixFmt && /^(rgba|bgra|argb|abgr|ya|yuva|gbrap|pal8)/.test(pixFmt);
}

/**
 * JPEG decoders can decode at 1/2, 1/4 or 1/8 size almost for free; pick the largest
 * reduction that still leaves at least the scaled size (in stored axes), so huge photos
 * decode fast without losing quality.
 */
export function chooseLowres(codec: string | undefined, storedW: number, storedH: number, scaleW: number, scaleH: number): number {
  if (codec !== 'mjpeg') return 0;
  let k = 0;
  while (k < 3 && Math.floor(storedW / 2 ** (k + 1)) >= scaleW && Math.floor(storedH / 2 ** (k + 1)) >= scaleH) k++;
  return k;
}

/** Scale size in stored (pre-orientation) axes, and where the result is placed. */
export function planImageDecode(o: Pick<DecodeImageArgs, 'storedWidth' | 'storedHeight' | 'orientation' | 'width' | 'height' | 'fit'>): Placement & { storedScaleWidth: number; storedScaleHeight: number } {
  const swap = orientationSwapsAxes(o.orientation);
  const shownW = swap ? o.storedHeight : o.storedWidth;
  const shownH = swap ? o.storedWidth : o.storedHeight;
  const p = placeImage(shownW, shownH, o.width, o.height, o.fit);
  const [storedScaleWidth, storedScaleHeight] = swap ? [p.scaleHeight, p.scaleWidth] : [p.scaleWidth, p.scaleHeight];
  return { ...p, storedScaleWidth, storedScaleHeight };
}

/**
 * Alpha over opaque black. An overlay on a blacked-out copy rather than `premultiply`:
 * ffmpeg 4.1 (the npm-shipped binary) premultiplies RGB as if it were limited range, so
 * transparent pixels came out (16,16,16) instead of black.
 */
export const ALPHA_ON_BLACK = 'format=gbrap,split[bg][fg];[bg]lutrgb=r=0:g=0:b=0:a=255[black];[black][fg]overlay=format=gbrp';

/**
 * First frame of an image → exactly width×height RGB24 on stdout. Alpha is composited on
 * black (only when the source has alpha: it costs a full-size RGBA pass), the
 * scale happens before the rotation so huge inputs are shrunk first, and ffmpeg's own
 * autorotation is off because we apply EXIF orientation ourselves.
 */
export function decodeImageArgs(o: DecodeImageArgs): string[] {
  const p = planImageDecode(o);
  const chain = [
    ...(o.hasAlpha ? [ALPHA_ON_BLACK] : []),
    `scale=${p.storedScaleWidth}:${p.storedScaleHeight}:flags=lanczos+accurate_rnd+full_chroma_int`,
    ...orientationFilters(o.orientation),
    p.mode === 'crop'
      ? `crop=${o.width}:${o.height}:${p.x}:${p.y}`
      : `pad=${o.width}:${o.height}:${p.x}:${p.y}:color=black`,
    'setsar=1',
    'format=rgb24',
  ];
  return [
    ...QUIET,
    ...(o.lowres ? ['-lowres', String(o.lowres)] : []),
    '-noautorotate',
    '-i', o.input,
    '-map', '0:v:0', '-frames:v', '1',
    '-vf', chain.join(','),
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}

export interface EncodeVideoArgs {
  width: number;
  height: number;
  fps: number;
  frames: number;
  /** Temp path the mp4 is written to (format forced, so the name needs no extension). */
  output: string;
  audioPath?: string;
  audioStartSec?: number;
  previewOutput?: string;
  /** Container tags for the mp4 (provenance). */
  metadata?: Record<string, string>;
}

/** Preview size: at most PREVIEW_MAX_WIDTH wide, even, same aspect. */
export function previewSize(width: number, height: number): { width: number; height: number } {
  if (width <= PREVIEW_MAX_WIDTH) return { width: even(width), height: even(height) };
  return { width: PREVIEW_MAX_WIDTH, height: even((height * PREVIEW_MAX_WIDTH) / width) };
}

/**
 * Audio is padded with silence or cut so it lasts exactly frames/fps, which makes the
 * video and audio stream durations agree.
 */
function exactAudioChain(durationSec: number): string {
  const d = sec(durationSec);
  // whole_len (samples) rather than whole_dur: the npm-shipped ffmpeg 4.1 has no whole_dur.
  return `asetpts=PTS-STARTPTS,aresample=48000,apad=whole_len=${Math.round(durationSec * 48000)},atrim=duration=${d}`;
}

/** RGB24 frames on stdin → H.264/AAC mp4 (+ optional VP9/Opus WebM preview) in one pass. */
export function encodeVideoArgs(o: EncodeVideoArgs): string[] {
  const duration = o.frames / o.fps;
  const hasAudio = !!o.audioPath;
  const preview = !!o.previewOutput;
  const graph: string[] = [];
  graph.push(`[0:v]${RGB_TO_YUV}${preview ? ',split=2[v0][vp]' : '[v0]'}`);
  if (preview) {
    const ps = previewSize(o.width, o.height);
    graph.push(`[vp]scale=${ps.width}:${ps.height}:flags=bicubic[v1]`);
  }
  if (hasAudio) graph.push(`[1:a]${exactAudioChain(duration)}${preview ? ',asplit=2[a0][a1]' : '[a0]'}`);
  return [
    ...QUIET,
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-video_size', `${o.width}x${o.height}`, '-framerate', String(o.fps), '-i', 'pipe:0',
    ...(hasAudio ? [...(o.audioStartSec ? ['-ss', sec(o.audioStartSec)] : []), '-i', o.audioPath!] : []),
    '-filter_complex', graph.join(';'),
    '-map', '[v0]', ...(hasAudio ? ['-map', '[a0]'] : []),
    ...H264, ...(hasAudio ? AAC : []),
    // No -frames:v here: the writer feeds exactly `frames` frames and the audio chain lasts
    // exactly frames/fps; a frame cap makes the muxer stop before the audio tail is flushed.
    ...metadataArgs(o.metadata),
    '-movflags', '+faststart', '-f', 'mp4', '-y', o.output,
    ...(preview
      ? ['-map', '[v1]', ...(hasAudio ? ['-map', '[a1]'] : []), ...VP9_PREVIEW, ...(hasAudio ? OPUS : []), '-f', 'webm', '-y', o.previewOutput!]
      : []),
  ];
}

/** The bench's baseline: ffmpeg encoding synthetic RGB frames with our exact encoder settings. */
export function encodeOnlyArgs(o: { width: number; height: number; fps: number; frames: number; output: string }): string[] {
  return [
    ...QUIET,
    '-f', 'lavfi', '-i', `testsrc2=size=${o.width}x${o.height}:rate=${o.fps}`,
    '-vf', `format=rgb24,${RGB_TO_YUV}`,
    ...H264,
    '-frames:v', String(o.frames), '-movflags', '+faststart', '-f', 'mp4', '-y', o.output,
  ];
}

export interface CompareCell {
  path: string;
  /** Scaled picture size and the cell (box) it is centred in; equal for 'row'. */
  scaleWidth: number;
  scaleHeight: number;
  cellWidth: number;
  cellHeight: number;
  /** File holding the label text (drawtext reads it verbatim, no escaping needed). */
  labelFile?: string;
}

export interface CompareArgs {
  cells: CompareCell[];
  layout: 'row' | 'grid';
  fps: number;
  durationSec: number;
  fontFile?: string;
  /** Audio source: an extra file, or the first input's own audio. */
  audioPath?: string;
  audioFromFirst?: boolean;
  output: string;
  previewOutput?: string;
  /** Container tags for the mp4. */
  metadata?: Record<string, string>;
  /** Size of the whole stacked picture (for the preview scale). */
  totalWidth: number;
  totalHeight: number;
}

/** Layout string for xstack: positions built from the cell sizes of earlier cells. */
export function gridLayout(n: number): string {
  const pos = ['0_0', 'w0_0', '0_h0', 'w0_h0'];
  return pos.slice(0, n).join('|');
}

/** 2–4 videos → one mp4 (row via hstack, 2×2 via xstack), labels burned in, one audio track. */
// A grid of three gets a black fourth cell from a color source: xstack's own `fill` option
// is missing from ffmpeg 4.1 (the npm-shipped binary), which leaves that cell uninitialised.
export function compareArgs(o: CompareArgs): string[] {
  const n = o.cells.length;
  const graph: string[] = [];
  o.cells.forEach((c, i) => {
    const steps = [
      'setpts=PTS-STARTPTS',
      `fps=${o.fps}`,
      `scale=${c.scaleWidth}:${c.scaleHeight}:flags=bicubic`,
      'setsar=1',
    ];
    if (c.cellWidth !== c.scaleWidth || c.cellHeight !== c.scaleHeight) {
      steps.push(`pad=${c.cellWidth}:${c.cellHeight}:${Math.floor((c.cellWidth - c.scaleWidth) / 2)}:${Math.floor((c.cellHeight - c.scaleHeight) / 2)}:color=black`);
    }
    if (o.fontFile && c.labelFile) {
      const size = Math.max(12, Math.round(c.cellHeight / 20));
      steps.push(
        `drawtext=fontfile=${escapeFilterValue(o.fontFile)}:textfile=${escapeFilterValue(c.labelFile)}:expansion=none` +
          `:x=${Math.round(size / 2)}:y=${Math.round(size / 2)}:fontsize=${size}:fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=${Math.round(size / 4)}`,
      );
    }
    graph.push(`[${i}:v]${steps.join(',')}[c${i}]`);
  });
  const grid = o.layout === 'grid' && n > 2;
  const cellsIn = grid ? 4 : n;
  if (grid && n === 3) {
    const c = o.cells[0]!;
    graph.push(`color=c=black:s=${c.cellWidth}x${c.cellHeight}:r=${o.fps},setsar=1[c3]`);
  }
  const ins = Array.from({ length: cellsIn }, (_, i) => `[c${i}]`).join('');
  const stack = grid ? `xstack=inputs=4:layout=${gridLayout(4)}:shortest=1` : `hstack=inputs=${n}:shortest=1`;
  const preview = !!o.previewOutput;
  graph.push(`${ins}${stack},${RGB_TO_YUV}${preview ? ',split=2[v0][vp]' : '[v0]'}`);
  if (preview) {
    const ps = previewSize(o.totalWidth, o.totalHeight);
    graph.push(`[vp]scale=${ps.width}:${ps.height}:flags=bicubic[v1]`);
  }
  const audioIndex = o.audioPath ? n : o.audioFromFirst ? 0 : -1;
  if (audioIndex >= 0) graph.push(`[${audioIndex}:a:0]${exactAudioChain(o.durationSec)}${preview ? ',asplit=2[a0][a1]' : '[a0]'}`);
  const hasAudio = audioIndex >= 0;
  return [
    ...QUIET,
    ...o.cells.flatMap((c) => ['-i', c.path]),
    ...(o.audioPath ? ['-i', o.audioPath] : []),
    '-filter_complex', graph.join(';'),
    '-map', '[v0]', ...(hasAudio ? ['-map', '[a0]'] : []),
    ...H264, ...(hasAudio ? AAC : []),
    '-t', sec(o.durationSec), ...metadataArgs(o.metadata), '-movflags', '+faststart', '-f', 'mp4', '-y', o.output,
    ...(preview
      ? ['-map', '[v1]', ...(hasAudio ? ['-map', '[a1]'] : []), ...VP9_PREVIEW, ...(hasAudio ? OPUS : []), '-t', sec(o.durationSec), '-f', 'webm', '-y', o.previewOutput!]
      : []),
  ];
}
