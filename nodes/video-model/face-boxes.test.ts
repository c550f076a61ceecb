/**
 * Face boxes for models with a `boxes` input: pixel boxes on the rendered-size image become
 * centre + half sizes in −1..1. Every expected number below is worked out by hand from the
 * boxes (on a 200 × 100 image, so x and y scale differently and a swapped axis shows).
 */
import { describe, expect, it } from 'vitest';
import type { Box, FaceDetection } from '../../src/engine/index.js';
import { faceBoxes } from './face-boxes.js';

const W = 200;
const H = 100;

/** A face left of centre: centre x 90 px (−0.1), centre y 50 px (0). */
const face: Box = { x: 40, y: 10, w: 100, h: 80 };
/** Mouth centre (96, 70) px → (−0.04, 0.4); half sizes 30/200 = 0.15, 12/100 = 0.12. */
const mouth: Box = { x: 81, y: 64, w: 30, h: 12 };
const leftEye: Box = { x: 56, y: 30, w: 20, h: 10 }; // centre (66, 35) → (−0.34, −0.3)
const rightEye: Box = { x: 106, y: 32, w: 24, h: 6 }; // centre (118, 35) → (0.18, −0.3)

const det = (eyes: Box[]): FaceDetection => ({ face, mouth, eyes, score: 0.9 });

function close(values: Record<string, number>, expected: Record<string, number>) {
  for (const [k, v] of Object.entries(expected)) expect(values[k], k).toBeCloseTo(v, 9);
}

describe('faceBoxes', () => {
  it('detected face, mouth and two eyes: each box becomes its centre and half sizes in −1..1', () => {
    const b = faceBoxes(det([leftEye, rightEye]), undefined, W, H);
    expect(b.source).toBe('detected');
    close(b.values, {
      faceX: -0.1, faceY: 0,
      mouthX: -0.04, mouthY: 0.4, mouthHw: 0.15, mouthHh: 0.12,
      eyeLX: -0.34, eyeLY: -0.3, eyeLHw: 0.1, eyeLHh: 0.1,
      eyeRX: 0.18, eyeRY: -0.3, eyeRHw: 0.12, eyeRHh: 0.06,
      // A found face draws a dark mouth at full strength and blinks.
      mouthGain: 1, mouthDark: 1, blink: 1,
    });
  });

  it('a one-pixel box keeps a minimum half size of 0.01 (the model divides by it)', () => {
    const tiny = faceBoxes({ ...det([leftEye, rightEye]), mouth: { x: 100, y: 50, w: 0.5, h: 0.4 } }, undefined, W, H);
    expect(tiny.values.mouthHw).toBe(0.01);
    expect(tiny.values.mouthHh).toBe(0.01);
    expect(tiny.values.mouthX).toBeCloseTo(0.0025, 9);
  });

  it('one eye found: the other is its mirror about the face centre, and the left one comes first', () => {
    // Face centre x = 90 px. The left eye spans 56–76 px, its mirror 104–124 px.
    const fromLeft = faceBoxes(det([leftEye]), undefined, W, H).values;
    close(fromLeft, { eyeLX: -0.34, eyeRX: 0.14, eyeLY: -0.3, eyeRY: -0.3, eyeRHw: 0.1, eyeRHh: 0.1 });
    // Only the right eye (106–130 px): its mirror (50–74 px) is the left one.
    const fromRight = faceBoxes(det([rightEye]), undefined, W, H).values;
    close(fromRight, { eyeLX: -0.38, eyeRX: 0.18, eyeLY: -0.3, eyeRY: -0.3, eyeLHw: 0.12, eyeLHh: 0.06 });
  });

  it('no eye found: both are placed from the face (30 % and 70 % across, 38 % down, 0.2 × 0.1 of it)', () => {
    const v = faceBoxes(det([]), undefined, W, H).values;
    // Eye centres at x 40 + 30 = 70 px and 40 + 70 = 110 px, y 10 + 30.4 = 40.4 px; boxes 20 × 8 px.
    close(v, { eyeLX: -0.3, eyeRX: 0.1, eyeLY: -0.192, eyeRY: -0.192, eyeLHw: 0.1, eyeLHh: 0.08, eyeRHw: 0.1, eyeRHh: 0.08 });
  });

  it('a manual mouth box (fractions) wins over the detected mouth but keeps the detected face and eyes', () => {
    const b = faceBoxes(det([leftEye, rightEye]), { x: 0.6, y: 0.7, w: 0.1, h: 0.2 }, W, H);
    expect(b.source).toBe('manual');
    // 120–140 px × 70–90 px: centre (130, 80) → (0.3, 0.6), half sizes 0.1, 0.2.
    close(b.values, { mouthX: 0.3, mouthY: 0.6, mouthHw: 0.1, mouthHh: 0.2, faceX: -0.1, faceY: 0, eyeLX: -0.34, eyeRX: 0.18, blink: 1, mouthDark: 1 });
  });

  it('a manual mouth without a detection: the face is built around it (mouth 0.4 of its width, lips at 78 % down)', () => {
    const b = faceBoxes(undefined, { x: 0.3, y: 0.6, w: 0.2, h: 0.1 }, W, H);
    expect(b.source).toBe('manual');
    // Mouth 60–100 px × 60–70 px. Face: 100 px wide, 110 px tall, centred on x 80 px, its
    // top at 65 − 85.8 = −20.8 px, so its centre y is 34.2 px. Eyes from that face:
    // 20 × 11 px at x 60 and 100 px, y −20.8 + 41.8 = 21 px.
    close(b.values, {
      mouthX: -0.2, mouthY: 0.3, mouthHw: 0.2, mouthHh: 0.1,
      faceX: -0.2, faceY: -0.316,
      eyeLX: -0.4, eyeRX: 0, eyeLY: -0.58, eyeRY: -0.58, eyeLHw: 0.1, eyeLHh: 0.11,
    });
  });

  it('no face and no manual box: a centred whole-frame fallback with no dark mouth and no blink', () => {
    const b = faceBoxes(undefined, undefined, W, H);
    expect(b.source).toBe('fallback');
    close(b.values, { faceX: 0, faceY: 0, mouthX: 0, mouthDark: 0, blink: 0 });
    // The stretch covers most of the frame, below its centre, gently.
    expect(b.values.mouthY).toBeGreaterThan(0);
    expect(b.values.mouthHw).toBeGreaterThan(0.5);
    expect(b.values.mouthGain).toBeLessThan(0.5);
    // Eyes mirror each other about the centre line.
    expect(b.values.eyeLX).toBe(-b.values.eyeRX!);
    expect(b.values.eyeLY).toBe(b.values.eyeRY);
  });
});
