/**
 * Ellis-style dynamic-programming beat tracker with a local tempo: every frame picks the
 * best previous beat one period back, penalised by how far the gap strays (log scale)
 * from the local period. Output beats are frame indices into the onset envelope.
 */
export interface BeatOptions {
  /** Higher = more rigid tempo. */
  tightness?: number;
}

/** Tempo penalty beyond which a gap is not searched (local onset scores are a few units). */
const SEARCH_PENALTY = 200;

export function trackBeats(onset: Float32Array, periodAt: Float32Array, opts: BeatOptions = {}): number[] {
  const n = onset.length;
  if (n < 4) return [];
  const tightness = opts.tightness ?? 100;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += onset[t]!;
  mean /= n;
  let sd = 0;
  for (let t = 0; t < n; t++) sd += (onset[t]! - mean) ** 2;
  sd = Math.sqrt(sd / n) || 1;
  // Smooth with a narrow Gaussian (σ ≈ period/32) so beats may sit a frame off a peak.
  const medianPeriod = median(periodAt);
  const half = Math.max(1, Math.round(medianPeriod / 8));
  const kernel = Float64Array.from({ length: 2 * half + 1 }, (_, i) => Math.exp(-0.5 * (((i - half) * 32) / medianPeriod) ** 2));
  const local = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let k = -half; k <= half; k++) {
      const u = t + k;
      if (u >= 0 && u < n) s += (onset[u]! / sd) * kernel[k + half]!;
    }
    local[t] = s;
  }
  const cum = new Float64Array(n);
  const back = new Int32Array(n).fill(-1);
  let maxLocal = 0;
  for (let t = 0; t < n; t++) maxLocal = Math.max(maxLocal, local[t]!);
  // Chains may start fresh only until the music starts; after that every beat links back,
  // otherwise a tight tempo penalty would break the grid into pieces.
  let started = false;
  // Only gaps whose tempo penalty stays below SEARCH_PENALTY are searched: with the rigid
  // tracking the analysis uses (tightness 3000) that is ±29 % of the period instead of
  // ½–2×, a third of the work, and a predecessor further off never wins anyway.
  const reach = Math.min(Math.LN2, Math.sqrt(SEARCH_PENALTY / tightness));
  const loF = Math.exp(-reach);
  const hiF = Math.exp(reach);
  for (let t = 0; t < n; t++) {
    const p = periodAt[t]!;
    const lo = Math.max(1, Math.round(p * loF));
    const hi = Math.round(p * hiF);
    let best = -Infinity;
    let arg = -1;
    for (let tau = lo; tau <= hi && t - tau >= 0; tau++) {
      const l = Math.log(tau / p);
      const v = cum[t - tau]! - tightness * l * l;
      if (v > best) {
        best = v;
        arg = t - tau;
      }
    }
    if (arg >= 0 && (started || best > 0.01 * maxLocal)) {
      cum[t] = local[t]! + best;
      back[t] = arg;
      started = true;
    } else cum[t] = local[t]!;
  }
  // Last beat: the last local maximum of the cumulative score that is well above typical.
  const peaks: number[] = [];
  for (let t = 1; t < n - 1; t++) if (cum[t]! > cum[t - 1]! && cum[t]! >= cum[t + 1]!) peaks.push(t);
  if (peaks.length === 0) return [];
  const med = median(Float32Array.from(peaks.map((t) => cum[t]!)));
  let lastIdx = peaks.length - 1;
  while (lastIdx > 0 && cum[peaks[lastIdx]!]! < 0.5 * med) lastIdx--;
  // Every chain ends near the end of the music; pick the strongest end within one period,
  // not simply the latest (that one is as likely to be an off-beat chain).
  const endT = peaks[lastIdx]!;
  let last = endT;
  for (let i = lastIdx; i >= 0 && peaks[i]! >= endT - 1.1 * periodAt[endT]!; i--) {
    if (cum[peaks[i]!]! > cum[last]!) last = peaks[i]!;
  }
  const beats: number[] = [];
  for (let t = last; t >= 0; t = back[t]!) beats.push(t);
  beats.reverse();
  return trimWeak(beats, local);
}

/** Drop leading/trailing beats on near-silence (the DP happily extends a grid into it). */
function trimWeak(beats: number[], local: Float64Array): number[] {
  if (beats.length < 3) return beats;
  let ms = 0;
  for (const b of beats) ms += local[b]! * local[b]!;
  const thresh = 0.5 * Math.sqrt(ms / beats.length);
  let a = 0;
  let z = beats.length;
  while (a < z && local[beats[a]!]! <= thresh) a++;
  while (z > a && local[beats[z - 1]!]! <= thresh) z--;
  return beats.slice(a, z);
}

function median(a: Float32Array): number {
  const s = Float32Array.from(a).sort();
  return s.length ? s[s.length >> 1]! : 0;
}
