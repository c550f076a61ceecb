/**
 * The Video Model reads its mouth box (mouthX/Y/W/H) as fractions of the frame it renders,
 * i.e. of the image after `fit` scaled it to width×height (fill: cover + centre crop; fit /
 * letterbox: inside + centred bars). The Image thumbnail shows the whole image, so the overlay
 * converts between the two. Mirrors `placeImage` in src/media/args.ts (the app may not import
 * media), including its rounding.
 */

import type { Box } from '../../engine/geometry.js';

/** Boxes here are fractions (of the frame, or of the whole image). */
export type { Box };

/** What the model renders: its width/height/fit params. */
export interface Frame {
  width: number;
  height: number;
  fit: 'fit' | 'fill' | 'letterbox';
}

/** The image as scaled for the frame (sw×sh px) and where its top-left lands in the frame (px; negative = cropped off). */
function place(iw: number, ih: number, f: Frame): { sw: number; sh: number; ox: number; oy: number } {
  const { width: W, height: H } = f;
  if (f.fit === 'fill') {
    const ratio = Math.max(W / iw, H / ih);
    const sw = Math.max(W, Math.round(iw * ratio));
    const sh = Math.max(H, Math.round(ih * ratio));
    return { sw, sh, ox: -Math.floor((sw - W) / 2), oy: -Math.floor((sh - H) / 2) };
  }
  const ratio = Math.min(W / iw, H / ih);
  const sw = Math.min(W, Math.max(1, Math.round(iw * ratio)));
  const sh = Math.min(H, Math.max(1, Math.round(ih * ratio)));
  return { sw, sh, ox: Math.floor((W - sw) / 2), oy: Math.floor((H - sh) / 2) };
}

/** Maps between fractions of the frame and fractions of an image of `iw`×`ih` px. */
export interface FrameMap {
  toImage(b: Box): Box;
  toFrame(b: Box): Box;
  /** The part of the image the frame shows, as image fractions (the whole image unless `fill` crops). */
  visible: Box;
}

export const IDENTITY: FrameMap = { toImage: (b) => b, toFrame: (b) => b, visible: { x: 0, y: 0, w: 1, h: 1 } };

export function frameMap(iw: number, ih: number, f: Frame | undefined): FrameMap {
  if (!f || !(iw > 0 && ih > 0 && f.width > 0 && f.height > 0)) return IDENTITY;
  const { sw, sh, ox, oy } = place(iw, ih, f);
  const { width: W, height: H } = f;
  const toImage = (b: Box): Box => ({ x: (b.x * W - ox) / sw, y: (b.y * H - oy) / sh, w: (b.w * W) / sw, h: (b.h * H) / sh });
  const toFrame = (b: Box): Box => ({ x: (b.x * sw + ox) / W, y: (b.y * sh + oy) / H, w: (b.w * sw) / W, h: (b.h * sh) / H });
  const all = toImage({ x: 0, y: 0, w: 1, h: 1 });
  const x0 = Math.max(0, all.x);
  const y0 = Math.max(0, all.y);
  const visible = { x: x0, y: y0, w: Math.min(1, all.x + all.w) - x0, h: Math.min(1, all.y + all.h) - y0 };
  return { toImage, toFrame, visible };
}
