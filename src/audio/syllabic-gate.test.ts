/**
 * The syllabic gate's filter and windows run in WebAssembly (wasm/assembly/syllabic-gate.ts). Its
 * depths must be bit for bit those of the JavaScript it replaced, kept here as the reference, at both
 * model rates, on loudness modulated at a syllable rate, steady tones, silence, noise, and lengths
 * that end exactly on a window, between windows and one hop short of one.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/random.js';
import { SyllabicGate } from './syllabic-gate.js';

class ReferenceGate {
  private static readonly WINDOW = 128;
  private static readonly HOP = 32;
  private static readonly FIRST_BIN = 3;
  private static readonly LAST_BIN = 10;
  private readonly hop: number;
  private readonly b: [number, number, number];
  private readonly a: [number, number];
  /** Hann-windowed DFT rows for the modulation bins: cos and sin, WINDOW values each. */
  private readonly basis: Float64Array[];
  private readonly scale: number;
  /** Samples one window spans: shorter input cannot be judged (and counts as speech-like). */
  readonly span: number;

  constructor(
    rate: number,
    private readonly thresholdDb: number,
  ) {
    this.hop = Math.round(rate / 100);
    this.span = ReferenceGate.WINDOW * this.hop;
    // 2nd-order Butterworth high-pass at 300 Hz (bilinear transform).
    const w = Math.tan((Math.PI * 300) / rate);
    const q = Math.SQRT1_2;
    const n = 1 / (1 + w / q + w * w);
    this.b = [n, -2 * n, n];
    this.a = [2 * (w * w - 1) * n, (1 - w / q + w * w) * n];
    const W = ReferenceGate.WINDOW;
    this.basis = [];
    for (let bin = ReferenceGate.FIRST_BIN; bin <= ReferenceGate.LAST_BIN; bin++) {
      const c = new Float64Array(W);
      const si = new Float64Array(W);
      for (let k = 0; k < W; k++) {
        const hann = 0.5 - 0.5 * Math.cos((2 * Math.PI * (k + 0.5)) / W);
        c[k] = hann * Math.cos((2 * Math.PI * bin * k) / W);
        si[k] = hann * Math.sin((2 * Math.PI * bin * k) / W);
      }
      this.basis.push(c, si);
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
    const W = ReferenceGate.WINDOW;
    const nEnv = Math.floor(x.length / this.hop);
    if (nEnv < W) return 0;
    // Two functions, not one: V8 compiled the filter's loop on its own (on-stack replacement)
    // before the windows below had run, then threw that code away as they ran for the first time
    // ("insufficient type feedback") and compiled the whole again: two optimising compiles on a
    // background thread of a 2-core machine, where each is CPU the analysis does not get.
    return this.windowsDepth(this.envelopeDb(x, nEnv), nEnv);
  }

  /** Band-passed loudness (dB) per hop of `x`. */
  private envelopeDb(x: Float32Array, nEnv: number): Float64Array {
    const env = new Float64Array(nEnv);
    const [b0, b1, b2] = this.b;
    const [a1, a2] = this.a;
    let x1 = 0;
    let x2 = 0;
    let y1 = 0;
    let y2 = 0;
    for (let k = 0, i = 0; k < nEnv; k++) {
      let e = 0;
      for (const end = i + this.hop; i < end; i++) {
        const v = x[i]!;
        const y = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
        x2 = x1;
        x1 = v;
        y2 = y1;
        y1 = y;
        e += y * y;
      }
      env[k] = 10 * Math.log10(e / this.hop + 1e-10);
    }
    return env;
  }

  /** Largest modulation depth over the windows of `env`. */
  private windowsDepth(env: Float64Array, nEnv: number): number {
    const W = ReferenceGate.WINDOW;
    let best = 0;
    // Windows every 0.32 s plus one ending at the last frame, so speech that starts near a
    // segment's end still fills most of some window.
    const starts: number[] = [];
    for (let start = 0; start + W <= nEnv; start += ReferenceGate.HOP) starts.push(start);
    if (starts[starts.length - 1] !== nEnv - W) starts.push(nEnv - W);
    for (const start of starts) {
      let mean = 0;
      for (let k = 0; k < W; k++) mean += env[start + k]!;
      mean /= W;
      let power = 0;
      for (let r = 0; r < this.basis.length; r += 2) {
        const c = this.basis[r]!;
        const si = this.basis[r + 1]!;
        let re = 0;
        let im = 0;
        for (let k = 0; k < W; k++) {
          const v = env[start + k]! - mean;
          re += v * c[k]!;
          im += v * si[k]!;
        }
        power += re * re + im * im;
      }
      best = Math.max(best, Math.sqrt(power) * this.scale);
    }
    return best;
  }
}

/** A deterministic pseudo-random source (the engine's mulberry32). */
function random(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** `sec` of a 1 kHz tone whose loudness swings `depthDb` at `rateHz` (0: steady), plus noise. */
function signal(rate: number, sec: number, rateHz: number, depthDb: number, seed: number, noise = 0.01): Float32Array {
  const rnd = random(seed);
  const n = Math.round(sec * rate);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    const gain = 10 ** ((depthDb / 20) * 0.5 * Math.sin(2 * Math.PI * rateHz * t));
    x[i] = 0.2 * gain * Math.sin(2 * Math.PI * 1000 * t) + noise * (rnd() - 0.5);
  }
  return x;
}

describe('the syllabic gate in WebAssembly', () => {
  for (const rate of [16000, 8000]) {
    const hop = Math.round(rate / 100);
    const cases: Array<[string, Float32Array]> = [
      ['syllable-rate swings of 20 dB', signal(rate, 2.05, 4.5, 20, 1)],
      ['a steady tone', signal(rate, 2.05, 0, 0, 2)],
      ['silence', new Float32Array(Math.round(2.05 * rate))],
      ['noise only', signal(rate, 3, 0, 0, 3, 0.5)],
      ['exactly one window', signal(rate, (128 * hop) / rate, 5, 12, 4)],
      ['one hop short of a window', signal(rate, (127 * hop) / rate, 5, 12, 5)],
      ['a window and a half, not on a hop', signal(rate, (192 * hop + 7) / rate, 3, 15, 6)],
      ['windows ending exactly at the last hop', signal(rate, (160 * hop) / rate, 6, 10, 7)],
    ];
    it.each(cases)(`gives bit for bit the JavaScript's depth at ${rate} Hz: %s`, (_name, x) => {
      const gate = new SyllabicGate(rate, 6);
      const want = new ReferenceGate(rate, 6).maxDepthDb(x);
      expect(Object.is(gate.maxDepthDb(x), want)).toBe(true);
    });
  }

  it('tells syllable-rate swings from a steady tone, and one gate serves inputs of any length in turn', () => {
    const gate = new SyllabicGate(16000, 6);
    expect(gate.speechLike(signal(16000, 2.05, 4.5, 20, 8))).toBe(true);
    expect(gate.speechLike(signal(16000, 2.05, 0, 0, 9))).toBe(false);
    const long = signal(16000, 40, 4.5, 20, 10);
    expect(Object.is(gate.maxDepthDb(long), new ReferenceGate(16000, 6).maxDepthDb(long))).toBe(true);
    const short = signal(16000, 1.5, 5, 12, 11);
    expect(Object.is(gate.maxDepthDb(short), new ReferenceGate(16000, 6).maxDepthDb(short))).toBe(true);
  });
});
