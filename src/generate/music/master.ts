/**
 * Mastering: loudness normalisation to a LUFS target and a look-ahead peak limiter with a
 * "true-ish" peak detector (sample peaks plus interpolated inter-sample peaks), so the
 * result never clips. Works offline on the whole track, in place.
 */
import { integratedLoudness } from './loudness.js';

export interface MasterOptions {
  targetLufs: number;
  ceilingDb: number;
  lookaheadSec: number;
  releaseSec: number;
}

export const DEFAULT_MASTER: MasterOptions = { targetLufs: -14, ceilingDb: -1, lookaheadSec: 0.005, releaseSec: 0.12 };

/** Per-sample peak estimate of a stereo pair: max of |x[i]| and the half-sample interpolants around i. */
function peakEnvelope(L: Float32Array, R: Float32Array): Float32Array {
  const n = L.length;
  const peak = new Float32Array(n);
  let prevMid = 0;
  for (let i = 0; i < n; i++) {
    let p = Math.max(Math.abs(L[i]!), Math.abs(R[i]!));
    // 4-tap half-band interpolation at i + 0.5 catches most inter-sample overs.
    const a = i > 0 ? i - 1 : 0;
    const c = i + 1 < n ? i + 1 : n - 1;
    const d = i + 2 < n ? i + 2 : n - 1;
    const mL = (-L[a]! + 9 * L[i]! + 9 * L[c]! - L[d]!) / 16;
    const mR = (-R[a]! + 9 * R[i]! + 9 * R[c]! - R[d]!) / 16;
    const mid = Math.max(Math.abs(mL), Math.abs(mR));
    if (mid > p) p = mid;
    if (prevMid > p) p = prevMid;
    prevMid = mid;
    peak[i] = p;
  }
  return peak;
}

/** Buffers the limiter reuses across mastering passes (a 30 s track is ~5 MB per array). */
interface LimiterWork {
  minGain: Float32Array;
  gain: Float32Array;
  dq: Int32Array;
}

function limiterWork(n: number): LimiterWork {
  return { minGain: new Float32Array(n), gain: new Float32Array(n), dq: new Int32Array(n + 1) };
}

/**
 * Write `dry · inputGain · limiterGain` into L/R so no (interpolated) peak exceeds `ceiling`.
 * `peak` is the peak envelope of the dry signal (it scales with inputGain, so one envelope
 * serves every pass). Limiter gain = sliding minimum of the needed gain over ±lookahead,
 * smoothed by a box filter of the same width (every sample the box covers already needs ≤
 * that gain, so the smoothed gain is still safe), then a one-pole release that may only lower it.
 */
function limitInto(
  L: Float32Array,
  R: Float32Array,
  dryL: Float32Array,
  dryR: Float32Array,
  peak: Float32Array,
  inputGain: number,
  sampleRate: number,
  ceiling: number,
  lookaheadSec: number,
  releaseSec: number,
  work: LimiterWork,
): void {
  const n = L.length;
  if (n === 0) return;
  const w = Math.max(1, Math.round(lookaheadSec * sampleRate));
  const { minGain, gain, dq } = work;
  const need = (i: number) => {
    const p = peak[i]! * inputGain;
    return p > ceiling ? ceiling / p : 1;
  };
  // Centred sliding minimum over [i-w, i+w] with a monotonic deque (stores indices; the
  // needed gain is recomputed from the peak, which is cheaper than another array).
  let head = 0;
  let tail = 0;
  let next = 0;
  for (let i = 0; i < n; i++) {
    const hi = Math.min(n - 1, i + w);
    while (next <= hi) {
      const g = need(next);
      while (tail > head && need(dq[tail - 1]!) >= g) tail--;
      dq[tail++] = next++;
    }
    while (dq[head]! < i - w) head++;
    minGain[i] = need(dq[head]!);
  }
  // Box smoothing over the same ±w window (running sum).
  let sum = 0;
  for (let i = 0; i < Math.min(n, w); i++) sum += minGain[i]!;
  for (let i = 0; i < n; i++) {
    const add = i + w;
    if (add < n) sum += minGain[add]!;
    const drop = i - w - 1;
    if (drop >= 0) sum -= minGain[drop]!;
    const count = Math.min(n - 1, i + w) - Math.max(0, i - w) + 1;
    gain[i] = sum / count;
  }
  // Release: recover slowly, never faster than the one-pole allows.
  const kr = Math.exp(-1 / (releaseSec * sampleRate));
  let g = 1;
  for (let i = 0; i < n; i++) {
    const target = gain[i]!;
    g = target < g ? target : target + (g - target) * kr;
    const k = g * inputGain;
    let l = dryL[i]! * k;
    let r = dryR[i]! * k;
    // The guard only matters for float rounding at the ceiling.
    if (l > ceiling) l = ceiling;
    else if (l < -ceiling) l = -ceiling;
    if (r > ceiling) r = ceiling;
    else if (r < -ceiling) r = -ceiling;
    L[i] = l;
    R[i] = r;
  }
}

/** Limit a stereo track in place so no (interpolated) peak exceeds `ceiling` (linear). */
export function limit(L: Float32Array, R: Float32Array, sampleRate: number, ceiling: number, lookaheadSec: number, releaseSec: number): void {
  const dryL = Float32Array.from(L);
  const dryR = Float32Array.from(R);
  limitInto(L, R, dryL, dryR, peakEnvelope(dryL, dryR), 1, sampleRate, ceiling, lookaheadSec, releaseSec, limiterWork(L.length));
}

/**
 * Normalise to `targetLufs` and limit to `ceilingDb`. Limiting lowers loudness, so the gain
 * is re-estimated from the limited result a few times (each pass starts from the unlimited mix).
 * Returns the measured integrated loudness of the result.
 */
export function master(L: Float32Array, R: Float32Array, sampleRate: number, opts: MasterOptions = DEFAULT_MASTER): number {
  const ceiling = Math.pow(10, opts.ceilingDb / 20);
  const dryL = Float32Array.from(L);
  const dryR = Float32Array.from(R);
  const dryLoud = integratedLoudness([dryL, dryR], sampleRate);
  if (!Number.isFinite(dryLoud)) return dryLoud;
  const peak = peakEnvelope(dryL, dryR);
  const work = limiterWork(L.length);
  let gainDb = opts.targetLufs - dryLoud;
  let measured = -Infinity;
  for (let pass = 0; pass < 5; pass++) {
    limitInto(L, R, dryL, dryR, peak, Math.pow(10, gainDb / 20), sampleRate, ceiling, opts.lookaheadSec, opts.releaseSec, work);
    measured = integratedLoudness([L, R], sampleRate);
    const err = opts.targetLufs - measured;
    if (Math.abs(err) < 0.15) break;
    gainDb += err;
  }
  return measured;
}
