/**
 * Which face finder runs: the CNN (face-api's detector + landmark net in onnxruntime) by default,
 * OpenCV's Haar cascades when the CNN finds nothing or its model cannot be opened. Either way a
 * found face gets the CNN's 68 landmarks when that model is available, and its eye and mouth
 * boxes are read off those landmarks. Measured on our fixtures in test/bench/face-bench.ts.
 */
import type { Box, FaceDetection, RgbImage } from '../../engine/index.js';
import { faceCascades } from './cascades.js';
import { detectFacesCnn, landmarksCnn, type CnnFace, type OpenFaceModel } from './cnn.js';
import { cropResize, rgbToGray, type GrayImage } from './gray.js';
import { detectMultiScale } from './haar.js';
import { detectFace as detectFaceHaar } from './index.js';

/** Face width the confirmation runs at: big enough for the 20 px cascade window to see features. */
const CONFIRM_FACE_WIDTH = 96;

/**
 * The tiny detector also scores some hard-edged graphics as faces (a TV test card at 0.84, a
 * real portrait at 0.92), so a CNN box counts only when the Haar face cascade, run permissively
 * (one neighbour) on that box alone at its own scale, agrees there is a face there. Haar's
 * weakness is recall over a whole photo; told where and how big, it rarely misses a frontal face.
 */
function confirmedByHaar(cascade: Awaited<ReturnType<typeof faceCascades>>['face'], gray: GrayImage, f: CnnFace): boolean {
  const grow = 0.35;
  const x = Math.max(0, Math.floor(f.box.x - f.box.w * grow));
  const y = Math.max(0, Math.floor(f.box.y - f.box.h * grow));
  const w = Math.min(gray.width - x, Math.ceil(f.box.w * (1 + 2 * grow)));
  const h = Math.min(gray.height - y, Math.ceil(f.box.h * (1 + 2 * grow)));
  if (w < 8 || h < 8) return false;
  const s = CONFIRM_FACE_WIDTH / f.box.w;
  const patch = cropResize(gray, { x, y, w, h }, Math.max(1, Math.round(w * s)), Math.max(1, Math.round(h * s)));
  const hits = detectMultiScale(cascade, patch, { scaleFactor: 1.1, minNeighbors: 1, minSize: CONFIRM_FACE_WIDTH * 0.45, maxSize: CONFIRM_FACE_WIDTH * 1.6 });
  return hits.length > 0;
}

/** Bounding box of some landmarks, grown by `pad` of its size on each side. */
function boundsOf(pts: Array<[number, number]>, pad: number, img: RgbImage): Box {
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  const x0 = Math.min(...xs);
  const y0 = Math.min(...ys);
  const w = Math.max(...xs) - x0;
  const h = Math.max(...ys) - y0;
  const x = Math.max(0, Math.round(x0 - w * pad));
  const y = Math.max(0, Math.round(y0 - h * pad));
  return { x, y, w: Math.max(1, Math.min(img.width - x, Math.round(w * (1 + 2 * pad)))), h: Math.max(1, Math.min(img.height - y, Math.round(h * (1 + 2 * pad)))) };
}

function clampBox(b: Box, img: RgbImage): Box {
  const x = Math.min(Math.max(0, Math.round(b.x)), img.width - 1);
  const y = Math.min(Math.max(0, Math.round(b.y)), img.height - 1);
  return { x, y, w: Math.max(1, Math.min(img.width - x, Math.round(b.w))), h: Math.max(1, Math.min(img.height - y, Math.round(b.h))) };
}

/** A detection whose eye and mouth boxes come from the landmarks (iBUG 68: eyes 36–47, mouth 48–67). */
export function detectionFromLandmarks(face: Box, score: number, pts: Array<[number, number]>, img: RgbImage, finder: 'cnn' | 'haar'): FaceDetection {
  return {
    face: clampBox(face, img),
    mouth: boundsOf(pts.slice(48, 68), 0.1, img),
    eyes: [boundsOf(pts.slice(36, 42), 0.25, img), boundsOf(pts.slice(42, 48), 0.25, img)],
    score,
    landmarks: pts,
    finder,
  };
}

/** Every face, largest first. `open` undefined (or failing) → Haar only, without landmarks. */
export async function findFaces(img: RgbImage, open: OpenFaceModel | undefined, onWarning?: (m: string) => void): Promise<FaceDetection[]> {
  let cnnOk = !!open;
  if (open) {
    try {
      const faces = await detectFacesCnn(img, open);
      const out: FaceDetection[] = [];
      const cascade = faces.length ? (await faceCascades()).face : undefined;
      const gray = faces.length ? rgbToGray(img.width, img.height, img.data) : undefined;
      for (const f of faces) {
        if (!confirmedByHaar(cascade!, gray!, f)) continue;
        const pts = await landmarksCnn(img, f.box, open);
        if (pts) out.push(detectionFromLandmarks(f.box, f.score, pts, img, 'cnn'));
      }
      if (out.length) return out.sort((a, b) => b.face.w * b.face.h - a.face.w * a.face.h);
    } catch (e) {
      cnnOk = false;
      onWarning?.(`face model unavailable (${(e as Error).message.split('\n')[0]}); using the Haar cascades`);
    }
  }
  const haar = await detectFaceHaar(img);
  if (!haar) return [];
  if (cnnOk && open) {
    const pts = await landmarksCnn(img, haar.face, open).catch(() => undefined);
    if (pts) return [detectionFromLandmarks(haar.face, haar.score, pts, img, 'haar')];
  }
  return [{ ...haar, finder: 'haar' }];
}
