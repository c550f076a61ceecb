/**
 * Face, eye and mouth finder for the lip-sync (`performer`) model: OpenCV's stock Haar cascades
 * (models/face-haar/) run by a pure-TypeScript port of CascadeClassifier — offline, no native code.
 */

import { S2VError } from '../../engine/errors.js';
import type { Box, FaceDetection } from '../../engine/services/inference.js';
import type { RgbImage } from '../../engine/services/media.js';
import { faceCascades } from './cascades.js';
import { cropResize, rgbToGray, type GrayImage } from './gray.js';
import type { GroupedRect } from './group.js';
import { detectMultiScale, type HaarCascade } from './haar.js';

// The result types are the engine's (the studio UI imports them too); see their fields there.
// Here: boxes are integer pixels inside the image; the mouth is 0.4 × 0.18 of the face, centred
// where the smile cascade votes when it fires where a mouth can be, else from face geometry;
// eyes are 0–2, left to right; score is OpenCV's neighbour count (≥ 4).
export type { Box, FaceDetection };

/** Faces are looked for on a copy at most this long (px): detection cost grows with the pixel count. */
const DETECT_LONG_SIDE = 400;
/** Eyes and mouth are looked for on the face resampled to this width, so the parts cover the 20 px / 36 px cascade windows. */
const PART_FACE_WIDTH = 200;

/**
 * Find the most prominent frontal face in `img` (largest box, weighted by cascade support), plus its
 * eyes and mouth. Resolves undefined when there is no face, or the image is smaller than 20×20.
 * Throws S2VError E110 when `img.data` does not hold width×height×3 bytes, E111 when the cascades
 * in models/face-haar/ are missing or corrupt.
 */
export async function detectFace(img: RgbImage): Promise<FaceDetection | undefined> {
  const { width: w, height: h, data } = img;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w <= 0 || h <= 0 || data.length !== w * h * 3) {
    throw new S2VError('E110', `image is ${w}×${h} but holds ${data.length} bytes (expected ${w}×${h}×3 RGB)`, { where: 'detectFace' });
  }
  const cascades = await faceCascades();
  const gray = rgbToGray(w, h, data);

  const s = Math.min(1, DETECT_LONG_SIDE / Math.max(w, h));
  const small = s < 1 ? cropResize(gray, { x: 0, y: 0, w, h }, Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s))) : gray;
  const best = largestFace(cascades.face, small);
  if (!best) return undefined;

  const sx = w / small.width; // per axis: the shrunk size was rounded
  const sy = h / small.height;
  const face = toBox({ x: best.x * sx, y: best.y * sy, w: best.w * sx, h: best.h * sy }, w, h);
  const eyes = findEyes(cascades.eye, gray, face);
  const mouth = mouthBox(face, eyes, mouthCentreFromCascade(cascades.smile, gray, face), w, h);
  return { face, mouth, eyes, score: best.neighbors };
}

function largestFace(cascade: HaarCascade, img: GrayImage): GroupedRect | undefined {
  // A face under 1/8 of the short side is too small to animate and is where most false hits live, so
  // look there only when nothing bigger is found; this keeps the usual portrait case to a fraction of
  // a full scan.
  const minFace = Math.round(Math.min(img.width, img.height) / 8);
  let faces = detectMultiScale(cascade, img, { scaleFactor: 1.1, minNeighbors: 3, minSize: minFace });
  if (faces.length === 0 && minFace > cascade.width) faces = detectMultiScale(cascade, img, { scaleFactor: 1.1, minNeighbors: 3, maxSize: minFace });
  let best: GroupedRect | undefined;
  for (const f of faces) if (!best || f.w * f.h * f.neighbors > best.w * best.h * best.neighbors) best = f;
  return best;
}

/**
 * Run `cascade` on `region` of `gray` after resampling it by `scale`; returns hits in `gray` pixels.
 * Part cascades are run on the full-resolution image, so a small face in a big photo keeps its detail.
 */
