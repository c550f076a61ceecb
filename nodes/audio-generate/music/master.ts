/**
 * Mastering: loudness normalisation to a LUFS target and a look-ahead peak limiter with a
 * "true-ish" peak detector (sample peaks plus interpolated inter-sample peaks), so the
 * result never clips. Works on the whole track in place, streaming (no track-length copies).
 */
import { StereoLoudnessMeter, integratedLoudness } from './loudness.js';

export interface MasterOptions {
  targetLufs: number;
  ceilingDb: number;
  lookaheadSec: number;
  releaseSec: number;
}

export const DEFAULT_MASTER: MasterOptions = { targetLufs: -14, ceilingDb: -1, lookaheadSec: 0.005, releaseSec: 0.12 };

/**
 * One limiter pass over the dry track in L/R at `inputGain`, streamed: every stage keeps only
 * a window of ±2·lookahead samples in small ring buffers, so a 10-minute track needs a few
 * KB instead of five track-length arrays. Each output frame is either fed to `meter`
 * (a measuring pass, L/R untouched) or written back into L/R in place ('write'): output i is
 * written only after every dry sample it depends on (up to i + 2·lookahead + 2) was read.
 *
 * The stages, per sample: peak estimate = max of |x| and the half-sample interpolants around
 * it (4-tap half-band, catches most inter-sample overs); needed gain = ceiling / peak where
 * the peak is over; limiter gain = sliding minimum of the needed gain over ±lookahead,
 * smoothed by a box filter of the same width (every sample the box covers already needs ≤
 * that gain, so the smoothed gain is still safe), then a one-pole release that may only lower it.
 */
function limitPass(
  L: Float32Array,
  R: Float32Array,
  inputGain: number,
  sampleRate: number,
  ceiling: number,
  lookaheadSec: number,
  releaseSec: number,
  meter: StereoLoudnessMeter | 'write',
): void {
  const n = L.length;
  if (n === 0) return;
  const w = Math.max(1, Math.round(lookaheadSec * sampleRate));
  // Stages run a block ahead of the output in tight loops (a call per block, not per sample).
  const block = 4096;
  let size = 1;
  while (size < block + 4 * w + 16) size <<= 1;
  const mask = size - 1;
  const dryL = new Float32Array(size);
  const dryR = new Float32Array(size);
  const peak = new Float32Array(size);
  const minGain = new Float32Array(size);
  const dq = new Int32Array(size);
  let dryNext = 0;
  let peakNext = 0;
  let prevMid = 0;
  let pushNext = 0;
  let head = 0;
  let tail = 0;
  let minNext = 0;
  const kr = Math.exp(-1 / (releaseSec * sampleRate));
  const smoothed = new Float32Array(1);
  const outL = new Float32Array(block);
  const outR = new Float32Array(block);
  let sum = 0;
  let g = 1;
  for (let from = 0; from < n; from += block) {
    const to = Math.min(n, from + block);
    // Stage 1: read the dry samples and peak estimates this block's gains depend on.
    const minTo = Math.min(n - 1, to - 1 + w);
    const peakTo = Math.min(n - 1, minTo + w);
    const dryTo = Math.min(n - 1, peakTo + 2);
    for (; dryNext <= dryTo; dryNext++) {
      dryL[dryNext & mask] = L[dryNext]!;
      dryR[dryNext & mask] = R[dryNext]!;
    }
    for (; peakNext <= peakTo; peakNext++) {
      const i = peakNext;
      const a = (i > 0 ? i - 1 : 0) & mask;
      const c = (i + 1 < n ? i + 1 : n - 1) & mask;
      const d = (i + 2 < n ? i + 2 : n - 1) & mask;
      const li = dryL[i & mask]!;
      const ri = dryR[i & mask]!;
      let p = Math.max(Math.abs(li), Math.abs(ri));
      const mL = (-dryL[a]! + 9 * li + 9 * dryL[c]! - dryL[d]!) / 16;
      const mR = (-dryR[a]! + 9 * ri + 9 * dryR[c]! - dryR[d]!) / 16;
      const mid = Math.max(Math.abs(mL), Math.abs(mR));
      if (mid > p) p = mid;
      if (prevMid > p) p = prevMid;
      prevMid = mid;
      peak[i & mask] = p;
    }
    // Stage 2: centred sliding minimum of the needed gain over [i-w, i+w] (monotonic deque).
    for (; minNext <= minTo; minNext++) {
      const i = minNext;
      const hi = Math.min(n - 1, i + w);
      for (; pushNext <= hi; pushNext++) {
        const pg = peak[pushNext & mask]! * inputGain;
        const need = pg > ceiling ? ceiling / pg : 1;
        while (tail > head) {
          const pt = peak[dq[(tail - 1) & mask]! & mask]! * inputGain;
          if ((pt > ceiling ? ceiling / pt : 1) < need) break;
          tail--;
        }
        dq[tail++ & mask] = pushNext;
      }
      while (dq[head & mask]! < i - w) head++;
      const ph = peak[dq[head & mask]! & mask]! * inputGain;
      minGain[i & mask] = ph > ceiling ? ceiling / ph : 1;
    }
    // Stage 3: box smoothing over the same ±w (running sum), release, output.
    if (from === 0) for (let i = 0; i < Math.min(n, w); i++) sum += minGain[i & mask]!;
    for (let i = from; i < to; i++) {
      const add = i + w;
      if (add < n) sum += minGain[add & mask]!;
      const drop = i - w - 1;
      if (drop >= 0) sum -= minGain[drop & mask]!;
      const count = Math.min(n - 1, i + w) - Math.max(0, i - w) + 1;
      smoothed[0] = sum / count;
      const target = smoothed[0]!;
      g = target < g ? target : target + (g - target) * kr;
      const k = g * inputGain;
      let l = dryL[i & mask]! * k;
      let r = dryR[i & mask]! * k;
      // The guard only matters for float rounding at the ceiling.
      if (l > ceiling) l = ceiling;
      else if (l < -ceiling) l = -ceiling;
      if (r > ceiling) r = ceiling;
      else if (r < -ceiling) r = -ceiling;
      outL[i - from] = l;
      outR[i - from] = r;
    }
    if (meter === 'write') {
      L.set(outL.subarray(0, to - from), from);
      R.set(outR.subarray(0, to - from), from);
    } else {
      meter.pushBlock(outL, outR, to - from);
    }
  }
}

