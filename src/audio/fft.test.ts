import { describe, expect, it } from 'vitest';
import { RealFFT } from './fft.js';

function naiveDft(x: Float64Array): { re: number[]; im: number[] } {
  const n = x.length;
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let r = 0;
    let i = 0;
    for (let t = 0; t < n; t++) {
      r += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
      i -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
    re.push(r);
    im.push(i);
  }
  return { re, im };
}

/**
 * RealFFT.forward as it was before the first stage was fused into the load: every sum the same,
 * so the fast one must match it bit for bit.
 */
function bitReversed(i: number, bits: number): number {
  let j = 0;
  for (let b = 0; b < bits; b++) j |= ((i >> b) & 1) << (bits - 1 - b);
  return j;
}

function referenceForward(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const size = x.length;
  const m = size >> 1;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const j = bitReversed(i, Math.log2(m));
    re[j] = x[2 * i]! * 1;
    im[j] = x[2 * i + 1]! * 1;
  }
  referenceComplex(re, im);
  const outRe = new Float64Array(m + 1);
  const outIm = new Float64Array(m + 1);
  for (let k = 0; k <= m; k++) {
    const ka = k === m ? 0 : k;
    const kb = k === 0 ? 0 : m - k;
    const [ar, ai, br, bi] = [re[ka]!, im[ka]!, re[kb]!, im[kb]!];
    const feR = (ar + br) * 0.5;
    const feI = (ai - bi) * 0.5;
    const foR = (ai + bi) * 0.5;
    const foI = (br - ar) * 0.5;
    const c = Math.cos((2 * Math.PI * k) / size);
    const s = Math.sin((2 * Math.PI * k) / size);
    outRe[k] = feR + c * foR + s * foI;
    outIm[k] = feI + c * foI - s * foR;
  }
  return { re: outRe, im: outIm };
}

/** RealFFT.windowedPower as it was before bins k and N/2 − k were computed together. */
function referenceWindowedPower(x: Float32Array, w: Float64Array, scale: number): Float64Array {
  const m = w.length >> 1;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const j = bitReversed(i, Math.log2(m));
    re[j] = x[2 * i]! * w[2 * i]!;
    im[j] = x[2 * i + 1]! * w[2 * i + 1]!;
  }
  referenceComplex(re, im);
  const out = new Float64Array(m + 1);
  const q = 0.25 * scale;
  out[0] = scale * (re[0]! + im[0]!) ** 2;
  out[m] = scale * (re[0]! - im[0]!) ** 2;
  for (let k = 1; k < m; k++) {
    const kb = m - k;
    const [ar, ai, br, bi] = [re[k]!, im[k]!, re[kb]!, im[kb]!];
    const foR = ai + bi;
    const foI = br - ar;
    const c = Math.cos((2 * Math.PI * k) / (2 * m));
    const s = Math.sin((2 * Math.PI * k) / (2 * m));
    const xr = ar + br + c * foR + s * foI;
    const xi = ai - bi + c * foI - s * foR;
    out[k] = q * (xr * xr + xi * xi);
  }
  return out;
}

/** RealFFT.inverse as it was before bins k and N/2 − k were read together. */
function referenceInverse(inRe: Float64Array, inIm: Float64Array): Float64Array {
  const m = inRe.length - 1;
  const size = 2 * m;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const [ar, ai, br, bi] = [inRe[k]!, inIm[k]!, inRe[m - k]!, inIm[m - k]!];
    const dR = (ar - br) * 0.5;
    const dI = (ai + bi) * 0.5;
    const c = Math.cos((2 * Math.PI * k) / size);
    const s = Math.sin((2 * Math.PI * k) / size);
    const j = bitReversed(k, Math.log2(m));
    re[j] = (ar + br) * 0.5 - (dR * s + dI * c);
    im[j] = -((ai - bi) * 0.5 + (dR * c - dI * s));
  }
  referenceComplex(re, im);
  const out = new Float64Array(size);
  const g = 1 / m;
  for (let n = 0; n < m; n++) {
    out[2 * n] = re[n]! * g;
    out[2 * n + 1] = -im[n]! * g;
  }
  return out;
}

