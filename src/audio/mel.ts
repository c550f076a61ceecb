/** Triangular mel filterbank stored sparsely (start bin + weights) so a frame costs ~2 passes over the spectrum. */
export interface MelBank {
  bands: number;
  /** Centre frequency of each band, Hz. */
  centers: Float64Array;
  start: Int32Array;
  weights: Float64Array[];
}

const hzToMel = (f: number) => 2595 * Math.log10(1 + f / 700);
const melToHz = (m: number) => 700 * (10 ** (m / 2595) - 1);

export function createMelBank(opts: { sampleRate: number; fftSize: number; bands: number; fMin: number; fMax: number }): MelBank {
  const { sampleRate, fftSize, bands, fMin, fMax } = opts;
  const binHz = sampleRate / fftSize;
  const mMin = hzToMel(fMin);
  const mMax = hzToMel(fMax);
  const edges = Array.from({ length: bands + 2 }, (_, i) => melToHz(mMin + ((mMax - mMin) * i) / (bands + 1)));
  const centers = new Float64Array(bands);
  const start = new Int32Array(bands);
  const weights: Float64Array[] = [];
  for (let b = 0; b < bands; b++) {
    const lo = edges[b]!;
    const mid = edges[b + 1]!;
    const hi = edges[b + 2]!;
    centers[b] = mid;
    const k0 = Math.max(0, Math.floor(lo / binHz));
    const k1 = Math.min(fftSize / 2, Math.ceil(hi / binHz));
    const w: number[] = [];
    for (let k = k0; k <= k1; k++) {
      const f = k * binHz;
      const v = f <= mid ? (f - lo) / Math.max(mid - lo, 1e-9) : (hi - f) / Math.max(hi - mid, 1e-9);
      w.push(Math.max(0, Math.min(1, v)));
    }
    // Low bands can be narrower than one bin; give them the nearest bin so no band is empty.
    if (w.every((x) => x === 0)) {
      const k = Math.round(mid / binHz);
      start[b] = k;
      weights.push(Float64Array.of(1));
      continue;
    }
    start[b] = k0;
    weights.push(Float64Array.from(w));
  }
  return { bands, centers, start, weights };
}

export function applyMel(bank: MelBank, power: Float64Array, out: Float64Array): void {
  for (let b = 0; b < bank.bands; b++) {
    const w = bank.weights[b]!;
    const s = bank.start[b]!;
    let acc = 0;
    for (let i = 0; i < w.length; i++) acc += w[i]! * power[s + i]!;
    out[b] = acc;
  }
}
