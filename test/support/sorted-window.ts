/**
 * The JavaScript versions of the sorted running windows and the streaming HPSS that the analysis
 * now runs in WebAssembly (src/audio/wasm/assembly/sorted.ts, frame-analyzer.ts): the tests keep
 * them as the reference the kernels must match bit for bit.
 */
/**
 * Streaming harmonic/percussive split (Fitzgerald median filtering) on a small mel
 * spectrogram: harmonic = median across time, percussive = median across frequency,
 * soft Wiener-style masks. Works on a ring of `timeSpan` frames, so output lags the
 * input by half that and memory stays constant.
 */
export class StreamingHpss {
  private readonly bands: number;
  private readonly span: number;
  private readonly freqSpan: number;
  private readonly ring: Float64Array[];
  /** Per band, the last `span` values kept sorted so the running median costs O(span). */
  private readonly sorted: Float64Array[];
  private count = 0;
  private readonly scratch: Float64Array;

  constructor(bands: number, timeSpan = 17, freqSpan = 9) {
    this.bands = bands;
    this.span = timeSpan;
    this.freqSpan = freqSpan;
    this.ring = Array.from({ length: timeSpan }, () => new Float64Array(bands));
    // Frames not yet seen count as silence (start of the file).
    this.sorted = Array.from({ length: bands }, () => new Float64Array(timeSpan));
    this.scratch = new Float64Array(freqSpan);
  }

  /** Frames of delay between push() and the frame its result belongs to. */
  get delay(): number {
    return this.span >> 1;
  }

  /**
   * Push one mel power frame. When it returns true, out = [harmonic, percussive] power of
   * the frame pushed `delay` frames ago; false while the ring is still filling.
   */
  push(mel: Float64Array, out: Float64Array): boolean {
    const slot = this.ring[this.count % this.span]!;
    for (let b = 0; b < this.bands; b++) {
      replaceSorted(this.sorted[b]!, slot[b]!, mel[b]!);
      slot[b] = mel[b]!;
    }
    this.count++;
    if (this.count <= this.delay) return false;
    const centre = this.ring[(this.count - 1 - this.delay) % this.span]!;
    const halfF = this.freqSpan >> 1;
    const mid = this.span >> 1;
    let harm = 0;
    let perc = 0;
    for (let b = 0; b < this.bands; b++) {
      let n = 0;
      for (let j = b - halfF; j <= b + halfF; j++) {
        if (j >= 0 && j < this.bands) this.scratch[n++] = centre[j]!;
      }
      const p = median(this.scratch, n);
      const h = this.sorted[b]![mid]!;
      const h2 = h * h;
      const p2 = p * p;
      const den = h2 + p2;
      const mH = den > 0 ? h2 / den : 0.5;
      harm += centre[b]! * mH;
      perc += centre[b]! * (1 - mH);
    }
    out[0] = harm;
    out[1] = perc;
    return true;
  }
}

/**
 * Replace one occurrence of `oldV` in the sorted run a[from, from + n) by `newV`, keeping it
 * sorted (a run of one flat array lets a caller keep many sorted windows without an array each).
 */
export function replaceSorted(a: Float64Array, oldV: number, newV: number, from = 0, n = a.length - from): void {
  const last = from + n - 1;
  let i = from;
  while (i < last && a[i] !== oldV) i++;
  if (newV >= oldV) {
    while (i < last && a[i + 1]! < newV) {
      a[i] = a[i + 1]!;
      i++;
    }
  } else {
    while (i > from && a[i - 1]! > newV) {
      a[i] = a[i - 1]!;
      i--;
    }
  }
  a[i] = newV;
}

/** Median of the first n values (insertion sort: n is tiny). Reorders `a`. */
function median(a: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
  return n % 2 ? a[n >> 1]! : 0.5 * (a[(n >> 1) - 1]! + a[n >> 1]!);
}
