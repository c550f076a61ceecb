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

/**
 * One channel through both K-weighting stages (direct form II transposed, state kept between
 * calls), adding each output's square to its 100 ms hop in `energy`.
 */
class KWeightedEnergy {
  readonly energy: Float64Array;
  private s1 = 0;
  private s2 = 0;
  private h1 = 0;
  private h2 = 0;

  constructor(private readonly stages: [Biquad, Biquad], private readonly hop: number, hops: number) {
    this.energy = new Float64Array(Math.max(0, hops));
  }

  /** Feed `x[0..n)`, which are samples `at..at+n` of the channel. */
  push(x: Float32Array, n: number, at: number): void {
    const [s, h] = this.stages;
    const { hop, energy } = this;
    let { s1, s2, h1, h2 } = this;
    for (let k = 0; k < n; k++) {
      const xk = x[k]!;
      const y1 = s.b0 * xk + s1;
      s1 = s.b1 * xk - s.a1 * y1 + s2;
      s2 = s.b2 * xk - s.a2 * y1;
      const y2 = h.b0 * y1 + h1;
      h1 = h.b1 * y1 - h.a1 * y2 + h2;
      h2 = h.b2 * y1 - h.a2 * y2;
      energy[((at + k) / hop) | 0]! += y2 * y2;
    }
    Object.assign(this, { s1, s2, h1, h2 });
  }
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
  const stages = kWeightingFilters(sampleRate);
  const energy = new Float64Array(hops);
  for (const ch of channels) {
    const meter = new KWeightedEnergy(stages, hop, hops);
    meter.push(ch, Math.min(ch.length, hop * hops), 0);
    for (let i = 0; i < hops; i++) energy[i]! += meter.energy[i]!;
  }
  return gatedLoudness(energy, hop);
}

/**
 * integratedLoudness of a stereo signal fed one frame at a time (same filters, same sums, so
 * the same number), for signals that are computed on the fly and never stored.
 */
export class StereoLoudnessMeter {
  private readonly hop: number;
  private readonly left: KWeightedEnergy;
  private readonly right: KWeightedEnergy;
  private readonly limit: number;
  private i = 0;

  constructor(sampleRate: number, frames: number) {
    this.hop = Math.round(sampleRate * 0.1);
    const hops = Math.floor(frames / this.hop);
    const stages = kWeightingFilters(sampleRate);
    this.left = new KWeightedEnergy(stages, this.hop, hops);
    this.right = new KWeightedEnergy(stages, this.hop, hops);
    this.limit = this.hop * hops;
  }

  /** Feed the first `count` frames of `L`/`R` (the next frames of the signal). */
  pushBlock(L: Float32Array, R: Float32Array, count: number): void {
    const n = Math.max(0, Math.min(count, this.limit - this.i));
    this.left.push(L, n, this.i);
    this.right.push(R, n, this.i);
    this.i += count;
  }

  /** Loudness of everything pushed so far (pushed frames must number `frames`). */
  result(): number {
    const eL = this.left.energy;
    const eR = this.right.energy;
    const energy = new Float64Array(eL.length);
    for (let k = 0; k < energy.length; k++) {
      energy[k]! += eL[k]!;
      energy[k]! += eR[k]!;
    }
    return gatedLoudness(energy, this.hop);
  }
}
