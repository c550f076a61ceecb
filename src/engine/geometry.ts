/**
 * The one box type: top-left corner and size. Browser-safe (types only), so the studio, the
 * wire format, the face detector and the inference service all speak of the same box; what its
 * numbers measure (pixels, or fractions of an image) is said where a box is used.
 */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
