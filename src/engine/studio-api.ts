/**
 * Wire types the studio server sends and the studio UI reads (types only). They live in the
 * engine because the UI may import nothing but the engine's public types.
 */

/** A box as fractions of an image: top-left corner and size, each 0..1. */
export interface FractionBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The answer of `POST /api/detect-face`: where the lip-sync model finds the face and mouth,
 * as fractions of the image as displayed (EXIF applied); `width`/`height` in pixels.
 */
export type FaceAnswer =
  | { face: FractionBox; mouth: FractionBox; eyes: FractionBox[]; score: number; width: number; height: number }
  | { face: null; width: number; height: number };
