/**
 * Beat scoring as mir_eval does it: predicted and reference beats before `skipSec` are
 * ignored, a prediction matches one reference within ±`windowSec` (one-to-one, maximum
 * matching), F = 2PR/(P+R). Used by tests and the benchmark.
 */
export function beatFMeasure(reference: number[], estimated: number[], opts: { windowSec?: number; skipSec?: number } = {}): number {
  const win = opts.windowSec ?? 0.07;
  const skip = opts.skipSec ?? 5;
  const ref = reference.filter((t) => t >= skip).sort((a, b) => a - b);
  const est = estimated.filter((t) => t >= skip).sort((a, b) => a - b);
  if (ref.length === 0 || est.length === 0) return 0;
  // Both lists are sorted and windows are narrower than any sane beat gap, so a greedy
  // two-pointer sweep gives the maximum one-to-one matching.
  let i = 0;
  let j = 0;
  let hits = 0;
  while (i < ref.length && j < est.length) {
    const d = est[j]! - ref[i]!;
    if (Math.abs(d) <= win) {
      hits++;
      i++;
      j++;
    } else if (d < 0) j++;
    else i++;
  }
  const p = hits / est.length;
  const r = hits / ref.length;
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** Relative tempo error, e.g. 0.02 for 2 %. */
export function tempoError(referenceBpm: number, estimatedBpm: number): number {
  return Math.abs(estimatedBpm - referenceBpm) / referenceBpm;
}
