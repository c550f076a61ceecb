/** 8-bit grayscale images and the resampling the detector needs (crop, shrink, bilinear pyramid). */
// Boxes here are in pixels; x/y/w/h may be fractional when produced by scaling.
import type { Box } from '../../engine/geometry.js';

export interface GrayImage {
  width: number;
  height: number;
  /** One byte per pixel, row-major. */
  data: Uint8Array;
}


/**
 * Packed RGB24 → gray with OpenCV's fixed-point BT.601 weights (cvtColor RGB2GRAY: 4899/9617/1868 >> 14),
 * so the cascades see the same values they were trained and verified on.
 */
export function rgbToGray(width: number, height: number, rgb: Uint8Array): GrayImage {
  const n = width * height;
  const out = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = (rgb[j]! * 4899 + rgb[j + 1]! * 9617 + rgb[j + 2]! * 1868 + 8192) >> 14;
  }
  return { width, height, data: out };
}

/**
 * Bilinear resize, bit-exact with OpenCV's INTER_LINEAR_EXACT (what detectMultiScale builds its pyramid
 * with): pixel-centre mapping src = (dst + 0.5)·scale − 0.5 clamped at the border, weights rounded to
 * 8 fractional bits, horizontal then vertical pass, result rounded from 16 fractional bits. Matching
 * OpenCV here matters: a one-level difference flips borderline windows near a stage threshold.
 * Like OpenCV it aliases when shrinking by more than 2×, which is how the cascades were validated.
 */
export function resizeBilinear(src: GrayImage, outW: number, outH: number, out?: Uint8Array): GrayImage {
  const { width: sw, height: sh, data } = src;
  const dst = out && out.length >= outW * outH ? out : new Uint8Array(outW * outH);
  const X = linearTaps(outW, sw);
  const Y = linearTaps(outH, sh);
  const rowA = new Int32Array(outW);
  const rowB = new Int32Array(outW);
  const hpass = (y: number, row: Int32Array): void => {
    const o = y * sw;
    for (let x = 0; x < outW; x++) row[x] = data[o + X.i0[x]!]! * X.c0[x]! + data[o + X.i1[x]!]! * X.c1[x]!;
  };
  for (let y = 0; y < outH; y++) {
    hpass(Y.i0[y]!, rowA);
    hpass(Y.i1[y]!, rowB);
    const a = Y.c0[y]!;
    const b = Y.c1[y]!;
    const o = y * outW;
    for (let x = 0; x < outW; x++) dst[o + x] = Math.min(255, (rowA[x]! * a + rowB[x]! * b + 32768) >>> 16);
  }
  return { width: outW, height: outH, data: dst };
}

/** Source index pairs and 8-bit fixed-point weights (c0 + c1 = 256) for one axis. */
function linearTaps(n: number, srcN: number): { i0: Int32Array; i1: Int32Array; c0: Int32Array; c1: Int32Array } {
  const scale = srcN / n;
  const i0 = new Int32Array(n);
  const i1 = new Int32Array(n);
  const c0 = new Int32Array(n);
  const c1 = new Int32Array(n);
  for (let d = 0; d < n; d++) {
    let f = (d + 0.5) * scale - 0.5;
    let i = Math.floor(f);
    f -= i;
    if (i < 0) { i = 0; f = 0; }
    if (i >= srcN - 1) { i = srcN - 1; f = 0; }
    const w1 = Math.round(f * 256);
    i0[d] = i;
    i1[d] = Math.min(i + 1, srcN - 1);
    c0[d] = 256 - w1;
    c1[d] = w1;
  }
  return { i0, i1, c0, c1 };
}

/**
 * Cut `rect` (clamped to the image) out of `src` and resample it to outW×outH. Shrinking averages the
 * source pixels each output pixel covers (like INTER_AREA, avoids aliasing); enlarging is bilinear.
 */
export function cropResize(src: GrayImage, rect: Box, outW: number, outH: number): GrayImage {
  const rx = Math.max(0, Math.floor(rect.x));
  const ry = Math.max(0, Math.floor(rect.y));
  const rw = Math.max(1, Math.min(src.width, Math.ceil(rect.x + rect.w)) - rx);
  const rh = Math.max(1, Math.min(src.height, Math.ceil(rect.y + rect.h)) - ry);
  const crop = new Uint8Array(rw * rh);
  for (let y = 0; y < rh; y++) crop.set(src.data.subarray((ry + y) * src.width + rx, (ry + y) * src.width + rx + rw), y * rw);
  const cropped: GrayImage = { width: rw, height: rh, data: crop };
  if (outW >= rw && outH >= rh) return rw === outW && rh === outH ? cropped : resizeBilinear(cropped, outW, outH);
  return shrinkArea(cropped, outW, outH);
}

/** Box-average shrink: each output pixel is the mean of the (integer-bounded) source block it covers. */
function shrinkArea(src: GrayImage, outW: number, outH: number): GrayImage {
  const { width: sw, height: sh, data } = src;
  const st = sw + 1;
  const sum = new Float64Array(st * (sh + 1));
  for (let y = 0; y < sh; y++) {
    let row = 0;
    for (let x = 0; x < sw; x++) {
      row += data[y * sw + x]!;
      sum[(y + 1) * st + x + 1] = sum[y * st + x + 1]! + row;
    }
  }
  const out = new Uint8Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const y0 = Math.floor((y * sh) / outH);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * sh) / outH));
    for (let x = 0; x < outW; x++) {
      const x0 = Math.floor((x * sw) / outW);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * sw) / outW));
      const s = sum[y1 * st + x1]! - sum[y0 * st + x1]! - sum[y1 * st + x0]! + sum[y0 * st + x0]!;
      out[y * outW + x] = Math.round(s / ((x1 - x0) * (y1 - y0)));
    }
  }
  return { width: outW, height: outH, data: out };
}
