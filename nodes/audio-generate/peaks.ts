/** Waveform overview (min/max per bucket of the mono mixdown) straight from rendered PCM. */
export function peaksFromPcm(left: Float32Array, right: Float32Array, sampleRate: number, bucketsPerSec = 50): { bucketsPerSec: number; min: number[]; max: number[] } {
  const per = Math.max(1, Math.round(sampleRate / bucketsPerSec));
  const min: number[] = [];
  const max: number[] = [];
  const r = (x: number) => Math.round(x * 1000) / 1000;
  for (let s = 0; s < left.length; s += per) {
    let lo = Infinity;
    let hi = -Infinity;
    const e = Math.min(left.length, s + per);
    for (let i = s; i < e; i++) {
      const v = (left[i]! + right[i]!) * 0.5;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min.push(r(lo));
    max.push(r(hi));
  }
  return { bucketsPerSec, min, max };
}
