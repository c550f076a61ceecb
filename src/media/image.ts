/** Still images: size after EXIF orientation, and decode to exact-size RGB24. */
import { S2VError, type FitMode, type RgbImage } from '../engine/index.js';
import { chooseLowres, decodeImageArgs, orientationSwapsAxes, pixelFormatHasAlpha, planImageDecode } from './args.js';
import { readOrientation } from './exif.js';
import { assertImageComplete } from './image-integrity.js';
import { probeMedia, type GetBinaries } from './probe.js';
import { runFfmpeg } from './run-ffmpeg.js';

/** Upper bound on decoded output so a typo (e.g. 100000×100000) fails clearly instead of OOM. */
const MAX_OUTPUT_PIXELS = 64 * 1024 * 1024;

interface StoredImage {
  storedWidth: number;
  storedHeight: number;
  orientation: number;
  codec: string;
  hasAlpha: boolean;
}

async function inspect(bins: GetBinaries, path: string, signal?: AbortSignal): Promise<StoredImage> {
  await assertImageComplete(path);
  const probe = await probeMedia(bins, path, { signal });
  const v = probe.video;
  if (!v || !(v.width > 0 && v.height > 0)) throw new S2VError('E110', 'not an image (no picture stream)', { where: path });
  const orientation = await readOrientation(path).catch(() => 1);
  return { storedWidth: v.width, storedHeight: v.height, orientation, codec: v.codec, hasAlpha: pixelFormatHasAlpha(v.pixelFormat) };
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
