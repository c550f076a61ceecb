// AssemblyScript, not TypeScript: compiled to WebAssembly by `npm run build:wasm` (see ../build.ts).
// The real FFT of ../../fft.ts, operation for operation: the same radix-4/2 passes, the same sums in
// the same order, twiddles computed by the caller in JS (Math.cos/sin) and stored in the tables here,
// so every output is bit for bit what the JavaScript version gave. Each RealFFT has its own instance
// (its own memory); `init` lays the memory out and the caller fills the tables.
import { ld, st, ld32, ldi, take, reserve } from './memory';

/** N/2: the size of the complex FFT. */
let m: i32 = 0;
/** log2(N/2) is odd: one radix-2 stage comes before the radix-4 passes. */
let oddStages: bool = false;

// Byte offsets into memory, read by the caller after `init`.
/** Bit-reversed position of each complex value (u32, N/2). */
export let rev: usize = 0;
/** Twiddles of the N/2-point complex FFT (f64, N/4 each). */
export let cosH: usize = 0;
export let sinH: usize = 0;
/** Twiddles of the N-point split pass (f64, N/2 + 1 each). */
export let cosN: usize = 0;
export let sinN: usize = 0;
/** The N/2 complex values being transformed (f64, N/2 each). */
export let re: usize = 0;
export let im: usize = 0;
/** A real frame: f32 for the windowed transforms, f64 for forward and inverse (N each). */
export let frame32: usize = 0;
export let frame64: usize = 0;
/** The window of the windowed transforms and of inverseAdd (f64, N). */
export let window: usize = 0;
/** Bins 0..N/2 (f64, N/2 + 1 each): the spectrum out of forward, the power out of windowedPower, the spectrum into inverse. */
export let specRe: usize = 0;
export let specIm: usize = 0;
/** The first byte past the FFT's memory: a kernel built on it lays its own state out from there. */
export let end: usize = 0;

/** Lays out the memory for an N-point transform (N a power of two ≥ 4), growing it as needed. */
export function init(size: i32, odd: bool): void {
  m = size >> 1;
  oddStages = odd;
  let p: usize = (__heap_base + 15) & ~(<usize>15);
  rev = p;
  p = take(p, m * 4);
  cosH = p;
  p = take(p, (m >> 1) * 8);
  sinH = p;
  p = take(p, (m >> 1) * 8);
  cosN = p;
  p = take(p, (m + 1) * 8);
  sinN = p;
  p = take(p, (m + 1) * 8);
  re = p;
  p = take(p, m * 8);
  im = p;
  p = take(p, m * 8);
  frame32 = p;
  p = take(p, size * 4);
  frame64 = p;
  p = take(p, size * 8);
  window = p;
  p = take(p, size * 8);
  specRe = p;
  p = take(p, (m + 1) * 8);
  specIm = p;
  p = take(p, (m + 1) * 8);
  end = p;
  reserve(p);
}

/**
 * Loads frame32[i]·window[i] pairwise as complex values in bit-reversed order and runs the
 * N/2-point complex FFT, the first stage fused into the load (RealFFT.transform in JS).
 */
function transform(): void {
  if (oddStages) {
    for (let i = 0; i < m; i += 2) {
      const a = ldi(rev, i) << 1;
      const b = ldi(rev, i + 1) << 1;
      const ar = ld32(frame32, a) * ld(window, a);
      const ai = ld32(frame32, a + 1) * ld(window, a + 1);
      const br = ld32(frame32, b) * ld(window, b);
      const bi = ld32(frame32, b + 1) * ld(window, b + 1);
      st(re, i, ar + br);
      st(im, i, ai + bi);
      st(re, i + 1, ar - br);
      st(im, i + 1, ai - bi);
    }
    passes(4);
    return;
  }
  for (let i0 = 0; i0 < m; i0 += 4) {
    const a0 = ldi(rev, i0) << 1;
    const a1 = ldi(rev, i0 + 1) << 1;
    const a2 = ldi(rev, i0 + 2) << 1;
    const a3 = ldi(rev, i0 + 3) << 1;
    const r0 = ld32(frame32, a0) * ld(window, a0);
    const q0 = ld32(frame32, a0 + 1) * ld(window, a0 + 1);
    const r1 = ld32(frame32, a1) * ld(window, a1);
    const q1 = ld32(frame32, a1 + 1) * ld(window, a1 + 1);
    const r2 = ld32(frame32, a2) * ld(window, a2);
    const q2 = ld32(frame32, a2 + 1) * ld(window, a2 + 1);
    const r3 = ld32(frame32, a3) * ld(window, a3);
    const q3 = ld32(frame32, a3 + 1) * ld(window, a3 + 1);
    const y0r = r0 + r1;
    const y0i = q0 + q1;
    const y1r = r0 - r1;
    const y1i = q0 - q1;
    const y2r = r2 + r3;
    const y2i = q2 + q3;
    const y3r = r2 - r3;
    const y3i = q2 - q3;
    st(re, i0, y0r + y2r);
    st(im, i0, y0i + y2i);
    st(re, i0 + 2, y0r - y2r);
    st(im, i0 + 2, y0i - y2i);
    st(re, i0 + 1, y1r + y3i);
    st(im, i0 + 1, y1i - y3r);
    st(re, i0 + 3, y1r - y3i);
    st(im, i0 + 3, y1i + y3r);
  }
  passes(8);
}

