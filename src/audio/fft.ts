/**
 * Radix-2 real FFT with preallocated tables and buffers: an N-point real transform is
 * done as an N/2-point complex FFT plus one twiddle pass, so a frame costs about half a
 * complex FFT and allocates nothing.
 */
export class RealFFT {
  readonly size: number;
  private readonly half: number;
  private readonly rev: Uint32Array;
  /** 2·rev[i]: where in the real frame the complex value at bit-reversed position i starts. */
  private readonly src: Uint32Array;
  /** log2(N/2) is odd: one radix-2 stage comes before the radix-4 passes. */
  private readonly oddStages: boolean;
  /** Twiddles of the N/2-point complex FFT. */
  private readonly cosH: Float64Array;
  private readonly sinH: Float64Array;
  /** Twiddles of the N-point split pass. */
  private readonly cosN: Float64Array;
  private readonly sinN: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new Error(`FFT size must be a power of two ≥ 4, got ${size}`);
    this.size = size;
    const m = size >> 1;
    this.half = m;
    this.rev = new Uint32Array(m);
    const bits = Math.log2(m);
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.src = this.rev.map((r) => 2 * r);
    this.oddStages = bits % 2 === 1;
    this.cosH = new Float64Array(m >> 1);
    this.sinH = new Float64Array(m >> 1);
    for (let k = 0; k < m >> 1; k++) {
      this.cosH[k] = Math.cos((2 * Math.PI * k) / m);
      this.sinH[k] = Math.sin((2 * Math.PI * k) / m);
    }
    this.cosN = new Float64Array(m + 1);
    this.sinN = new Float64Array(m + 1);
    for (let k = 0; k <= m; k++) {
      this.cosN[k] = Math.cos((2 * Math.PI * k) / size);
      this.sinN[k] = Math.sin((2 * Math.PI * k) / size);
    }
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
  }

  /**
   * Load `x[offset + i]·window[i]` pairwise as complex values in bit-reversed order and run the
   * N/2-point complex FFT: windowing happens while loading, so there is no extra pass over the
   * frame, and the first stage (twiddles all 1) runs on the loaded values before they are stored,
   * so that stage does not read the arrays back (the same sums as complexInPlace's first stage).
   */
  private transform(x: Float32Array, offset: number, window: Float64Array): void {
    const { half: m, re, im, src } = this;
    if (this.oddStages) {
      for (let i = 0; i < m; i += 2) {
        const a = src[i]!;
        const b = src[i + 1]!;
        const ar = x[offset + a]! * window[a]!;
        const ai = x[offset + a + 1]! * window[a + 1]!;
        const br = x[offset + b]! * window[b]!;
        const bi = x[offset + b + 1]! * window[b + 1]!;
        re[i] = ar + br;
        im[i] = ai + bi;
        re[i + 1] = ar - br;
        im[i + 1] = ai - bi;
      }
      this.passes(4);
      return;
    }
    for (let i0 = 0; i0 < m; i0 += 4) {
      const a0 = src[i0]!;
      const a1 = src[i0 + 1]!;
      const a2 = src[i0 + 2]!;
      const a3 = src[i0 + 3]!;
      const r0 = x[offset + a0]! * window[a0]!;
      const q0 = x[offset + a0 + 1]! * window[a0 + 1]!;
      const r1 = x[offset + a1]! * window[a1]!;
      const q1 = x[offset + a1 + 1]! * window[a1 + 1]!;
      const r2 = x[offset + a2]! * window[a2]!;
      const q2 = x[offset + a2 + 1]! * window[a2 + 1]!;
      const r3 = x[offset + a3]! * window[a3]!;
      const q3 = x[offset + a3 + 1]! * window[a3 + 1]!;
      const y0r = r0 + r1;
      const y0i = q0 + q1;
      const y1r = r0 - r1;
      const y1i = q0 - q1;
      const y2r = r2 + r3;
      const y2i = q2 + q3;
      const y3r = r2 - r3;
      const y3i = q2 - q3;
      re[i0] = y0r + y2r;
      im[i0] = y0i + y2i;
      re[i0 + 2] = y0r - y2r;
      im[i0 + 2] = y0i - y2i;
      re[i0 + 1] = y1r + y3i;
      im[i0 + 1] = y1i - y3r;
      re[i0 + 3] = y1r - y3i;
      im[i0 + 3] = y1i + y3r;
    }
    this.passes(8);
  }

  /**
   * Spectrum of `x` (length N). Writes bins 0..N/2 into outRe/outIm (length ≥ N/2+1).
   */
  forward(x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    // Its own load (not transform's): the streaming analysis calls transform with Float32Array
    // frames, and a Float64Array here (tempo) made V8 throw that optimised code away.
    const { half: m, re, im, rev } = this;
    for (let i = 0; i < m; i++) {
      const j = rev[i]!;
      re[j] = x[2 * i]!;
      im[j] = x[2 * i + 1]!;
    }
    this.complexInPlace();
    this.split(outRe, outIm);
  }

  /**
   * Spectrum of the windowed frame `x[offset + i]·window[i]`: bit for bit what `forward` gives for
   * that product (×1 is exact), without a pass that writes the product out first.
   */
  windowedForward(x: Float32Array, offset: number, window: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    this.transform(x, offset, window);
    this.split(outRe, outIm);
  }

  /** Bins 0..N/2 from the N/2-point transform of the even/odd samples (this.re/this.im). */
  private split(outRe: Float64Array, outIm: Float64Array): void {
    const { half: m, re, im, cosN, sinN } = this;
    // Bins 0 and N/2 both come from re[0]/im[0].
    for (let k = 0; k <= m; k += m) {
      const ar = re[0]!;
      const ai = im[0]!;
      const feR = (ar + ar) * 0.5;
      const feI = (ai - ai) * 0.5;
      const foR = (ai + ai) * 0.5;
      const foI = (ar - ar) * 0.5;
      const c = cosN[k]!;
      const s = sinN[k]!;
      outRe[k] = feR + c * foR + s * foI;
      outIm[k] = feI + c * foI - s * foR;
    }
    // Bins k and N/2 − k read the same two values (swapped): one load of each for both.
    for (let k = 1; k <= m >> 1; k++) {
      const kb = m - k;
      const ar = re[k]!;
      const ai = im[k]!;
      const br = re[kb]!;
      const bi = im[kb]!;
      let feR = (ar + br) * 0.5;
      let feI = (ai - bi) * 0.5;
      let foR = (ai + bi) * 0.5;
      let foI = (br - ar) * 0.5;
      let c = cosN[k]!;
      let s = sinN[k]!;
      outRe[k] = feR + c * foR + s * foI;
      outIm[k] = feI + c * foI - s * foR;
      if (kb === k) continue;
      feR = (br + ar) * 0.5;
      feI = (bi - ai) * 0.5;
      foR = (bi + ai) * 0.5;
      foI = (ar - br) * 0.5;
      c = cosN[kb]!;
      s = sinN[kb]!;
      outRe[kb] = feR + c * foR + s * foI;
      outIm[kb] = feI + c * foI - s * foR;
    }
  }

  /** Power spectrum |X[k]|² for k = 0..N/2 into `out`. */
  power(x: ArrayLike<number>, out: Float64Array, scratchRe: Float64Array, scratchIm: Float64Array): void {
    this.forward(x, scratchRe, scratchIm);
    for (let k = 0; k <= this.half; k++) out[k] = scratchRe[k]! * scratchRe[k]! + scratchIm[k]! * scratchIm[k]!;
  }

  /**
   * `scale`·|X[k]|² of the windowed frame `x[offset + i]·window[i]`, k = 0..N/2, into `out`.
   * The streaming analysis calls this 100 times a second: the power is taken while splitting,
   * so there is no extra pass over the spectrum.
   */
  windowedPower(x: Float32Array, offset: number, window: Float64Array, scale: number, out: Float64Array): void {
    this.transform(x, offset, window);
    const { half: m, re, im, cosN, sinN } = this;
    const q = 0.25 * scale;
    // Bins 0 and N/2 come from re[0]/im[0] alone.
    out[0] = scale * (re[0]! + im[0]!) ** 2;
    out[m] = scale * (re[0]! - im[0]!) ** 2;
    // Bins k and N/2 − k read the same two values (swapped): one load of each for both.
    for (let k = 1; k <= m >> 1; k++) {
      const kb = m - k;
      const ar = re[k]!;
      const ai = im[k]!;
      const br = re[kb]!;
      const bi = im[kb]!;
      let foR = ai + bi;
      let foI = br - ar;
      let c = cosN[k]!;
      let s = sinN[k]!;
      let xr = ar + br + c * foR + s * foI;
      let xi = ai - bi + c * foI - s * foR;
      out[k] = q * (xr * xr + xi * xi);
      if (kb === k) continue;
      foR = bi + ai;
      foI = ar - br;
      c = cosN[kb]!;
      s = sinN[kb]!;
      xr = br + ar + c * foR + s * foI;
      xi = bi - ai + c * foI - s * foR;
      out[kb] = q * (xr * xr + xi * xi);
    }
  }

  /**
   * The real signal (length N, into `out`) whose bins 0..N/2 are inRe/inIm: the inverse of
   * `forward`, 1/N included. The split is undone (the N/2 complex values whose transform the
   * even and odd samples are) and the N/2-point complex FFT runs on their conjugate.
   */
  inverse(inRe: Float64Array, inIm: Float64Array, out: Float64Array): void {
    this.unsplit(inRe, inIm);
    const m = this.half;
    const { re, im } = this;
    const g = 1 / m;
    for (let n = 0; n < m; n++) {
      out[2 * n] = re[n]! * g;
      out[2 * n + 1] = -im[n]! * g;
    }
  }

  /**
   * Overlap-add: `acc[i] += y[i]·window[i]` where y is what `inverse` gives for inRe/inIm, bit for
   * bit the same sums, without writing y out first.
   */
  inverseAdd(inRe: Float64Array, inIm: Float64Array, window: Float64Array, acc: Float64Array): void {
    this.unsplit(inRe, inIm);
    const m = this.half;
    const { re, im } = this;
    const g = 1 / m;
    for (let n = 0; n < m; n++) {
      const a = 2 * n;
      acc[a] = acc[a]! + re[n]! * g * window[a]!;
      acc[a + 1] = acc[a + 1]! + -im[n]! * g * window[a + 1]!;
    }
  }

  /** this.re/this.im ← the inverse transform's N/2 complex values (conjugated), before the N/2-point FFT. */
  private unsplit(inRe: Float64Array, inIm: Float64Array): void {
    const { half: m, re, im, rev, cosN, sinN } = this;
    {
      // k = 0 pairs bin 0 with bin N/2.
      const ar = inRe[0]!;
      const ai = inIm[0]!;
      const br = inRe[m]!;
      const bi = inIm[m]!;
      const dR = (ar - br) * 0.5;
      const dI = (ai + bi) * 0.5;
      const c = cosN[0]!;
      const s = sinN[0]!;
      re[0] = (ar + br) * 0.5 - (dR * s + dI * c);
      im[0] = -((ai - bi) * 0.5 + (dR * c - dI * s));
    }
    // k and N/2 − k read the same two bins (swapped): one load of each for both.
    for (let k = 1; k <= m >> 1; k++) {
      const kb = m - k;
      const ar = inRe[k]!;
      const ai = inIm[k]!;
      const br = inRe[kb]!;
      const bi = inIm[kb]!;
      let dR = (ar - br) * 0.5;
      let dI = (ai + bi) * 0.5;
      let c = cosN[k]!;
      let s = sinN[k]!;
      let j = rev[k]!;
      re[j] = (ar + br) * 0.5 - (dR * s + dI * c);
      im[j] = -((ai - bi) * 0.5 + (dR * c - dI * s));
      if (kb === k) continue;
      dR = (br - ar) * 0.5;
      dI = (bi + ai) * 0.5;
      c = cosN[kb]!;
      s = sinN[kb]!;
      j = rev[kb]!;
      re[j] = (br + ar) * 0.5 - (dR * s + dI * c);
      im[j] = -((bi - ai) * 0.5 + (dR * c - dI * s));
    }
    this.complexInPlace();
  }

  /**
   * In-place complex FFT of this.re/this.im, already in bit-reversed order. Two radix-2
   * stages are fused into one radix-4 pass, so the data is read and written half as often.
   */
  private complexInPlace(): void {
    const m = this.half;
    const re = this.re;
    const im = this.im;
    let L = 2;
    if (this.oddStages) {
      // Odd number of stages: the first (twiddle 1) runs alone.
      for (let i = 0; i < m; i += 2) {
        const ar = re[i]!;
        const ai = im[i]!;
        const br = re[i + 1]!;
        const bi = im[i + 1]!;
        re[i] = ar + br;
        im[i] = ai + bi;
        re[i + 1] = ar - br;
        im[i + 1] = ai - bi;
      }
      L = 4;
    }
    this.passes(L);
  }

  /** The radix-4 passes from stage length L on (L = 2, or 4 after a lone radix-2 stage). */
  private passes(start: number): void {
    const m = this.half;
    const re = this.re;
    const im = this.im;
    const cosH = this.cosH;
    const sinH = this.sinH;
    let L = start;
    // Stages of length L and 2L together on quads (k, k+h, k+L, k+L+h), h = L/2:
    // W_L^k on the first stage, W_2L^k and W_2L^(k+h) = −i·W_2L^k on the second.
    for (; L < m; L <<= 2) {
      const h = L >> 1;
      const L2 = L << 1;
      const step1 = m / L;
      const step2 = m / L2;
      // k = 0: every twiddle is 1, so the quads need only additions.
      for (let i0 = 0; i0 < m; i0 += L2) {
        const i1 = i0 + h;
        const i2 = i0 + L;
        const i3 = i2 + h;
        const y0r = re[i0]! + re[i1]!;
        const y0i = im[i0]! + im[i1]!;
        const y1r = re[i0]! - re[i1]!;
        const y1i = im[i0]! - im[i1]!;
        const y2r = re[i2]! + re[i3]!;
        const y2i = im[i2]! + im[i3]!;
        const y3r = re[i2]! - re[i3]!;
        const y3i = im[i2]! - im[i3]!;
        re[i0] = y0r + y2r;
        im[i0] = y0i + y2i;
        re[i2] = y0r - y2r;
        im[i2] = y0i - y2i;
        // −i·y3 = (Im, −Re).
        re[i1] = y1r + y3i;
        im[i1] = y1i - y3r;
        re[i3] = y1r - y3i;
        im[i3] = y1i + y3r;
      }
      for (let k = 1; k < h; k++) {
        const c1 = cosH[k * step1]!;
        const s1 = sinH[k * step1]!;
        const c2 = cosH[k * step2]!;
        const s2 = sinH[k * step2]!;
        for (let i0 = k; i0 < m; i0 += L2) {
          const i1 = i0 + h;
          const i2 = i0 + L;
          const i3 = i2 + h;
          // Stage L.
          let xr = re[i1]!;
          let xi = im[i1]!;
          let tr = xr * c1 + xi * s1;
          let ti = xi * c1 - xr * s1;
          const y0r = re[i0]! + tr;
          const y0i = im[i0]! + ti;
          const y1r = re[i0]! - tr;
          const y1i = im[i0]! - ti;
          xr = re[i3]!;
          xi = im[i3]!;
          tr = xr * c1 + xi * s1;
          ti = xi * c1 - xr * s1;
          const y2r = re[i2]! + tr;
          const y2i = im[i2]! + ti;
          const y3r = re[i2]! - tr;
          const y3i = im[i2]! - ti;
          // Stage 2L.
          const ur = y2r * c2 + y2i * s2;
          const ui = y2i * c2 - y2r * s2;
          // −i·W·y3 = (Im, −Re) of W·y3.
          const vr = y3i * c2 - y3r * s2;
          const vi = -(y3r * c2 + y3i * s2);
          re[i0] = y0r + ur;
          im[i0] = y0i + ui;
          re[i2] = y0r - ur;
          im[i2] = y0i - ui;
          re[i1] = y1r + vr;
          im[i1] = y1i + vi;
          re[i3] = y1r - vr;
          im[i3] = y1i - vi;
        }
      }
    }
  }
}
