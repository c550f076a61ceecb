/**
 * Downbeats: which beats start a bar, and how many beats a bar has (4, or 3 when that
 * clearly fits better). Every beat gets a few z-scored cues, each a thing that happens at
 * bar starts in most music:
 *   - harmonic change: chroma of the beat after vs the beat before (chord changes),
 *   - bass change: the low-band spectrum after vs before (bass-note changes),
 *   - bar novelty: the spectrum of the bar after vs the bar before (parts enter, crashes,
 *     fills end), which is what places a kick-on-every-beat techno loop,
 *   - low onset (kick/bass hit), at half weight: kick-on-every-beat makes it neutral,
 * and in 4/4 the backbeat: snare/clap onsets (high bands) on beats 2 and 4 rule out the
 * two phases that would put them on 1 and 3. The meter and bar phase are the ones whose
 * bar-start beats score highest against the others.
 */
import { mean, peakAround, std } from './stats.js';

export interface DownbeatInput {
  beats: number[];
  rate: number;
  flux: Float32Array;
  fluxLow: Float32Array;
  /** High-band (snare/clap/hat) onset envelope; without it there is no backbeat cue. */
  fluxHigh?: Float32Array;
  /** 12-dim chroma every `chromaFrames` frames. */
  chroma: Float32Array;
  /** `spectrumDim` log-mel bands every `chromaFrames` frames, lowest band first. */
  spectrum?: Float32Array;
  spectrumDim?: number;
  chromaFrames: number;
}

export interface DownbeatResult {
  downbeats: number[];
  meter: number;
  /** Index of the first downbeat in `beats`. */
  phase: number;
}

/** Spectrum bands (of 20, pairs of the 40 mel bands from 30 Hz) that hold the bass: up to ≈ 300 Hz. */
const BASS_BANDS = 5;
const LOW_ONSET_WEIGHT = 0.5;
const BACKBEAT_WEIGHT = 1;
/** Meter 3 must beat meter 4 by this factor (4/4 is far more common). */
const THREE_OVER_FOUR = 1.3;

export function findDownbeats(inp: DownbeatInput): DownbeatResult {
  const { beats, rate } = inp;
  const n = beats.length;
  if (n < 6) return { downbeats: beats.slice(0, 1), meter: 4, phase: 0 };
  const frames = beats.map((b) => Math.round(b * rate));
  // Beat k's frame, extrapolating the first/last gap past either end.
  const at = (k: number) => (k < 0 ? frames[0]! + k * (frames[1]! - frames[0]!) : k >= n ? frames[n - 1]! + (k - n + 1) * (frames[n - 1]! - frames[n - 2]!) : frames[k]!);
  const chroma = new RowMeans(inp.chroma, 12, inp.chromaFrames);
  const spec = inp.spectrum && inp.spectrumDim ? new RowMeans(inp.spectrum, inp.spectrumDim, inp.chromaFrames) : undefined;
  const bassBands = spec ? Math.min(BASS_BANDS, spec.dim) : 0;

  const harmonic = new Float64Array(n);
  const bass = new Float64Array(n);
  const low = new Float64Array(n);
  const high = new Float64Array(n);
  const novelty = { 3: new Float64Array(n), 4: new Float64Array(n) } as Record<3 | 4, Float64Array>;
  for (let i = 0; i < n; i++) {
    const f = frames[i]!;
    low[i] = peakAround(inp.fluxLow, f);
    high[i] = inp.fluxHigh ? peakAround(inp.fluxHigh, f) : 0;
    harmonic[i] = cosineDistance(chroma.mean(at(i - 1), f), chroma.mean(f, at(i + 1)));
    if (spec) {
      bass[i] = rmsDistance(spec.mean(at(i - 1), f, bassBands), spec.mean(f, at(i + 1), bassBands));
      for (const m of [3, 4] as const) novelty[m][i] = rmsDistance(spec.mean(at(i - m), f), spec.mean(f, at(i + m)));
    }
  }
  const zh = zscore(harmonic);
  const zb = zscore(bass);
  const zl = zscore(low);
  const zs = zscore(high);

  const best = (meter: 3 | 4) => {
    const zn = zscore(novelty[meter]);
    const accent = zh.map((v, i) => v + zb[i]! + zn[i]! + LOW_ONSET_WEIGHT * zl[i]!);
    let top = { phase: 0, score: -Infinity, base: -Infinity };
    for (let phase = 0; phase < meter; phase++) {
      const base = contrast(accent, (i) => mod(i - phase, meter) === 0);
      // Snare/clap on the 2nd and 4th beat of the bar, not on the 1st and 3rd.
      const backbeat = meter === 4 ? contrast(zs, (i) => mod(i - phase, 2) === 1) : 0;
      const score = base + BACKBEAT_WEIGHT * backbeat;
      if (score > top.score) top = { phase, score, base };
    }
    return top;
  };
  const four = best(4);
  const three = best(3);
  const meter = three.score > THREE_OVER_FOUR * Math.max(four.score, 0.05) ? 3 : 4;
  const chosen = meter === 3 ? three : four;
  return { downbeats: beats.filter((_, i) => mod(i - chosen.phase, meter) === 0), meter, phase: chosen.phase };
}

/** Mean of rows (one every `framesPerRow` analysis frames) over a frame range. */
class RowMeans {
  private readonly rows: number;
  constructor(
    private readonly data: Float32Array,
    readonly dim: number,
    private readonly framesPerRow: number,
  ) {
    this.rows = Math.floor(data.length / dim);
  }

  mean(f0: number, f1: number, dims = this.dim): Float64Array {
    const v = new Float64Array(dims);
    const a = Math.min(this.rows, Math.max(0, Math.floor(f0 / this.framesPerRow)));
    const b = Math.min(this.rows, Math.max(a + 1, Math.floor(f1 / this.framesPerRow)));
    if (a >= b) return v;
    for (let r = a; r < b; r++) for (let d = 0; d < dims; d++) v[d] = v[d]! + this.data[r * this.dim + d]!;
    for (let d = 0; d < dims; d++) v[d] = v[d]! / (b - a);
    return v;
  }
}

function cosineDistance(a: Float64Array, b: Float64Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < a.length; k++) {
    dot += a[k]! * b[k]!;
    na += a[k]! ** 2;
    nb += b[k]! ** 2;
  }
  return na > 0 && nb > 0 ? 1 - dot / Math.sqrt(na * nb) : 0;
}

function rmsDistance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += (a[k]! - b[k]!) ** 2;
  return a.length ? Math.sqrt(s / a.length) : 0;
}

function zscore(a: ArrayLike<number>): number[] {
  const m = mean(a);
  const s = std(a) || 1;
  return Array.from(a, (v) => (v - m) / s);
}

/** Mean over beats where `on(i)` minus mean over the rest. */
function contrast(z: number[], on: (i: number) => boolean): number {
  let sOn = 0;
  let nOn = 0;
  let sOff = 0;
  let nOff = 0;
  for (let i = 0; i < z.length; i++) {
    if (on(i)) {
      sOn += z[i]!;
      nOn++;
    } else {
      sOff += z[i]!;
      nOff++;
    }
  }
  return (nOn ? sOn / nOn : 0) - (nOff ? sOff / nOff : 0);
}

function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
