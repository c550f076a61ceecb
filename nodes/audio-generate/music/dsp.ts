/**
 * Small DSP building blocks shared by the synth voices. Hot loops inline their own state in
 * locals; these helpers are the parts that are cheap to call per sample (V8 inlines them).
 */

/**
 * A stereo mixing bus (two equally long channels). `offset` is the track frame that index 0
 * holds: the generator renders long tracks window by window into a short bus, and a voice
 * that starts before the window runs from its own start (same state, same samples) but only
 * writes the frames the window holds.
 */
export interface StereoBus {
  L: Float32Array;
  R: Float32Array;
  offset?: number;
}

export function createBus(frames: number, offset = 0): StereoBus {
  return { L: new Float32Array(frames), R: new Float32Array(frames), offset };
}

const TABLE_BITS = 12;
const TABLE_SIZE = 1 << TABLE_BITS;
const SINE = new Float32Array(TABLE_SIZE + 1);
for (let i = 0; i <= TABLE_SIZE; i++) SINE[i] = Math.sin((2 * Math.PI * i) / TABLE_SIZE);

/** sin(2π·p) for a phase `p` in cycles (any real), by table lookup with linear interpolation. */
export function sinCycle(p: number): number {
  const x = (p - Math.floor(p)) * TABLE_SIZE;
  const i = x | 0;
  const a = SINE[i]!;
  return a + (x - i) * (SINE[i + 1]! - a);
}

/** PolyBLEP residual that removes most aliasing from a naive saw/square edge. */
export function polyBlep(t: number, dt: number): number {
  if (t < dt) {
    const x = t / dt;
    return x + x - x * x - 1;
  }
  if (t > 1 - dt) {
    const x = (t - 1) / dt;
    return x * x + x + x + 1;
  }
  return 0;
}

/** Soft clipper (rational tanh approximation), unity slope at 0, saturating at ±1. */
export function softClip(x: number): number {
  if (x > 3) return 1;
  if (x < -3) return -1;
  const x2 = x * x;
  return (x * (27 + x2)) / (27 + 9 * x2);
}

/** The `g` coefficient of a TPT state-variable filter for cutoff `fc` (clamped below Nyquist). */
export function svfG(fc: number, sampleRate: number): number {
  const f = Math.min(Math.max(fc, 10), sampleRate * 0.45);
  return Math.tan((Math.PI * f) / sampleRate);
}

/**
 * TPT state-variable filter (Simper's trapezoidal form), one channel. `tune` sets cutoff and
 * damping (k = 1/Q); each `tick` advances one sample and leaves the band-pass and low-pass
 * outputs in `band` and `low` (high-pass = input − k·band − low). A class with number fields
 * keeps one hidden shape, so V8 inlines `tick` into the voices' loops.
 */
export class Svf {
  k = 1;
  band = 0;
  low = 0;
  private a1 = 0;
  private a2 = 0;
  private a3 = 0;
  private ic1 = 0;
  private ic2 = 0;

  constructor(k = 1) {
    this.k = k;
  }

  /** Set the cutoff from a `g` coefficient (see {@link svfG}); state is kept, so sweeps are smooth. */
  tune(g: number): void {
    this.a1 = 1 / (1 + g * (g + this.k));
    this.a2 = g * this.a1;
    this.a3 = g * this.a2;
  }

  tick(v0: number): void {
    const ic1 = this.ic1;
    const ic2 = this.ic2;
    const v3 = v0 - ic2;
    const v1 = this.a1 * ic1 + this.a2 * v3;
    const v2 = ic2 + this.a2 * ic1 + this.a3 * v3;
    this.ic1 = 2 * v1 - ic1;
    this.ic2 = 2 * v2 - ic2;
    this.band = v1;
    this.low = v2;
  }
}

/** Equal-power pan gains for pan in [-1, 1]. */
export function panGains(pan: number): [number, number] {
  const a = ((Math.max(-1, Math.min(1, pan)) + 1) * Math.PI) / 4;
  return [Math.cos(a), Math.sin(a)];
}

/** xorshift32 step; callers keep the state in a local for speed. Returns the new state. */
export function xorshift(s: number): number {
  s ^= s << 13;
  s ^= s >>> 17;
  s ^= s << 5;
  return s | 0;
}

/** Map an xorshift state to white noise in [-1, 1). */
export const NOISE_SCALE = 1 / 2147483648;
