/**
 * The sync score, measured while rendering: how well motion follows the audio.
 *  - motion energy per frame = mean |difference| of consecutive frames on a ~64×64
 *    subsample (0 for the first frame);
 *  - onsetCorrelation = Pearson correlation of motion energy with the onset envelope at lag 0;
 *  - beatAlignment = mean over beats of exp(−d²/2σ²), d = distance from the beat to the
 *    nearest motion-energy peak, σ = 0.1 s. A peak is a frame that is the maximum within
 *    ±2 frames and above the track's mean energy, so dense jitter does not count as peaks.
 */

export class MotionMeter {
  // Two sample buffers swapped each frame: no allocation per frame.
  private prev: Uint8Array;
  private cur: Uint8Array;
  private readonly idx: Uint32Array;
  readonly energy: Float32Array;
  private n = 0;

  constructor(width: number, height: number, frames: number, grid = 64) {
    const sx = Math.max(1, Math.floor(width / grid));
    const sy = Math.max(1, Math.floor(height / grid));
    const points: number[] = [];
    for (let y = Math.floor(sy / 2); y < height; y += sy) for (let x = Math.floor(sx / 2); x < width; x += sx) points.push((y * width + x) * 3);
    this.idx = Uint32Array.from(points);
    this.energy = new Float32Array(frames);
    this.prev = new Uint8Array(points.length * 3);
    this.cur = new Uint8Array(points.length * 3);
  }

  /** Feed the next RGB24 frame. */
  push(frame: Uint8Array): void {
    const cur = this.cur;
    for (let k = 0; k < this.idx.length; k++) {
      const o = this.idx[k]!;
      cur[k * 3] = frame[o]!;
      cur[k * 3 + 1] = frame[o + 1]!;
      cur[k * 3 + 2] = frame[o + 2]!;
    }
    if (this.n > 0 && this.n < this.energy.length) {
      const prev = this.prev;
      let s = 0;
      for (let k = 0; k < cur.length; k++) s += Math.abs(cur[k]! - prev[k]!);
      this.energy[this.n] = s / cur.length;
    }
    this.cur = this.prev;
    this.prev = cur;
    this.n++;
  }
}

export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  if (n < 3) return 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i]! - ma;
    const db = b[i]! - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

export function motionPeaks(energy: ArrayLike<number>, fps: number, halfWindow = 2): number[] {
  let mean = 0;
  for (let i = 0; i < energy.length; i++) mean += energy[i]!;
  mean /= Math.max(1, energy.length);
  const peaks: number[] = [];
  for (let i = 1; i < energy.length; i++) {
    const v = energy[i]!;
    if (!(v > mean)) continue;
    let isMax = true;
    for (let j = Math.max(0, i - halfWindow); j <= Math.min(energy.length - 1, i + halfWindow) && isMax; j++) {
      if (energy[j]! > v || (energy[j] === v && j < i)) isMax = false;
    }
    if (isMax) peaks.push(i / fps);
  }
  return peaks;
}

export function beatAlignment(beats: readonly number[], peaks: readonly number[], sigma = 0.1): number {
  if (beats.length === 0 || peaks.length === 0) return 0;
  let sum = 0;
  let k = 0;
  for (const b of beats) {
    while (k + 1 < peaks.length && Math.abs(peaks[k + 1]! - b) <= Math.abs(peaks[k]! - b)) k++;
    const d = Math.abs(peaks[k]! - b);
    sum += Math.exp(-(d * d) / (2 * sigma * sigma));
  }
  return sum / beats.length;
}

/** Both numbers, rounded to 3 decimals for display and caching. */
export function syncScore(energy: Float32Array, onsetEnvelope: ArrayLike<number>, beats: readonly number[], fps: number): { onsetCorrelation: number; beatAlignment: number } {
  const durationSec = energy.length / fps;
  const inRange = beats.filter((b) => b >= 0 && b < durationSec);
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    onsetCorrelation: r(pearson(energy, onsetEnvelope)),
    beatAlignment: r(beatAlignment(inRange, motionPeaks(energy, fps))),
  };
}
