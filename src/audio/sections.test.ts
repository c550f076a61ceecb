/**
 * findSections computes each similarity once and reads it where the kernel needs it: the result is
 * bit for bit what computing them in place gave, kept here as the reference, on blocks with sections
 * (repeating chroma/timbre patterns that change), noise, and a file too short for the kernel.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/random.js';
import { findSections } from './sections.js';

function referenceSections(blocks: Float32Array, dim: number, blockSec: number, opts: { halfWidth?: number; minGapSec?: number } = {}): number[] {
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
  const sim = (i: number, j: number) => {
    let s = 0;
    for (let d = 0; d < dim; d++) s += x[i * dim + d]! * x[j * dim + d]!;
    return s;
  };
  const taper = (k: number) => Math.exp(-0.5 * ((k + 0.5) / (K / 2)) ** 2);
  const nov = new Float64Array(n);
  for (let c = K; c <= n - K; c++) {
    let v = 0;
    for (let a = -K; a < K; a++) {
      for (let b = -K; b < K; b++) {
        const sign = (a < 0) === (b < 0) ? 1 : -1;
        v += sign * taper(a < 0 ? -a - 1 : a) * taper(b < 0 ? -b - 1 : b) * sim(c + a, c + b);
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

/** A deterministic pseudo-random source (the engine's mulberry32). */
function random(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** Blocks of `dim` features: `parts` sections, each a pattern of its own plus noise. */
function blocks(n: number, dim: number, parts: number, seed: number): Float32Array {
  const rnd = random(seed);
  const patterns = Array.from({ length: parts }, () => Array.from({ length: dim }, () => rnd()));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const p = patterns[Math.min(parts - 1, Math.floor((i * parts) / n))]!;
    for (let d = 0; d < dim; d++) out[i * dim + d] = p[d]! + 0.3 * rnd();
  }
  return out;
}

describe('findSections', () => {
  it.each([
    ['four sections over 3 minutes', 360, 24, 4, 1, {}],
    ['noise only', 200, 24, 1, 2, {}],
    ['two sections, a narrower kernel and gap', 120, 12, 2, 3, { halfWidth: 8, minGapSec: 4 }],
    ['too short for the kernel', 20, 24, 2, 4, {}],
  ] as const)('gives bit for bit the in-place version\'s boundaries: %s', (_name, n, dim, parts, seed, opts) => {
    const b = blocks(n, dim, parts, seed);
    const got = findSections(b, dim, 0.5, opts);
    expect(got).toEqual(referenceSections(b, dim, 0.5, opts));
    // And it finds them: a boundary near each change between sections.
    if (parts === 4) for (const at of [45, 90, 135]) expect(got.some((s) => Math.abs(s - at) <= 2)).toBe(true);
  });
});
