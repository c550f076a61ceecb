/**
 * Which landmarks the performer animates: hand-placed ones (the studio's nudged points, as
 * fractions of the image) win; else the chosen detected face (largest by default) with its CNN
 * landmarks; else a template face over a hand-set mouth box or a Haar face; else none (the
 * whole frame moves with the voice instead, and the node warns).
 */
import type { FaceDetection } from '../../src/engine/index.js';
import type { ManualMouth } from './face-boxes.js';
import { templateForMouthBox } from './face-template.js';

export interface ChosenFace {
  landmarks?: Array<[number, number]>;
  source: 'manual-landmarks' | 'detected' | 'template' | 'none';
  /** Faces found, for the warning when the requested one does not exist. */
  found: number;
}

/** `face`: 0 = the largest, k ≥ 1 = the k-th largest. `manualLandmarks`: 136 fractions (x0, y0, x1, …). */
export function chooseFace(faces: FaceDetection[], face: number, manualLandmarks: number[] | undefined, manualMouth: ManualMouth | undefined, width: number, height: number): ChosenFace {
  if (manualLandmarks && manualLandmarks.length === 136) {
    return { source: 'manual-landmarks', found: faces.length, landmarks: Array.from({ length: 68 }, (_, i) => [manualLandmarks[2 * i]! * width, manualLandmarks[2 * i + 1]! * height]) };
  }
  if (manualMouth) {
    return { source: 'template', found: faces.length, landmarks: templateForMouthBox({ x: manualMouth.x * width, y: manualMouth.y * height, w: manualMouth.w * width, h: manualMouth.h * height }) };
  }
  const det = faces[Math.max(0, face - 1)] ?? undefined;
  if (!det) return { source: 'none', found: faces.length };
  if (det.landmarks?.length === 68) return { source: 'detected', found: faces.length, landmarks: det.landmarks };
  // Haar found the face but no landmark model ran: its mouth box is 0.4 of the face, the lips ~0.75 of that.
  const m = det.mouth;
  return { source: 'template', found: faces.length, landmarks: templateForMouthBox({ x: m.x + m.w * 0.125, y: m.y, w: m.w * 0.75, h: m.h }) };
}