/** Limit a stereo track in place so no (interpolated) peak exceeds `ceiling` (linear). */
export function limit(L: Float32Array, R: Float32Array, sampleRate: number, ceiling: number, lookaheadSec: number, releaseSec: number): void {
  limitPass(L, R, 1, sampleRate, ceiling, lookaheadSec, releaseSec, 'write');
}

/**
 * Normalise to `targetLufs` and limit to `ceilingDb`, in place. Limiting lowers loudness, so
 * the gain is re-estimated a few times; each pass only measures what it would write (the
 * track in L/R stays the unlimited mix until the last pass writes the result).
 * Returns the measured integrated loudness of the result.
 */
export function master(L: Float32Array, R: Float32Array, sampleRate: number, opts: MasterOptions = DEFAULT_MASTER): number {
  const ceiling = Math.pow(10, opts.ceilingDb / 20);
  const dryLoud = integratedLoudness([L, R], sampleRate);
  if (!Number.isFinite(dryLoud)) return dryLoud;
  let gainDb = opts.targetLufs - dryLoud;
  let measured = -Infinity;
  for (let pass = 0; pass < 5; pass++) {
    const inputGain = Math.pow(10, gainDb / 20);
    const meter = new StereoLoudnessMeter(sampleRate, L.length);
    limitPass(L, R, inputGain, sampleRate, ceiling, opts.lookaheadSec, opts.releaseSec, meter);
    measured = meter.result();
    const err = opts.targetLufs - measured;
    if (Math.abs(err) < 0.15 || pass === 4) {
      limitPass(L, R, inputGain, sampleRate, ceiling, opts.lookaheadSec, opts.releaseSec, 'write');
      break;
    }
    gainDb += err;
  }
  return measured;
}
