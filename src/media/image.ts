/** Still images: size after EXIF orientation, and decode to exact-size RGB24. */
import { open } from 'node:fs/promises';
import { S2VError } from '../engine/errors.js';
import type { FitMode, RgbImage } from '../engine/index.js';
import { chooseLowres, decodeImageArgs, orientationSwapsAxes, pixelFormatHasAlpha, planImageDecode } from './args.js';
import { readOrientation } from './exif.js';
import { assertImageComplete } from './image-integrity.js';
import { probeMedia, type GetBinaries } from './probe.js';
import { runFfmpeg } from './run-ffmpeg.js';

/** Upper bound on decoded output so a typo (e.g. 100000×100000) fails clearly instead of OOM. */
const MAX_OUTPUT_PIXELS = 64 * 1024 * 1024;
/**
 * Largest source picture: 100 megapixels (a 10000×10000 scan). Decoding a 16384×16384 one takes
 * ~1 GB of frames inside ffmpeg for a picture that is shrunk to video size anyway.
 */
const MAX_INPUT_PIXELS = 100_000_000;

interface StoredImage {
  storedWidth: number;
  storedHeight: number;
  orientation: number;
  codec: string;
  hasAlpha: boolean;
}

async function inspect(bins: GetBinaries, path: string, signal?: AbortSignal): Promise<StoredImage> {
  await assertImageComplete(path, MAX_INPUT_PIXELS);
  await refuseVector(path);
  const probe = await probeMedia(bins, path, { signal });
  const v = probe.video;
  if (!v || !(v.width > 0 && v.height > 0)) throw new S2VError('E110', 'not an image (no picture stream)', { where: path });
  if (v.width * v.height > MAX_INPUT_PIXELS) {
    throw new S2VError('E110', `image is ${v.width}×${v.height} (${Math.round((v.width * v.height) / 1e6)} MP); the largest S2V reads is ${MAX_INPUT_PIXELS / 1e6} MP`, {
      where: path,
      hint: 'scale it down first',
    });
  }
  const orientation = await readOrientation(path).catch(() => 1);
  return { storedWidth: v.width, storedHeight: v.height, orientation, codec: v.codec, hasAlpha: pixelFormatHasAlpha(v.pixelFormat) };
}

/**
 * SVG is a drawing, not a picture: only some ffmpeg builds rasterise it (5.x with librsvg does,
 * the bundled 4.1 does not), at a size of their choosing. Refuse it the same way everywhere.
 */
async function refuseVector(path: string): Promise<void> {
  const head = await readHead(path, 512);
  if (/\.svgz?$/i.test(path) || /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/i.test(head)) {
    throw new S2VError('E110', 'SVG is a vector drawing, not a picture S2V can use', { where: path, hint: 'export it as PNG or JPEG' });
  }
}

async function readHead(path: string, bytes: number): Promise<string> {
  const fh = await open(path, 'r').catch(() => undefined);
  if (!fh) return '';
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}

/** Width/height as displayed, i.e. after EXIF orientation (5–8 swap the axes). */
export async function probeImage(bins: GetBinaries, path: string, signal?: AbortSignal): Promise<{ width: number; height: number; orientation: number }> {
  const s = await inspect(bins, path, signal);
  const swap = orientationSwapsAxes(s.orientation);
  return { width: swap ? s.storedHeight : s.storedWidth, height: swap ? s.storedWidth : s.storedHeight, orientation: s.orientation };
}

/** Decode the first frame with orientation applied, scaled per `fit` to exactly width×height. */
export async function decodeImage(
  bins: GetBinaries,
  path: string,
  o: { width: number; height: number; fit: FitMode; signal?: AbortSignal },
): Promise<RgbImage> {
  const { width, height } = o;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width * height > MAX_OUTPUT_PIXELS) {
    throw new S2VError('E106', `image size ${width}×${height} is invalid`, { where: path });
  }
  if (o.fit !== 'fit' && o.fit !== 'fill' && o.fit !== 'letterbox') throw new S2VError('E106', `unknown fit mode '${String(o.fit)}'`, { where: path });
  const s = await inspect(bins, path, o.signal);
  const plan = planImageDecode({ ...s, width, height, fit: o.fit });
  const lowres = chooseLowres(s.codec, s.storedWidth, s.storedHeight, plan.storedScaleWidth, plan.storedScaleHeight);
  const { stdout } = await runFfmpeg({
    bin: bins().ffmpeg,
    args: decodeImageArgs({ input: path, ...s, width, height, fit: o.fit, lowres }),
    signal: o.signal,
    file: path,
  });
  const expected = width * height * 3;
  if (stdout.length !== expected) {
    throw new S2VError('E110', `decoded ${stdout.length} bytes, expected ${expected} (corrupt image?)`, { where: path });
  }
  return { width, height, data: new Uint8Array(stdout.buffer, stdout.byteOffset, stdout.byteLength) };
}
