/**
 * Integral images as OpenCV's cv::integral defines them, all (w+1)×(h+1) with a zero first row and
 * column, so any rectangle sum is four lookups: I[p0] - I[p1] - I[p2] + I[p3].
 */

/**
 * sum(X,Y)   = Σ img(x,y) for x<X, y<Y
 * sqsum(X,Y) = Σ img(x,y)² for x<X, y<Y
 * Written into `sum`/`sqsum` (length ≥ (w+1)(h+1), row stride w+1).
 */
export function integral(img: Uint8Array, w: number, h: number, sum: Int32Array, sqsum: Float64Array): void {
  const st = w + 1;
  sum.fill(0, 0, st);
  sqsum.fill(0, 0, st);
  for (let y = 0; y < h; y++) {
    const o = (y + 1) * st;
    const po = y * st;
    sum[o] = 0;
    sqsum[o] = 0;
    let rs = 0;
    let rq = 0;
    for (let x = 0; x < w; x++) {
      const p = img[y * w + x]!;
      rs += p;
      rq += p * p;
      sum[o + x + 1] = sum[po + x + 1]! + rs;
      sqsum[o + x + 1] = sqsum[po + x + 1]! + rq;
    }
  }
}

/**
 * Lienhart's rotated (45°) integral, OpenCV's `tilted` output of cv::integral:
 *   tilted(X,Y) = Σ img(x,y) for y < Y and |x − X + 1| ≤ Y − y − 1,
 * i.e. the upward-opening triangle whose apex is pixel (X−1, Y−1). Written into `out` with row stride
 * w+1 (same layout as `integral`).
 *
 * Recurrence: T(X,Y) = T(X−1,Y−1) + T(X+1,Y−1) − T(X,Y−2) + img(X−1,Y−1) + img(X−1,Y−2).
 * The two smaller triangles overlap in T(X,Y−2) and both miss the pixel just under the apex. Triangles
 * reach sideways past the image edge, so T is computed on a buffer padded by h+1 columns each side;
 * beyond that a triangle cannot touch the image and is 0.
 */
export function tiltedIntegral(img: Uint8Array, w: number, h: number, out: Int32Array): void {
  const pad = h + 1;
  const pw = w + 1 + 2 * pad;
  const t = new Float64Array(pw * (h + 1));
  const px = (y: number, x: number): number => (x >= 0 && x < w && y >= 0 ? img[y * w + x]! : 0);
  for (let Y = 1; Y <= h; Y++) {
    const row = Y * pw;
    const prev = (Y - 1) * pw;
    const prev2 = (Y - 2) * pw;
    for (let c = 1; c < pw - 1; c++) {
      const X = c - pad;
      let v = t[prev + c - 1]! + t[prev + c + 1]! + px(Y - 1, X - 1) + px(Y - 2, X - 1);
      if (Y >= 2) v -= t[prev2 + c]!;
      t[row + c] = v;
    }
  }
  const st = w + 1;
  for (let Y = 0; Y <= h; Y++) for (let X = 0; X <= w; X++) out[Y * st + X] = t[Y * pw + X + pad]!;
}
