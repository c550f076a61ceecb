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

describe('RealFFT', () => {
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
    const p = new Float64Array(n / 2 + 1);
    fft.power(x, p, new Float64Array(n / 2 + 1), new Float64Array(n / 2 + 1));
    const peak = p.indexOf(Math.max(...p));
    expect(peak).toBe(10);
    expect(Math.sqrt(p[10]!)).toBeCloseTo(n / 2, 6);
  });

  it('windowedPower equals the scaled power of the windowed slice', () => {
    const n = 64;
    const x = Float32Array.from({ length: n + 10 }, (_, t) => Math.sin(t * 0.7) + 0.3 * Math.cos(t * 2.1));
    const w = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    const fft = new RealFFT(n);
    const ref = new Float64Array(n / 2 + 1);
    fft.power(Float64Array.from({ length: n }, (_, i) => x[5 + i]! * w[i]!), ref, new Float64Array(n / 2 + 1), new Float64Array(n / 2 + 1));
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