/** The N/2-point complex FFT in place on bit-reversed input (radix-4 passes, a radix-2 stage first when log2 is odd). */
function referenceComplex(re: Float64Array, im: Float64Array): void {
  const m = re.length;
  const bits = Math.log2(m);
  const cosH = Float64Array.from({ length: m >> 1 }, (_, k) => Math.cos((2 * Math.PI * k) / m));
  const sinH = Float64Array.from({ length: m >> 1 }, (_, k) => Math.sin((2 * Math.PI * k) / m));
  let L = 2;
  if (bits % 2 === 1) {
    for (let i = 0; i < m; i += 2) {
      const [ar, ai, br, bi] = [re[i]!, im[i]!, re[i + 1]!, im[i + 1]!];
      re[i] = ar + br;
      im[i] = ai + bi;
      re[i + 1] = ar - br;
      im[i + 1] = ai - bi;
    }
    L = 4;
  }
  for (; L < m; L <<= 2) {
    const h = L >> 1;
    for (let k = 0; k < h; k++) {
      const c1 = cosH[k * (m / L)]!;
      const s1 = sinH[k * (m / L)]!;
      const c2 = cosH[k * (m / (2 * L))]!;
      const s2 = sinH[k * (m / (2 * L))]!;
      for (let i0 = k; i0 < m; i0 += 2 * L) {
        const [i1, i2, i3] = [i0 + h, i0 + L, i0 + L + h];
        if (k === 0) {
          const [y0r, y0i, y1r, y1i] = [re[i0]! + re[i1]!, im[i0]! + im[i1]!, re[i0]! - re[i1]!, im[i0]! - im[i1]!];
          const [y2r, y2i, y3r, y3i] = [re[i2]! + re[i3]!, im[i2]! + im[i3]!, re[i2]! - re[i3]!, im[i2]! - im[i3]!];
          [re[i0], im[i0], re[i2], im[i2]] = [y0r + y2r, y0i + y2i, y0r - y2r, y0i - y2i];
          [re[i1], im[i1], re[i3], im[i3]] = [y1r + y3i, y1i - y3r, y1r - y3i, y1i + y3r];
          continue;
        }
        let tr = re[i1]! * c1 + im[i1]! * s1;
        let ti = im[i1]! * c1 - re[i1]! * s1;
        const [y0r, y0i, y1r, y1i] = [re[i0]! + tr, im[i0]! + ti, re[i0]! - tr, im[i0]! - ti];
        tr = re[i3]! * c1 + im[i3]! * s1;
        ti = im[i3]! * c1 - re[i3]! * s1;
        const [y2r, y2i, y3r, y3i] = [re[i2]! + tr, im[i2]! + ti, re[i2]! - tr, im[i2]! - ti];
        const ur = y2r * c2 + y2i * s2;
        const ui = y2i * c2 - y2r * s2;
        const vr = y3i * c2 - y3r * s2;
        const vi = -(y3r * c2 + y3i * s2);
        [re[i0], im[i0], re[i2], im[i2]] = [y0r + ur, y0i + ui, y0r - ur, y0i - ui];
        [re[i1], im[i1], re[i3], im[i3]] = [y1r + vr, y1i + vi, y1r - vr, y1i - vi];
      }
    }
  }
}

/** |X[k]|² for k = 0..N/2, from forward (what callers that want a power spectrum do). */
function powerOf(fft: RealFFT, x: ArrayLike<number>): Float64Array {
  const re = new Float64Array(fft.size / 2 + 1);
  const im = new Float64Array(fft.size / 2 + 1);
  fft.forward(x, re, im);
  return re.map((r, k) => r * r + im[k]! * im[k]!);
}

