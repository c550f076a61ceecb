/** Onset times from the spectral-flux envelope: local maxima above an adaptive threshold. */
import { std } from './stats.js';

export function pickOnsets(flux: Float32Array, rate: number): number[] {
  const n = flux.length;
  const sd = std(flux);
  if (!(sd > 0)) return [];
  const pre = Math.round(0.1 * rate);
  const post = Math.round(0.05 * rate);
  const maxR = Math.round(0.03 * rate);
  const minGap = Math.round(0.03 * rate);
  const delta = 0.3 * sd;
  const out: number[] = [];
  let last = -Infinity;
  for (let t = 1; t < n - 1; t++) {
    const v = flux[t]!;
    if (v <= 0) continue;
    let isMax = true;
    for (let k = Math.max(0, t - maxR); k <= Math.min(n - 1, t + maxR); k++) {
      if (flux[k]! > v || (flux[k] === v && k < t)) {
        isMax = false;
        break;
      }
    }
    if (!isMax) continue;
    let m = 0;
    let c = 0;
    for (let k = Math.max(0, t - pre); k <= Math.min(n - 1, t + post); k++) {
      m += flux[k]!;
      c++;
    }
    if (v < m / c + delta) continue;
    if (t - last < minGap) continue;
    out.push(t / rate);
    last = t;
  }
  return out;
}
