/**
 * The default face finder: face-api's tiny face detector and 68-point landmark net, converted
 * to ONNX (models/face-landmarks/, built by `npm run build:models`) and run by onnxruntime.
 * Pre- and post-processing follow face-api's own code path step by step (pad to a square,
 * decode the YOLO grid, non-max suppression, crop, centred pad, landmark rescale), so the
 * points match what its tfjs runtime returns on the same pixels.
 */
import type { Box, ModelSession, RgbImage, TensorLike } from '../../engine/index.js';

/** The model folder (models/face-landmarks/) holding detector.onnx and landmarks.onnx. */
export const FACE_MODEL = 'face-landmarks';

/** Opens one of the face model's files as a session. */
export type OpenFaceModel = (file: 'detector.onnx' | 'landmarks.onnx') => Promise<ModelSession>;

export interface CnnFace {
  box: Box;
  score: number;
}

const ANCHORS: Array<[number, number]> = [
  [1.603231, 2.094468], [6.041143, 7.080126], [2.882459, 3.518061], [4.266906, 5.178857], [9.041765, 10.66308],
];
/** face-api's TinyFaceDetectorOptions defaults. */
const SCORE_THRESHOLD = 0.5;
const IOU_THRESHOLD = 0.4;

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** `img` (or its crop `r`) as planar float [1,3,S,S] 0..255 on a zero square; `before` = padding ahead of the content on the padded axis. */
function squareTensor(img: RgbImage, r: Box, before: 'none' | 'centre'): { tensor: TensorLike; size: number; padX: number; padY: number } {
  const size = Math.max(r.w, r.h);
  const diff = Math.abs(r.w - r.h);
  // face-api appends round(diff/2) after the content and puts the rest before it.
  const lead = before === 'centre' ? diff - Math.round(diff * 0.5) : 0;
  const padX = r.h > r.w ? lead : 0;
  const padY = r.w > r.h ? lead : 0;
  const plane = size * size;
  const data = new Float32Array(3 * plane);
  for (let y = 0; y < r.h; y++) {
    const src = ((r.y + y) * img.width + r.x) * 3;
    const dst = (y + padY) * size + padX;
    for (let x = 0; x < r.w; x++) {
      const s = src + x * 3;
      data[dst + x] = img.data[s]!;
      data[plane + dst + x] = img.data[s + 1]!;
      data[2 * plane + dst + x] = img.data[s + 2]!;
    }
  }
  return { tensor: { type: 'float32', dims: [1, 3, size, size], data }, size, padX, padY };
}

function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  const inter = ix * iy;
  return inter / (a.w * a.h + b.w * b.h - inter);
}

/** Every face the detector scores above 0.5, after non-max suppression, best score first (boxes in image pixels, unclipped). */
export async function detectFacesCnn(img: RgbImage, open: OpenFaceModel): Promise<CnnFace[]> {
  const { tensor, size } = squareTensor(img, { x: 0, y: 0, w: img.width, h: img.height }, 'none');
  const out = (await (await open('detector.onnx')).run({ image: tensor })).grid!;
  const grid = out.data as Float32Array;
  const cells = out.dims[2]!;
  const plane = cells * cells;
  const found: CnnFace[] = [];
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let a = 0; a < ANCHORS.length; a++) {
        const at = (k: number) => grid[(a * 5 + k) * plane + row * cells + col]!;
        const score = sigmoid(at(4));
        if (score <= SCORE_THRESHOLD) continue;
        // Relative to the padded square, which starts at the image's origin.
        const cx = ((col + sigmoid(at(0))) / cells) * size;
        const cy = ((row + sigmoid(at(1))) / cells) * size;
        const w = ((Math.exp(at(2)) * ANCHORS[a]![0]) / cells) * size;
        const h = ((Math.exp(at(3)) * ANCHORS[a]![1]) / cells) * size;
        found.push({ box: { x: cx - w / 2, y: cy - h / 2, w, h }, score });
      }
    }
  }
  found.sort((p, q) => q.score - p.score);
  const kept: CnnFace[] = [];
  for (const f of found) if (kept.every((k) => iou(k.box, f.box) <= IOU_THRESHOLD)) kept.push(f);
  return kept;
}

/** The 68 landmarks ([x, y] image pixels) of the face in `box`, as face-api computes them. */
export async function landmarksCnn(img: RgbImage, box: Box, open: OpenFaceModel): Promise<Array<[number, number]> | undefined> {
  // Box.clipAtImageBorders + floor, as face-api crops the face.
  const x0 = Math.max(box.x, 0);
  const y0 = Math.max(box.y, 0);
  const crop = {
    x: Math.floor(x0), y: Math.floor(y0),
    w: Math.floor(Math.min(box.x + box.w - x0, img.width - x0)), h: Math.floor(Math.min(box.y + box.h - y0, img.height - y0)),
  };
  if (crop.w < 8 || crop.h < 8) return undefined;
  const { tensor } = squareTensor(img, crop, 'centre');
  const out = (await (await open('landmarks.onnx')).run({ image: tensor })).landmarks!.data as Float32Array;
  // FaceLandmark68NetBase.postProcess: undo the (symmetric) padding at the 112 px input scale.
  const scale = 112 / Math.max(crop.w, crop.h);
  const iw = crop.w * scale;
  const ih = crop.h * scale;
  const px = iw < ih ? Math.abs(iw - ih) / 2 : 0;
  const py = ih < iw ? Math.abs(iw - ih) / 2 : 0;
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < 68; i++) {
    const rx = (out[2 * i]! * 112 - px) / iw;
    const ry = (out[2 * i + 1]! * 112 - py) / ih;
    pts.push([rx * crop.w + box.x, ry * crop.h + box.y]);
  }
  return pts;
}
