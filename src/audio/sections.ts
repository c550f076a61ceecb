/**
 * Section boundaries: novelty from a checkerboard kernel slid along the diagonal of the
 * self-similarity of coarse 0.5 s blocks (chroma + timbre). Only the band around the
 * diagonal is computed, so an hour of audio costs seconds, not a full N×N matrix.
 */
export function findSections(blocks: Float32Array, dim: number, blockSec: number, opts: { halfWidth?: number; minGapSec?: number } = {}): number[] {
  const n = Math.floor(blocks.length / dim);
  const K = opts.halfWidth ?? 16;
  if (n < 2 * K) return [];
  // z-score each dimension, then unit-normalise each block (cosine similarity).
  const x = new Float32Array(n * dim);
  for (let d = 0; d < dim; d++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += blocks[i * dim + d]!;
    m /= n;
    let s = 0;
    for (let i = 0; i < n; i++) s += (blocks[i * dim + d]! - m) ** 2;
    s = Math.sqrt(s / n) || 1;
    for (let i = 0; i < n; i++) x[i * dim + d] = (blocks[i * dim + d]! - m) / s;
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d]! ** 2;
    s = Math.sqrt(s) || 1;
    for (let d = 0; d < dim; d++) x[i * dim + d] = x[i * dim + d]! / s;
  }
  // The kernel at every centre reads the similarity of blocks fewer than 2K apart: each such pair
  // once (the same sums, so the same values as computing them where used, up to 2K times each), in a
  // band of 2K per block; and its 2K taper weights once.
  const W = 2 * K;
  const band = new Float64Array(n * W);
  for (let i = 0; i < n; i++) {
    for (let o = 0; o < W && i + o < n; o++) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += x[i * dim + d]! * x[(i + o) * dim + d]!;
      band[i * W + o] = s;
    }
  }
  const sim = (i: number, j: number) => (i <= j ? band[i * W + j - i]! : band[j * W + i - j]!);
  const taper = Float64Array.from({ length: K }, (_, k) => Math.exp(-0.5 * ((k + 0.5) / (K / 2)) ** 2));
  const nov = new Float64Array(n);
  for (let c = K; c <= n - K; c++) {
    let v = 0;
    for (let a = -K; a < K; a++) {
      const ta = taper[a < 0 ? -a - 1 : a]!;
      for (let b = -K; b < K; b++) {
        const sign = (a < 0) === (b < 0) ? 1 : -1;
        v += sign * ta * taper[b < 0 ? -b - 1 : b]! * sim(c + a, c + b);
      }
    }
    nov[c] = Math.max(0, v);
  }
  let m = 0;
  for (let i = 0; i < n; i++) m += nov[i]!;
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (nov[i]! - m) ** 2;
  s = Math.sqrt(s / n);
  const minGap = Math.round((opts.minGapSec ?? 8) / blockSec);
  const thresh = m + 0.5 * s;
  const out: number[] = [];
  for (let c = 1; c < n - 1; c++) {
    const v = nov[c]!;
    if (v <= thresh) continue;
    let isMax = true;
    for (let k = Math.max(0, c - minGap); k <= Math.min(n - 1, c + minGap); k++) if (nov[k]! > v) isMax = false;
    if (isMax && (out.length === 0 || c * blockSec - out[out.length - 1]! >= minGap * blockSec)) out.push(c * blockSec);
  }
  return out;
}
