/**
 * `POST /api/detect-face`: where the lip-sync model will find the face and mouth in an image,
 * so the studio can draw the detected mouth box before anything runs. Boxes come back as
 * fractions of the (EXIF-oriented) image, which is what the thumbnail shows.
 */
import fs from 'node:fs/promises';
import type { Box, Services } from '../engine/index.js';
import type { FaceAnswer, FractionBox } from '../protocol/studio-api.js';

export type { FaceAnswer, FractionBox };


/** Detection runs on a copy whose long side is at most this (the detector shrinks to 400 px itself). */
const DETECT_LONG_SIDE = 512;
/** Enough for every image of a long session; each entry is a few numbers. */
const MAX_ENTRIES = 500;

/** The size to decode at: aspect ratio kept, long side ≤ 512, never upscaled. */
export function detectSize(width: number, height: number): { width: number; height: number } {
  const s = Math.min(1, DETECT_LONG_SIDE / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * s)), height: Math.max(1, Math.round(height * s)) };
}

const round = (n: number) => Math.round(n * 10000) / 10000;
function fraction(b: Box, width: number, height: number): FractionBox {
  return { x: round(b.x / width), y: round(b.y / height), w: round(b.w / width), h: round(b.h / height) };
}

/**
 * Face detection for file paths, memoised per path + mtime + size (the same upload is asked
 * for every time its node re-renders a fresh session; an edited file is detected again).
 * Concurrent asks for one file share one decode.
 */
export class FaceDetector {
  private readonly cache = new Map<string, Promise<FaceAnswer>>();

  constructor(private readonly services: Pick<Services, 'media' | 'inference'>) {}

  /** `file` must already be an allowed, real path. Rejects with S2VError for a non-image. */
  async detect(file: string): Promise<FaceAnswer> {
    const st = await fs.stat(file);
    const key = `${file}\0${st.mtimeMs}\0${st.size}`;
    let hit = this.cache.get(key);
    if (hit) {
      // Refresh its place in the insertion order (the map is the LRU list).
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit;
    }
    hit = this.run(file);
    this.cache.set(key, hit);
    // A failure (e.g. a file caught mid-write) must not stick.
    hit.catch(() => this.cache.delete(key));
    while (this.cache.size > MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    return hit;
  }

  private async run(file: string): Promise<FaceAnswer> {
    const { media, inference } = this.services;
    const shown = await media.probeImage(file);
    const size = detectSize(shown.width, shown.height);
    // 'fill' at the image's own aspect ratio: no crop, no bars, so fractions of the copy are fractions of the image.
    const rgb = await media.decodeImage(file, { ...size, fit: 'fill' });
    const det = await inference.detectFace(rgb);
    const { width, height } = shown;
    if (!det) return { face: null, width, height };
    return {
      face: fraction(det.face, rgb.width, rgb.height),
      mouth: fraction(det.mouth, rgb.width, rgb.height),
      eyes: det.eyes.map((e) => fraction(e, rgb.width, rgb.height)),
      score: det.score,
      // The 68 landmarks the performer animates, as fractions of the image (the studio draws and nudges them).
      ...(det.landmarks ? { landmarks: det.landmarks.map(([x, y]) => [round(x / rgb.width), round(y / rgb.height)] as [number, number]) } : {}),
      width,
      height,
    };
  }
}