function detectIn(cascade: HaarCascade, gray: GrayImage, region: Box, scale: number, opts: { minNeighbors: number; minW: number; maxW: number }): GroupedRect[] {
  const rw = Math.max(1, Math.round(region.w * scale));
  const rh = Math.max(1, Math.round(region.h * scale));
  const patch = cropResize(gray, region, rw, rh);
  const sx = region.w / rw;
  const sy = region.h / rh;
  const size = { minSize: opts.minW * scale, maxSize: opts.maxW * scale };
  return detectMultiScale(cascade, patch, { scaleFactor: 1.1, minNeighbors: opts.minNeighbors, ...size }).map((r) => ({
    x: region.x + r.x * sx, y: region.y + r.y * sy, w: r.w * sx, h: r.h * sy, neighbors: r.neighbors,
  }));
}

function findEyes(cascade: HaarCascade, gray: GrayImage, face: Box): Box[] {
  const region = { x: face.x, y: face.y + 0.15 * face.h, w: face.w, h: 0.45 * face.h };
  const hits = detectIn(cascade, gray, region, PART_FACE_WIDTH / face.w, { minNeighbors: 3, minW: 0.1 * face.w, maxW: 0.4 * face.w });
  const cx = face.x + face.w / 2;
  const pick = (side: (e: GroupedRect) => boolean): GroupedRect | undefined =>
    hits.filter(side).sort((a, b) => b.neighbors - a.neighbors)[0];
  const left = pick((e) => e.x + e.w / 2 < cx);
  const right = pick((e) => e.x + e.w / 2 >= cx);
  return [left, right].filter((e): e is GroupedRect => e !== undefined).map((e) => toBox(e, gray.width, gray.height));
}

/**
 * Where the smile cascade puts the mouth, or undefined. The cascade (trained on mouth crops) fires all over
 * a lower face — hundreds of raw hits — so the grouped box is a vote for the mouth's centre, not a
 * measurement of the lips; a vote counts only where a mouth can be.
 */
function mouthCentreFromCascade(cascade: HaarCascade, gray: GrayImage, face: Box): { x: number; y: number } | undefined {
  const region = { x: face.x + 0.15 * face.w, y: face.y + 0.6 * face.h, w: 0.7 * face.w, h: 0.4 * face.h };
  const cx = face.x + face.w / 2;
  const votes = detectIn(cascade, gray, region, PART_FACE_WIDTH / face.w, { minNeighbors: 3, minW: 0.2 * face.w, maxW: 0.55 * face.w })
    .map((m) => ({ x: m.x + m.w / 2, y: m.y + m.h / 2, n: m.neighbors }))
    .filter((m) => Math.abs(m.x - cx) < 0.12 * face.w && m.y > face.y + 0.68 * face.h && m.y < face.y + 0.92 * face.h);
  return votes.sort((a, b) => b.n - a.n)[0];
}

/**
 * A 0.4 × 0.18 face-sized mouth box around `centre` (default: under the eyes' midpoint, or the face's
 * centre line, 0.78 of the way down), kept inside the lower half of the face.
 */
function mouthBox(face: Box, eyes: Box[], centre: { x: number; y: number } | undefined, imgW: number, imgH: number): Box {
  // With both eyes found, their midpoint tracks a slightly turned head better than the face box centre.
  const cx = centre?.x ?? (eyes.length === 2 ? (eyes[0]!.x + eyes[0]!.w / 2 + eyes[1]!.x + eyes[1]!.w / 2) / 2 : face.x + face.w / 2);
  const cy = centre?.y ?? face.y + 0.78 * face.h;
  const w = 0.4 * face.w;
  const h = 0.18 * face.h;
  const x = Math.min(Math.max(cx - w / 2, face.x), face.x + face.w - w);
  const y = Math.min(Math.max(cy - h / 2, face.y + face.h / 2), face.y + face.h - h);
  return toBox({ x, y, w, h }, imgW, imgH);
}

/** Round to whole pixels and clamp inside the image. */
function toBox(r: Box, imgW: number, imgH: number): Box {
  const x = Math.min(Math.max(0, Math.round(r.x)), imgW - 1);
  const y = Math.min(Math.max(0, Math.round(r.y)), imgH - 1);
  return { x, y, w: Math.max(1, Math.min(imgW - x, Math.round(r.w))), h: Math.max(1, Math.min(imgH - y, Math.round(r.h))) };
}
