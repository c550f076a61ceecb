/**
 * Radix-2 real FFT with preallocated tables and buffers: an N-point real transform is done as an
 * N/2-point complex FFT plus one twiddle pass, so a frame costs about half a complex FFT and
 * allocates nothing. The arithmetic runs in WebAssembly (wasm/assembly/fft.ts): `s2v analyze`
 * runs once per process, and there the JavaScript version spent most of its time being
 * interpreted, boxing doubles and waiting for V8 to optimise it. The WebAssembly version does the
 * same operations in the same order, with the twiddles computed here by Math.cos/sin, so its
 * outputs are bit for bit the JavaScript version's (fft.test.ts keeps that version as reference).
 */
import { FFT_WASM } from './wasm/fft-wasm.js';
import { instantiate } from './wasm/instantiate.js';

/** What a kernel with an FFT inside exports of it: byte offsets into its memory (see wasm/assembly/fft.ts). */
export interface FftTables {
  memory: WebAssembly.Memory;
  rev: WebAssembly.Global;
  cosH: WebAssembly.Global;
  sinH: WebAssembly.Global;
  cosN: WebAssembly.Global;
  sinN: WebAssembly.Global;
  frame32: WebAssembly.Global;
  window: WebAssembly.Global;
}

/** What the FFT kernel exports: its layout and the transforms. */
interface FftKernel extends FftTables {
  init(size: number, odd: boolean): void;
  forward(): void;
  windowedForward(): void;
  windowedPower(scale: number): void;
  inverse(): void;
  inverseAdd(): void;
  frame64: WebAssembly.Global;
  specRe: WebAssembly.Global;
  specIm: WebAssembly.Global;
}

/** log2(N/2) is odd: the kernel runs one radix-2 stage before the radix-4 passes. */
export function oddStages(size: number): boolean {
  return Math.log2(size >> 1) % 2 === 1;
}

/**
 * Fills the bit-reversal and twiddle tables of a kernel's N-point FFT (after its `init`): the
 * twiddles come from Math.cos/sin here, so they are the very numbers the JavaScript FFT used.
 */
export function fillFftTables(kernel: FftTables, size: number): void {
  const m = size >> 1;
  const bits = Math.log2(m);
  const buffer = kernel.memory.buffer;
  const f64 = (at: WebAssembly.Global, length: number) => new Float64Array(buffer, at.value as number, length);
  const rev = new Uint32Array(buffer, kernel.rev.value as number, m);
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  const cosH = f64(kernel.cosH, m >> 1);
  const sinH = f64(kernel.sinH, m >> 1);
  for (let k = 0; k < m >> 1; k++) {
    cosH[k] = Math.cos((2 * Math.PI * k) / m);
    sinH[k] = Math.sin((2 * Math.PI * k) / m);
  }
  const cosN = f64(kernel.cosN, m + 1);
  const sinN = f64(kernel.sinN, m + 1);
  for (let k = 0; k <= m; k++) {
    cosN[k] = Math.cos((2 * Math.PI * k) / size);
    sinN[k] = Math.sin((2 * Math.PI * k) / size);
  }
}

export class RealFFT {
  readonly size: number;
  private readonly kernel: FftKernel;
  // Views on the kernel's memory, which `init` sized once and for all (so they never detach).
  private readonly frame32: Float32Array;
  private readonly frame64: Float64Array;
  private readonly window: Float64Array;
  private readonly specRe: Float64Array;
  private readonly specIm: Float64Array;

  constructor(size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new Error(`FFT size must be a power of two ≥ 4, got ${size}`);
    this.size = size;
    const m = size >> 1;
    const kernel = (this.kernel = instantiate(FFT_WASM) as unknown as FftKernel);
    kernel.init(size, oddStages(size));
    fillFftTables(kernel, size);
    const buffer = kernel.memory.buffer;
    const f64 = (at: WebAssembly.Global, length: number) => new Float64Array(buffer, at.value as number, length);
    this.frame32 = new Float32Array(buffer, kernel.frame32.value as number, size);
    this.frame64 = f64(kernel.frame64, size);
    this.window = f64(kernel.window, size);
    this.specRe = f64(kernel.specRe, m + 1);
    this.specIm = f64(kernel.specIm, m + 1);
  }

  /**
   * Spectrum of `x` (length N). Writes bins 0..N/2 into outRe/outIm (length ≥ N/2+1).
   */
  forward(x: ArrayLike<number>, outRe: Float64Array, outIm: Float64Array): void {
    copyIn(this.frame64, x, 0);
    this.kernel.forward();
    outRe.set(this.specRe);
    outIm.set(this.specIm);
  }

  /**
   * Spectrum of the windowed frame `x[offset + i]·window[i]`: bit for bit what `forward` gives for
   * that product (×1 is exact), without a pass that writes the product out first.
   */
  windowedForward(x: Float32Array, offset: number, window: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    copyIn(this.frame32, x, offset);
    copyIn(this.window, window, 0);
    this.kernel.windowedForward();
    outRe.set(this.specRe);
    outIm.set(this.specIm);
  }

  /**
   * `scale`·|X[k]|² of the windowed frame `x[offset + i]·window[i]`, k = 0..N/2, into `out`.
   * The streaming analysis calls this 100 times a second: the power is taken while splitting,
   * so there is no extra pass over the spectrum.
   */
  windowedPower(x: Float32Array, offset: number, window: Float64Array, scale: number, out: Float64Array): void {
    copyIn(this.frame32, x, offset);
    copyIn(this.window, window, 0);
    this.kernel.windowedPower(scale);
    out.set(this.specRe);
  }

  /**
   * The real signal (length N, into `out`) whose bins 0..N/2 are inRe/inIm: the inverse of
   * `forward`, 1/N included. The split is undone (the N/2 complex values whose transform the
   * even and odd samples are) and the N/2-point complex FFT runs on their conjugate.
   */
  inverse(inRe: Float64Array, inIm: Float64Array, out: Float64Array): void {
    copyIn(this.specRe, inRe, 0);
    copyIn(this.specIm, inIm, 0);
    this.kernel.inverse();
    out.set(this.frame64);
  }

  /**
   * Overlap-add: `acc[i] += y[i]·window[i]` where y is what `inverse` gives for inRe/inIm, bit for
   * bit the same sums, without writing y out first.
   */
  inverseAdd(inRe: Float64Array, inIm: Float64Array, window: Float64Array, acc: Float64Array): void {
    copyIn(this.specRe, inRe, 0);
    copyIn(this.specIm, inIm, 0);
    copyIn(this.window, window, 0);
    copyIn(this.frame64, acc, 0);
    this.kernel.inverseAdd();
    acc.set(this.frame64);
  }
}

/** `to[i] = from[offset + i]` for the whole of `to` (NaN past the end of `from`, as reading past it always gave). */
function copyIn(to: Float32Array | Float64Array, from: ArrayLike<number>, offset: number): void {
  const n = to.length;
  if (ArrayBuffer.isView(from) && offset + n <= from.length) {
    const typed = from as Float32Array | Float64Array;
    to.set(offset === 0 && typed.length === n ? typed : typed.subarray(offset, offset + n));
  } else {
    for (let i = 0; i < n; i++) to[i] = from[offset + i]!;
  }
}
