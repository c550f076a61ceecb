/**
 * Face boxes for the performer's `boxes` input. Pixels of the rendered-size image →
 * normalised coordinates (−1..1, centre + half sizes). Missing parts are filled from
 * face geometry; a manual mouth box (fractions of the image) wins over detection.
 */
import type { Box, FaceDetection } from '../../src/engine/index.js';

export interface ManualMouth {
  /** Top-left and size as fractions of the image (0..1). */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FaceBoxes {
  values: Record<string, number>;
  /** 'detected' | 'manual' | 'fallback' (no face: a gentle whole-frame stretch). */
  source: 'detected' | 'manual' | 'fallback';
}

const MIN_HALF = 0.01;

function norm(b: Box, width: number, height: number) {
  return {
    cx: ((b.x + b.w / 2) / width) * 2 - 1,
    cy: ((b.y + b.h / 2) / height) * 2 - 1,
    hw: Math.max(MIN_HALF, b.w / width),
    hh: Math.max(MIN_HALF, b.h / height),
  };
}

function eyesFromFace(face: Box): [Box, Box] {
  const w = face.w * 0.2;
  const h = face.h * 0.1;
  const y = face.y + face.h * 0.38 - h / 2;
  return [
    { x: face.x + face.w * 0.3 - w / 2, y, w, h },
    { x: face.x + face.w * 0.7 - w / 2, y, w, h },
  ];
}

function faceFromMouth(m: Box): Box {
  const w = m.w / 0.4;
  const h = w * 1.1;
  return { x: m.x + m.w / 2 - w / 2, y: m.y + m.h / 2 - h * 0.78, w, h };
}

export function faceBoxes(det: FaceDetection | undefined, manual: ManualMouth | undefined, width: number, height: number): FaceBoxes {
  const manualBox = manual ? { x: manual.x * width, y: manual.y * height, w: manual.w * width, h: manual.h * height } : undefined;
  if (!det && !manualBox) {
    return {
      source: 'fallback',
      values: {
        faceX: 0, faceY: 0, mouthX: 0, mouthY: 0.2, mouthHw: 0.6, mouthHh: 0.35, mouthGain: 0.35, mouthDark: 0,
        eyeLX: -0.3, eyeLY: -0.3, eyeLHw: 0.1, eyeLHh: 0.05, eyeRX: 0.3, eyeRY: -0.3, eyeRHw: 0.1, eyeRHh: 0.05, blink: 0,
      },
    };
  }
  const mouth = manualBox ?? det!.mouth;
  const face = det?.face ?? faceFromMouth(mouth);
  let eyes: Box[] = det?.eyes ?? [];
  if (eyes.length === 1) {
    // Mirror the one eye found about the face centre.
    const e = eyes[0]!;
    const mirrored = { ...e, x: 2 * (face.x + face.w / 2) - (e.x + e.w) };
    eyes = e.x < mirrored.x ? [e, mirrored] : [mirrored, e];
  }
  if (eyes.length < 2) eyes = eyesFromFace(face);
  const f = norm(face, width, height);
  const m = norm(mouth, width, height);
  const l = norm(eyes[0]!, width, height);
  const r = norm(eyes[1]!, width, height);
  return {
    source: manualBox ? 'manual' : 'detected',
    values: {
      faceX: f.cx, faceY: f.cy,
      mouthX: m.cx, mouthY: m.cy, mouthHw: m.hw, mouthHh: m.hh, mouthGain: 1, mouthDark: 1,
      eyeLX: l.cx, eyeLY: l.cy, eyeLHw: l.hw, eyeLHh: l.hh,
      eyeRX: r.cx, eyeRY: r.cy, eyeRHw: r.hw, eyeRHh: r.hh, blink: 1,
    },
  };
}
