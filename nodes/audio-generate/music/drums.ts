/**
 * Drum voices, synthesised (no samples): kick = pitch-swept sine, snare = tuned body +
 * band-passed noise, clap = noise bursts, hats/ride = high-passed noise, tom = swept sine.
 * Each call adds one hit into a stereo bus.
 */
import type { StereoBus } from './dsp.js';
import { NOISE_SCALE, Svf, panGains, sinCycle, softClip, svfG, xorshift } from './dsp.js';

export interface DrumContext {
  bus: StereoBus;
  sampleRate: number;
  /** Noise state, advanced by every noisy voice so hits differ from each other. */
  noise: { s: number };
}

function span(ctx: DrumContext, t: number, seconds: number): [number, number] {
  const start = Math.round(t * ctx.sampleRate);
  const end = Math.min(ctx.bus.L.length, start + Math.round(seconds * ctx.sampleRate));
  return [start, end];
}

export function kick(ctx: DrumContext, t: number, vel: number, hz: number, decay: number, sweep: number): void {
  const sr = ctx.sampleRate;
  const [start, end] = span(ctx, t, decay * 5);
  const { L, R } = ctx.bus;
  const ka = Math.exp(-1 / (decay * sr));
  const kp = Math.exp(-1 / (0.03 * sr));
  const clickLen = Math.round(0.004 * sr);
  let amp = vel;
  let pe = 1;
  let phase = 0;
  let s = ctx.noise.s;
  for (let i = start, j = 0; i < end; i++, j++) {
    phase += (hz * (1 + (sweep - 1) * pe)) / sr;
    pe *= kp;
    let y = sinCycle(phase) * amp * 1.4;
    if (j < clickLen) {
      s = xorshift(s);
      y += s * NOISE_SCALE * 0.25 * vel * (1 - j / clickLen);
    }
    // A short attack ramp avoids a click from the sine starting mid-waveform on denormal-free zero.
    const ramp = j < 32 ? j / 32 : 1;
    y = softClip(y) * ramp;
    amp *= ka;
    L[i] += y;
    R[i] += y;
  }
  ctx.noise.s = s;
}

export function snare(ctx: DrumContext, t: number, vel: number, hz: number, decay: number): void {
  const sr = ctx.sampleRate;
  const [start, end] = span(ctx, t, decay * 5);
  const { L, R } = ctx.bus;
  const kn = Math.exp(-1 / (decay * sr));
  const kb = Math.exp(-1 / (0.045 * sr));
  const g = svfG(hz, sr);
  const k = 1 / 0.9;
  const f = new Svf(k);
  f.tune(g);
  let envN = vel;
  let envB = vel;
  let phase = 0;
  let s = ctx.noise.s;
  const [gl, gr] = panGains(0.05);
  for (let i = start; i < end; i++) {
    s = xorshift(s);
    const v0 = s * NOISE_SCALE;
    f.tick(v0);
    const high = v0 - k * f.band - f.low;
    phase += 190 / sr;
    const y = (f.band * 1.1 + high * 0.35) * envN + sinCycle(phase) * envB * 0.6;
    envN *= kn;
    envB *= kb;
    L[i] += y * gl;
    R[i] += y * gr;
  }
  ctx.noise.s = s;
}

export function clap(ctx: DrumContext, t: number, vel: number): void {
  const sr = ctx.sampleRate;
  const [start, end] = span(ctx, t, 0.45);
  const { L, R } = ctx.bus;
  const g = svfG(1250, sr);
  const k = 1 / 1.6;
  const f = new Svf(k);
  f.tune(g);
  let s = ctx.noise.s;
  const burst = 0.011 * sr;
  const kTail = Math.exp(-1 / (0.07 * sr));
  const kBurst = Math.exp(-1 / (0.004 * sr));
  let tail = 0;
  let b = 0;
  for (let i = start, j = 0; i < end; i++, j++) {
    // Three fast bursts then a tail: what makes a clap sound like several hands.
    if (j === 0 || j === Math.round(burst) || j === Math.round(2 * burst)) b = vel;
    if (j === Math.round(3 * burst)) tail = vel * 0.8;
    s = xorshift(s);
    const v0 = s * NOISE_SCALE;
    f.tick(v0);
    const y = f.band * (b + tail) * 1.6;
    b *= kBurst;
    tail *= kTail;
    L[i] += y * 0.8;
    R[i] += y;
  }
  ctx.noise.s = s;
}

/** Hi-hat / ride: high-passed noise with an exponential decay, panned slightly. */
export function hat(ctx: DrumContext, t: number, vel: number, hz: number, decay: number, pan: number): void {
  const sr = ctx.sampleRate;
  const [start, end] = span(ctx, t, decay * 5);
  const { L, R } = ctx.bus;
  const g = svfG(hz, sr);
  const k = 1 / 0.7;
  const f = new Svf(k);
  f.tune(g);
  const ke = Math.exp(-1 / (decay * sr));
  let env = vel * 0.5;
  const [gl, gr] = panGains(pan);
  let s = ctx.noise.s;
  for (let i = start; i < end; i++) {
    s = xorshift(s);
    const v0 = s * NOISE_SCALE;
    f.tick(v0);
    const y = (v0 - k * f.band - f.low) * env;
    env *= ke;
    L[i] += y * gl;
    R[i] += y * gr;
  }
  ctx.noise.s = s;
}

export function tom(ctx: DrumContext, t: number, vel: number, hz: number): void {
  const sr = ctx.sampleRate;
  const [start, end] = span(ctx, t, 1.6);
  const { L, R } = ctx.bus;
  const ka = Math.exp(-1 / (0.28 * sr));
  const kp = Math.exp(-1 / (0.08 * sr));
  let amp = vel;
  let pe = 1;
  let phase = 0;
  const [gl, gr] = panGains(hz > 80 ? 0.3 : -0.3);
  for (let i = start, j = 0; i < end; i++, j++) {
    phase += (hz * (1 + 0.6 * pe)) / sr;
    pe *= kp;
    const y = softClip(sinCycle(phase) * amp * 1.3) * (j < 32 ? j / 32 : 1);
    amp *= ka;
    L[i] += y * gl;
    R[i] += y * gr;
  }
}