/** Spectrum of frame64 into specRe/specIm (bins 0..N/2). */
export function forward(): void {
  for (let i = 0; i < m; i++) {
    const j = ldi(rev, i);
    st(re, j, ld(frame64, 2 * i));
    st(im, j, ld(frame64, 2 * i + 1));
  }
  complexInPlace();
  split();
}

/** Spectrum of frame32·window into specRe/specIm. */
export function windowedForward(): void {
  transform();
  split();
}

/** Bins 0..N/2 into specRe/specIm from the N/2-point transform of the even/odd samples (re/im). */
function split(): void {
  // Bins 0 and N/2 both come from re[0]/im[0].
  for (let k = 0; k <= m; k += m) {
    const ar = ld(re, 0);
    const ai = ld(im, 0);
    const feR = (ar + ar) * 0.5;
    const feI = (ai - ai) * 0.5;
    const foR = (ai + ai) * 0.5;
    const foI = (ar - ar) * 0.5;
    const c = ld(cosN, k);
    const s = ld(sinN, k);
    st(specRe, k, feR + c * foR + s * foI);
    st(specIm, k, feI + c * foI - s * foR);
  }
  const q = m >> 1;
  for (let k = 1; k <= q; k++) {
    const kb = m - k;
    const ar = ld(re, k);
    const ai = ld(im, k);
    const br = ld(re, kb);
    const bi = ld(im, kb);
    let feR = (ar + br) * 0.5;
    let feI = (ai - bi) * 0.5;
    let foR = (ai + bi) * 0.5;
    let foI = (br - ar) * 0.5;
    let c = ld(cosN, k);
    let s = ld(sinN, k);
    st(specRe, k, feR + c * foR + s * foI);
    st(specIm, k, feI + c * foI - s * foR);
    if (kb == k) continue;
    feR = (br + ar) * 0.5;
    feI = (bi - ai) * 0.5;
    foR = (bi + ai) * 0.5;
    foI = (ar - br) * 0.5;
    c = ld(cosN, kb);
    s = ld(sinN, kb);
    st(specRe, kb, feR + c * foR + s * foI);
    st(specIm, kb, feI + c * foI - s * foR);
  }
}

/** `scale`·|X[k]|² of frame32·window into specRe, k = 0..N/2, taken while splitting. */
export function windowedPower(scale: f64): void {
  transform();
  const q = 0.25 * scale;
  const s0 = ld(re, 0) + ld(im, 0);
  const sm = ld(re, 0) - ld(im, 0);
  // JS wrote `scale * (a) ** 2`: V8's pow(x, 2) is x·x (fdlibm's special case), checked by the tests.
  st(specRe, 0, scale * (s0 * s0));
  st(specRe, m, scale * (sm * sm));
  const h = m >> 1;
  for (let k = 1; k <= h; k++) {
    const kb = m - k;
    const ar = ld(re, k);
    const ai = ld(im, k);
    const br = ld(re, kb);
    const bi = ld(im, kb);
    let foR = ai + bi;
    let foI = br - ar;
    let c = ld(cosN, k);
    let s = ld(sinN, k);
    let xr = ar + br + c * foR + s * foI;
    let xi = ai - bi + c * foI - s * foR;
    st(specRe, k, q * (xr * xr + xi * xi));
    if (kb == k) continue;
    foR = bi + ai;
    foI = ar - br;
    c = ld(cosN, kb);
    s = ld(sinN, kb);
    xr = br + ar + c * foR + s * foI;
    xi = bi - ai + c * foI - s * foR;
    st(specRe, kb, q * (xr * xr + xi * xi));
  }
}

/** The real signal whose bins 0..N/2 are specRe/specIm, into frame64 (1/N included). */
export function inverse(): void {
  unsplit();
  const g = 1 / <f64>m;
  for (let n = 0; n < m; n++) {
    st(frame64, 2 * n, ld(re, n) * g);
    st(frame64, 2 * n + 1, -ld(im, n) * g);
  }
}

/** Overlap-add: frame64[i] += y[i]·window[i], y what `inverse` gives for specRe/specIm. */
export function inverseAdd(): void {
  unsplit();
  const g = 1 / <f64>m;
  for (let n = 0; n < m; n++) {
    const a = 2 * n;
    st(frame64, a, ld(frame64, a) + ld(re, n) * g * ld(window, a));
    st(frame64, a + 1, ld(frame64, a + 1) + -ld(im, n) * g * ld(window, a + 1));
  }
}