describe('RealFFT', () => {
  it.each([4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192])('gives bit for bit the spectrum of the reference implementation at N=%i', (n) => {
    let seed = 3;
    const x = Float64Array.from({ length: n }, () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    const fft = new RealFFT(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(x, re, im);
    const ref = referenceForward(x);
    expect(re).toEqual(ref.re);
    expect(im).toEqual(ref.im);
    const pw = new Float64Array(n / 2 + 1);
    const x32 = Float32Array.from(x);
    const hann = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    fft.windowedPower(x32, 0, hann, 0.7, pw);
    expect(pw).toEqual(referenceWindowedPower(x32, hann, 0.7));
    const back = new Float64Array(n);
    fft.inverse(re, im, back);
    expect(back).toEqual(referenceInverse(re, im));
    // The windowed transforms read the frame from an offset into a longer Float32Array.
    const long = Float32Array.from({ length: n + 13 }, () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    const windowed = Float64Array.from({ length: n }, (_, i) => long[13 + i]! * hann[i]!);
    fft.windowedPower(long, 13, hann, 0.7, pw);
    expect(pw).toEqual(referenceWindowedPower(Float32Array.from(long.subarray(13)), hann, 0.7));
    const wRe = new Float64Array(n / 2 + 1);
    const wIm = new Float64Array(n / 2 + 1);
    fft.windowedForward(long, 13, hann, wRe, wIm);
    const wRef = referenceForward(windowed);
    expect(wRe).toEqual(wRef.re);
    expect(wIm).toEqual(wRef.im);
    const acc = Float64Array.from(long.subarray(0, n));
    const y = referenceInverse(re, im);
    const want = acc.map((a, i) => a + y[i]! * hann[i]!);
    fft.inverseAdd(re, im, hann, acc);
    expect(acc).toEqual(want);
  });

  it('keeps each transform\'s state apart (two of one size, used in turn, and one of another)', () => {
    let seed = 21;
    const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const [a, b, c] = [new RealFFT(64), new RealFFT(64), new RealFFT(128)];
    const xa = Float64Array.from({ length: 64 }, r);
    const xb = Float64Array.from({ length: 64 }, r);
    const xc = Float64Array.from({ length: 128 }, r);
    const out = () => [new Float64Array(33), new Float64Array(33)] as const;
    const [ra, ia] = out();
    const [rb, ib] = out();
    const [rc, ic] = out();
    a.forward(xa, ra, ia);
    b.forward(xb, rb, ib);
    c.forward(xc, new Float64Array(65), new Float64Array(65));
    a.forward(xa, rc, ic);
    expect([rc, ic]).toEqual([ra, ia]);
    expect(rb).toEqual(referenceForward(xb).re);
    const back = new Float64Array(64);
    b.inverse(ra, ia, back);
    for (let t = 0; t < 64; t++) expect(back[t]).toBeCloseTo(xa[t]!, 12);
  });


  it.each([4, 8, 16, 64, 512, 1024, 2048])('matches a naive DFT at N=%i', (n) => {
    const x = new Float64Array(n);
    let seed = 7;
    for (let i = 0; i < n; i++) {
      seed = (seed * 16807) % 2147483647;
      x[i] = seed / 2147483647 - 0.5;
    }
    const fft = new RealFFT(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(x, re, im);
    const ref = naiveDft(x);
    for (let k = 0; k <= n / 2; k++) {
      expect(re[k]).toBeCloseTo(ref.re[k]!, 8);
      expect(im[k]).toBeCloseTo(ref.im[k]!, 8);
    }
  });

  it.each([4, 16, 512])('inverse gives back the signal forward transformed at N=%i', (n) => {
    let seed = 11;
    const x = Float64Array.from({ length: n }, () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    const fft = new RealFFT(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(x, re, im);
    const back = new Float64Array(n);
    fft.inverse(re, im, back);
    for (let t = 0; t < n; t++) expect(back[t]).toBeCloseTo(x[t]!, 10);
  });

  it('puts a sine in its bin', () => {
    const n = 256;
    const x = Float64Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * 10 * t) / n));
    const fft = new RealFFT(n);
    const p = powerOf(fft, x);
    const peak = p.indexOf(Math.max(...p));
    expect(peak).toBe(10);
    expect(Math.sqrt(p[10]!)).toBeCloseTo(n / 2, 6);
  });

  it('windowedPower equals the scaled power of the windowed slice', () => {
    const n = 64;
    const x = Float32Array.from({ length: n + 10 }, (_, t) => Math.sin(t * 0.7) + 0.3 * Math.cos(t * 2.1));
    const w = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    const fft = new RealFFT(n);
    const ref = powerOf(fft, Float64Array.from({ length: n }, (_, i) => x[5 + i]! * w[i]!));
    const got = new Float64Array(n / 2 + 1);
    fft.windowedPower(x, 5, w, 0.5, got);
    for (let k = 0; k <= n / 2; k++) expect(got[k]).toBeCloseTo(0.5 * ref[k]!, 8);
  });

  it('windowedForward is bit for bit forward of the windowed slice', () => {
    const n = 512;
    let seed = 5;
    const x = Float32Array.from({ length: n + 37 }, () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    const w = Float64Array.from({ length: n }, (_, i) => Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n)));
    const fft = new RealFFT(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    fft.forward(Float64Array.from({ length: n }, (_, i) => x[37 + i]! * w[i]!), re, im);
    const gotRe = new Float64Array(n / 2 + 1);
    const gotIm = new Float64Array(n / 2 + 1);
    fft.windowedForward(x, 37, w, gotRe, gotIm);
    expect(gotRe).toEqual(re);
    expect(gotIm).toEqual(im);
  });

  it('inverseAdd adds inverse·window to the accumulator, bit for bit', () => {
    const n = 256;
    let seed = 9;
    const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
    const re = Float64Array.from({ length: n / 2 + 1 }, r);
    const im = Float64Array.from({ length: n / 2 + 1 }, r);
    const w = Float64Array.from({ length: n }, r);
    const acc = Float64Array.from({ length: n }, r);
    const fft = new RealFFT(n);
    const y = new Float64Array(n);
    fft.inverse(re, im, y);
    const want = acc.map((a, i) => a + y[i]! * w[i]!);
    fft.inverseAdd(re, im, w, acc);
    expect(acc).toEqual(want);
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new RealFFT(100)).toThrow(/power of two/);
  });
});
