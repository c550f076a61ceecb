/**
 * Downbeats: score every beat by its accent (harmonic change into the beat, low-band and
 * full-band onset at the beat), then pick the meter (4 by default, 3 when it clearly fits
 * better) and bar phase whose first beats are the most accented.
 */
import { mean, std } from './stats.js';

export interface DownbeatInput {
  beats: number[];
  rate: number;
  flux: Float32Array;
  fluxLow: Float32Array;
  /** 12-dim chroma every `chromaFrames` frames. */
  chroma: Float32Array;
  chromaFrames: number;
}

export function findDownbeats(inp: DownbeatInput): { downbeats: number[]; meter: number } {
  const { beats, rate } = inp;
  if (beats.length < 6) return { downbeats: beats.slice(0, 1), meter: 4 };
  const frames = beats.map((b) => Math.round(b * rate));
  const peakAround = (a: Float32Array, f: number) => {
    let m = 0;
    for (let k = f - 3; k <= f + 3; k++) if (k >= 0 && k < a.length) m = Math.max(m, a[k]!);
    return m;
  };
  const low = frames.map((f) => peakAround(inp.fluxLow, f));
  const full = frames.map((f) => peakAround(inp.flux, f));
  const nChroma = Math.floor(inp.chroma.length / 12);
  const chromaMean = (f0: number, f1: number) => {
    const v = new Float64Array(12);
    const a = Math.max(0, Math.floor(f0 / inp.chromaFrames));
    const b = Math.min(nChroma, Math.max(a + 1, Math.floor(f1 / inp.chromaFrames)));
    for (let i = a; i < b; i++) for (let k = 0; k < 12; k++) v[k] = v[k]! + inp.chroma[i * 12 + k]!;
    return v;
  };
  const change = frames.map((f, i) => {
    const prev = i > 0 ? frames[i - 1]! : f - (frames[1]! - frames[0]!);
    const next = i + 1 < frames.length ? frames[i + 1]! : f + (f - prev);
    const a = chromaMean(prev, f);
    const b = chromaMean(f, next);
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let k = 0; k < 12; k++) {
      dot += a[k]! * b[k]!;
      na += a[k]! ** 2;
      nb += b[k]! ** 2;
    }
    return na > 0 && nb > 0 ? 1 - dot / Math.sqrt(na * nb) : 0;
  });
  const z = (a: number[]) => {
    const m = mean(a);
    const s = std(a) || 1;
    return a.map((v) => (v - m) / s);
  };
  const zc = z(change);
  const zl = z(low);
  const zf = z(full);
  const accent = zc.map((v, i) => v + 0.5 * zl[i]! + 0.5 * zf[i]!);
  const best = (meter: number) => {
    let top = { phase: 0, contrast: -Infinity };
    for (let phase = 0; phase < meter; phase++) {
      const on: number[] = [];
      const off: number[] = [];
      accent.forEach((a, i) => ((i - phase) % meter === 0 ? on : off).push(a));
      const contrast = mean(on) - mean(off);
      if (contrast > top.contrast) top = { phase, contrast };
    }
    return top;
  };
  const four = best(4);
  const three = best(3);
  const meter = three.contrast > 1.3 * Math.max(four.contrast, 0.05) ? 3 : 4;
  const chosen = meter === 3 ? three : four;
  return { downbeats: beats.filter((_, i) => (i - chosen.phase) % meter === 0), meter };
}