/** re/im ← the inverse transform's N/2 complex values (conjugated) from specRe/specIm, then the N/2-point FFT. */
function unsplit(): void {
  {
    const ar = ld(specRe, 0);
    const ai = ld(specIm, 0);
    const br = ld(specRe, m);
    const bi = ld(specIm, m);
    const dR = (ar - br) * 0.5;
    const dI = (ai + bi) * 0.5;
    const c = ld(cosN, 0);
    const s = ld(sinN, 0);
    st(re, 0, (ar + br) * 0.5 - (dR * s + dI * c));
    st(im, 0, -((ai - bi) * 0.5 + (dR * c - dI * s)));
  }
  const h = m >> 1;
  for (let k = 1; k <= h; k++) {
    const kb = m - k;
    const ar = ld(specRe, k);
    const ai = ld(specIm, k);
    const br = ld(specRe, kb);
    const bi = ld(specIm, kb);
    let dR = (ar - br) * 0.5;
    let dI = (ai + bi) * 0.5;
    let c = ld(cosN, k);
    let s = ld(sinN, k);
    let j = ldi(rev, k);
    st(re, j, (ar + br) * 0.5 - (dR * s + dI * c));
    st(im, j, -((ai - bi) * 0.5 + (dR * c - dI * s)));
    if (kb == k) continue;
    dR = (br - ar) * 0.5;
    dI = (bi + ai) * 0.5;
    c = ld(cosN, kb);
    s = ld(sinN, kb);
    j = ldi(rev, kb);
    st(re, j, (br + ar) * 0.5 - (dR * s + dI * c));
    st(im, j, -((bi - ai) * 0.5 + (dR * c - dI * s)));
  }
  complexInPlace();
}

/** In-place complex FFT of re/im, already in bit-reversed order. */
function complexInPlace(): void {
  let L = 2;
  if (oddStages) {
    for (let i = 0; i < m; i += 2) {
      const ar = ld(re, i);
      const ai = ld(im, i);
      const br = ld(re, i + 1);
      const bi = ld(im, i + 1);
      st(re, i, ar + br);
      st(im, i, ai + bi);
      st(re, i + 1, ar - br);
      st(im, i + 1, ai - bi);
    }
    L = 4;
  }
  passes(L);
}

/** The radix-4 passes from stage length L on: stages L and 2L together on quads (k, k+h, k+L, k+L+h). */
function passes(start: i32): void {
  for (let L = start; L < m; L <<= 2) {
    const h = L >> 1;
    const L2 = L << 1;
    const step1 = m / L;
    const step2 = m / L2;
    for (let i0 = 0; i0 < m; i0 += L2) {
      const i1 = i0 + h;
      const i2 = i0 + L;
      const i3 = i2 + h;
      const y0r = ld(re, i0) + ld(re, i1);
      const y0i = ld(im, i0) + ld(im, i1);
      const y1r = ld(re, i0) - ld(re, i1);
      const y1i = ld(im, i0) - ld(im, i1);
      const y2r = ld(re, i2) + ld(re, i3);
      const y2i = ld(im, i2) + ld(im, i3);
      const y3r = ld(re, i2) - ld(re, i3);
      const y3i = ld(im, i2) - ld(im, i3);
      st(re, i0, y0r + y2r);
      st(im, i0, y0i + y2i);
      st(re, i2, y0r - y2r);
      st(im, i2, y0i - y2i);
      st(re, i1, y1r + y3i);
      st(im, i1, y1i - y3r);
      st(re, i3, y1r - y3i);
      st(im, i3, y1i + y3r);
    }
    for (let k = 1; k < h; k++) {
      const c1 = ld(cosH, k * step1);
      const s1 = ld(sinH, k * step1);
      const c2 = ld(cosH, k * step2);
      const s2 = ld(sinH, k * step2);
      for (let i0 = k; i0 < m; i0 += L2) {
        const i1 = i0 + h;
        const i2 = i0 + L;
        const i3 = i2 + h;
        let xr = ld(re, i1);
        let xi = ld(im, i1);
        let tr = xr * c1 + xi * s1;
        let ti = xi * c1 - xr * s1;
        const y0r = ld(re, i0) + tr;
        const y0i = ld(im, i0) + ti;
        const y1r = ld(re, i0) - tr;
        const y1i = ld(im, i0) - ti;
        xr = ld(re, i3);
        xi = ld(im, i3);
        tr = xr * c1 + xi * s1;
        ti = xi * c1 - xr * s1;
        const y2r = ld(re, i2) + tr;
        const y2i = ld(im, i2) + ti;
        const y3r = ld(re, i2) - tr;
        const y3i = ld(im, i2) - ti;
        const ur = y2r * c2 + y2i * s2;
        const ui = y2i * c2 - y2r * s2;
        const vr = y3i * c2 - y3r * s2;
        const vi = -(y3r * c2 + y3i * s2);
        st(re, i0, y0r + ur);
        st(im, i0, y0i + ui);
        st(re, i2, y0r - ur);
        st(im, i2, y0i - ui);
        st(re, i1, y1r + vr);
        st(im, i1, y1i + vi);
        st(re, i3, y1r - vr);
        st(im, i3, y1i - vi);
      }
    }
  }
}
