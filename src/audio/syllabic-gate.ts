/**
 * Cheap speech-likelihood test: syllables make the loudness of the voice band rise and fall
 * 3–7 times a second by 10 dB or more, even under music, while pads, strings and held
 * chords barely move it. The test high-passes at 300 Hz (drops kick and bass), takes the
 * dB loudness every 10 ms, and in 1.28 s windows (hop 0.32 s) measures the RMS depth of
 * its 2.3–7.8 Hz modulation; any window at or above the threshold makes the segment
 * speech-like. Drum-heavy music also modulates there and simply runs the model: this only
 * decides where the model can be skipped. Costs ≈ 1 % of a model call per frame. The filter and
 * the windows run in WebAssembly (wasm/assembly/syllabic-gate.ts), the same operations in the same
 * order; each hop's dB is taken here with Math.log10, so the verdicts are bit for bit the
 * JavaScript's (syllabic-gate.test.ts keeps it as the reference).
 */
import { SYLLABIC_GATE_WASM } from './wasm/syllabic-gate-wasm.js';
import { instantiate } from './wasm/instantiate.js';

/** What the kernel exports (see wasm/assembly/syllabic-gate.ts). */
interface GateKernel {
  memory: WebAssembly.Memory;
  prepare(samples: number, hop: number): void;
  filter(hops: number, hop: number, b0: number, b1: number, b2: number, a1: number, a2: number): void;
  depth(hops: number, step: number, scale: number): number;
  basis: WebAssembly.Global;
  x: WebAssembly.Global;
  energy: WebAssembly.Global;
  env: WebAssembly.Global;
}

export class SyllabicGate {
  private static readonly WINDOW = 128;
  private static readonly HOP = 32;
  private static readonly FIRST_BIN = 3;
  private static readonly LAST_BIN = 10;
  private readonly hop: number;
  private readonly b: [number, number, number];
  private readonly a: [number, number];
  /** The filter, the windows and the Hann-windowed DFT rows of the modulation bins, in WebAssembly. */
  private readonly kernel: GateKernel;
  private readonly scale: number;
  /** Samples one window spans: shorter input cannot be judged (and counts as speech-like). */
  readonly span: number;

  constructor(
    rate: number,
    private readonly thresholdDb: number,
  ) {
    this.hop = Math.round(rate / 100);
    this.span = SyllabicGate.WINDOW * this.hop;
    // 2nd-order Butterworth high-pass at 300 Hz (bilinear transform).
    const w = Math.tan((Math.PI * 300) / rate);
    const q = Math.SQRT1_2;
    const n = 1 / (1 + w / q + w * w);
    this.b = [n, -2 * n, n];
    this.a = [2 * (w * w - 1) * n, (1 - w / q + w * w) * n];
    const W = SyllabicGate.WINDOW;
    this.kernel = instantiate(SYLLABIC_GATE_WASM) as unknown as GateKernel;
    this.kernel.prepare(this.span, this.hop);
    // The DFT rows, cos and sin for each bin, one after the other (the kernel keeps them across calls).
    const basis = new Float64Array(this.kernel.memory.buffer, this.kernel.basis.value as number, 2 * (SyllabicGate.LAST_BIN - SyllabicGate.FIRST_BIN + 1) * W);
    for (let bin = SyllabicGate.FIRST_BIN, row = 0; bin <= SyllabicGate.LAST_BIN; bin++, row += 2) {
      for (let k = 0; k < W; k++) {
        const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * (k + 0.5)) / W);
        basis[row * W + k] = hann * Math.cos((2 * Math.PI * bin * k) / W);
        basis[(row + 1) * W + k] = hann * Math.sin((2 * Math.PI * bin * k) / W);
      }
    }
    // A sinusoidal modulation of RMS depth d dB reads as d (Hann coherent gain W/2, and RMS = amplitude/√2).
    this.scale = Math.SQRT2 / (W / 2);
  }

  /** Whether any window of `x` (model-rate PCM) shows syllable-like loudness modulation. */
  speechLike(x: Float32Array): boolean {
    // Too short to judge: let the model decide.
    return x.length < this.span || this.maxDepthDb(x) >= this.thresholdDb;
  }

  /** Largest RMS depth (dB) of 2.3–7.8 Hz loudness modulation over the windows of `x`. */
  maxDepthDb(x: Float32Array): number {
    const W = SyllabicGate.WINDOW;
    const nEnv = Math.floor(x.length / this.hop);
    if (nEnv < W) return 0;
    const k = this.kernel;
    k.prepare(x.length, this.hop);
    new Float32Array(k.memory.buffer, k.x.value as number, x.length).set(x);
    const [b0, b1, b2] = this.b;
    const [a1, a2] = this.a;
    k.filter(nEnv, this.hop, b0, b1, b2, a1, a2);
    // Each hop's loudness in dB, by Math.log10 (the kernel has no logarithm of its own that gives the same bits).
    const energy = new Float64Array(k.memory.buffer, k.energy.value as number, nEnv);
    const env = new Float64Array(k.memory.buffer, k.env.value as number, nEnv);
    for (let i = 0; i < nEnv; i++) env[i] = 10 * Math.log10(energy[i]!);
    return k.depth(nEnv, SyllabicGate.HOP, this.scale);
  }
}
