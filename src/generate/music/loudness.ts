/**
 * Integrated loudness per ITU-R BS.1770-4 / EBU R128: K-weighting (high-shelf + RLB
 * high-pass, coefficients derived for any sample rate the way libebur128 does), 400 ms
 * blocks with 75 % overlap, absolute gate at −70 LUFS and relative gate at −10 LU.
 */

interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** The two K-weighting stages for a sample rate (stage 1: head shelf, stage 2: RLB high-pass). */
export function kWeightingFilters(sampleRate: number): [Biquad, Biquad] {
  let f0 = 1681.974450955533;
  const G = 3.999843853973347;
  let Q = 0.7071752369554196;
  let K = Math.tan((Math.PI * f0) / sampleRate);
  const Vh = Math.pow(10, G / 20);
  const Vb = Math.pow(Vh, 0.4996667741545416);
  let a0 = 1 + K / Q + K * K;
  const shelf: Biquad = {
    b0: (Vh + (Vb * K) / Q + K * K) / a0,
    b1: (2 * (K * K - Vh)) / a0,
    b2: (Vh - (Vb * K) / Q + K * K) / a0,
    a1: (2 * (K * K - 1)) / a0,
    a2: (1 - K / Q + K * K) / a0,
  };
  f0 = 38.13547087602444;
  Q = 0.5003270373238773;
  K = Math.tan((Math.PI * f0) / sampleRate);
  a0 = 1 + K / Q + K * K;
  const highpass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (K * K - 1)) / a0, a2: (1 - K / Q + K * K) / a0 };
  return [shelf, highpass];
}

/** Sum of squared K-weighted samples per 100 ms hop, for one channel. */
function hopEnergies(x: Float32Array, sampleRate: number, hop: number, hops: number): Float64Array {
  const [s, h] = kWeightingFilters(sampleRate);
  const out = new Float64Array(hops);
  // Direct form II transposed, both stages, state in locals.
  let s1 = 0;
  let s2 = 0;
  let h1 = 0;
  let h2 = 0;
  const n = Math.min(x.length, hop * hops);
  for (let i = 0; i < n; i++) {
    const xi = x[i]!;
    const y1 = s.b0 * xi + s1;
    s1 = s.b1 * xi - s.a1 * y1 + s2;
    s2 = s.b2 * xi - s.a2 * y1;
    const y2 = h.b0 * y1 + h1;
    h1 = h.b1 * y1 - h.a1 * y2 + h2;
    h2 = h.b2 * y1 - h.a2 * y2;
    out[(i / hop) | 0]! += y2 * y2;
  }
  return out;
}

const toLufs = (meanSquare: number) => -0.691 + 10 * Math.log10(meanSquare);

/**
 * Integrated loudness (LUFS) of one or more channels (left/right weight 1.0; surround
 * weights are not needed here). Returns -Infinity for silence or signals shorter than 400 ms.
 */
export function integratedLoudness(channels: Float32Array[], sampleRate: number): number {
  const hop = Math.round(sampleRate * 0.1);
  const frames = channels[0]?.length ?? 0;
  const hops = Math.floor(frames / hop);
  if (hops < 4) return -Infinity;
  const energy = new Float64Array(hops);
  for (const ch of channels) {
    const e = hopEnergies(ch, sampleRate, hop, hops);
    for (let i = 0; i < hops; i++) energy[i]! += e[i]!;
  }
  const blocks = new Float64Array(hops - 3);
  for (let b = 0; b < blocks.length; b++) blocks[b] = (energy[b]! + energy[b + 1]! + energy[b + 2]! + energy[b + 3]!) / (4 * hop);
  const gatedMean = (threshold: number): number => {
    let sum = 0;
    let count = 0;
    for (const z of blocks) {
      if (z > 0 && toLufs(z) > threshold) {
        sum += z;
        count++;
      }
    }
    return count ? sum / count : 0;
  };
  const absolute = gatedMean(-70);
  if (absolute <= 0) return -Infinity;
  const relative = gatedMean(toLufs(absolute) - 10);
  return relative > 0 ? toLufs(relative) : -Infinity;
}
