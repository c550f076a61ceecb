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

/** Gated loudness from summed per-hop energies (100 ms hops, 400 ms blocks). */
function gatedLoudness(energy: Float64Array, hop: number): number {
  const hops = energy.length;
  if (hops < 4) return -Infinity;
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
  return gatedLoudness(energy, hop);
}

/**
 * integratedLoudness of a stereo signal fed one frame at a time (same filters, same sums, so
 * the same number), for signals that are computed on the fly and never stored.
 */
export class StereoLoudnessMeter {
  private readonly hop: number;
  private readonly eL: Float64Array;
  private readonly eR: Float64Array;
  private readonly s: Biquad;
  private readonly h: Biquad;
  private readonly limit: number;
  private i = 0;
  private l1 = 0;
  private l2 = 0;
  private l3 = 0;
  private l4 = 0;
  private r1 = 0;
  private r2 = 0;
  private r3 = 0;
  private r4 = 0;

  constructor(sampleRate: number, frames: number) {
    this.hop = Math.round(sampleRate * 0.1);
    const hops = Math.floor(frames / this.hop);
    this.eL = new Float64Array(Math.max(0, hops));
    this.eR = new Float64Array(Math.max(0, hops));
    this.limit = this.hop * hops;
    [this.s, this.h] = kWeightingFilters(sampleRate);
  }

  /** Feed the first `count` frames of `L`/`R` (the next frames of the signal). */
  pushBlock(L: Float32Array, R: Float32Array, count: number): void {
    const { s, h, hop, eL, eR } = this;
    const n = Math.max(0, Math.min(count, this.limit - this.i));
    let { l1, l2, l3, l4, r1, r2, r3, r4 } = this;
    for (let k = 0, i = this.i; k < n; k++, i++) {
      const hopIndex = (i / hop) | 0;
      const l = L[k]!;
      let y1 = s.b0 * l + l1;
      l1 = s.b1 * l - s.a1 * y1 + l2;
      l2 = s.b2 * l - s.a2 * y1;
      let y2 = h.b0 * y1 + l3;
      l3 = h.b1 * y1 - h.a1 * y2 + l4;
      l4 = h.b2 * y1 - h.a2 * y2;
      eL[hopIndex]! += y2 * y2;
      const r = R[k]!;
      y1 = s.b0 * r + r1;
      r1 = s.b1 * r - s.a1 * y1 + r2;
      r2 = s.b2 * r - s.a2 * y1;
      y2 = h.b0 * y1 + r3;
      r3 = h.b1 * y1 - h.a1 * y2 + r4;
      r4 = h.b2 * y1 - h.a2 * y2;
      eR[hopIndex]! += y2 * y2;
    }
    Object.assign(this, { l1, l2, l3, l4, r1, r2, r3, r4 });
    this.i += count;
  }

  /** Loudness of everything pushed so far (pushed frames must number `frames`). */
  result(): number {
    const energy = new Float64Array(this.eL.length);
    for (let k = 0; k < energy.length; k++) {
      energy[k]! += this.eL[k]!;
      energy[k]! += this.eR[k]!;
    }
    return gatedLoudness(energy, this.hop);
  }
}
