/** Bus effects: ping-pong echo, sidechain duck, tape/vinyl colour, fades. All in place. */
import type { StereoBus } from './dsp.js';
import { NOISE_SCALE, xorshift } from './dsp.js';

/**
 * Ping-pong echo of a bus back into itself (input = the dry bus as it is now). Stateful, so a
 * track rendered window by window gets exactly the echo the whole track would.
 */
export class PingPongEcho {
  private readonly bl: Float32Array;
  private readonly br: Float32Array;
  private readonly damp: number;
  private lpL = 0;
  private lpR = 0;
  private k = 0;

  constructor(sampleRate: number, delaySec: number, private readonly feedback: number, private readonly mix: number) {
    const d = Math.max(1, Math.round(delaySec * sampleRate));
    this.bl = new Float32Array(d);
    this.br = new Float32Array(d);
    this.damp = 1 - Math.exp((-2 * Math.PI * 3500) / sampleRate);
  }

  process(bus: StereoBus): void {
    const { bl, br, damp, feedback, mix } = this;
    const { L, R } = bus;
    const d = bl.length;
    let { lpL, lpR, k } = this;
    for (let i = 0; i < L.length; i++) {
      const outL = bl[k]!;
      const outR = br[k]!;
      lpL += damp * (outR - lpL);
      lpR += damp * (outL - lpR);
      bl[k] = (L[i]! + R[i]!) * 0.5 + lpL * feedback;
      br[k] = lpR * feedback;
      L[i]! += outL * mix;
      R[i]! += outR * mix;
      if (++k === d) k = 0;
    }
    Object.assign(this, { lpL, lpR, k });
  }
}

/**
 * The house/techno "pump": a gain curve (1 = untouched) that dips after every kick, for track
 * frames [from, from + out.length) of a `frames`-long track, written into `out` (windows of a
 * render join bit for bit).
 * `kicks` must be in time order.
 */
export function duckInto(out: Float32Array, from: number, frames: number, sampleRate: number, kicks: number[], depth: number): void {
  out.fill(1);
  if (depth <= 0) return;
  const len = Math.round(0.35 * sampleRate);
  const attack = Math.round(0.004 * sampleRate);
  const k = Math.exp(-1 / (0.09 * sampleRate));
  const to = from + out.length;
  for (const t of kicks) {
    const s = Math.round(t * sampleRate);
    if (s + len <= from) continue;
    if (s >= to) continue;
    let e = depth;
    for (let j = 0; j < len && s + j < frames && s + j < to; j++) {
      const dip = j < attack ? (depth * j) / attack : e;
      if (j >= attack) e *= k;
      const at = s + j - from;
      if (at < 0) continue;
      const g = 1 - dip;
      if (g < out[at]!) out[at] = g;
    }
  }
}

export function applyCurve(bus: StereoBus, curve: Float32Array): void {
  for (let i = 0; i < bus.L.length; i++) {
    bus.L[i]! *= curve[i]!;
    bus.R[i]! *= curve[i]!;
  }
}

/** One-pole low-pass: rolls off the top end ("warm", "dusty"). */
export function lowPass(bus: StereoBus, sampleRate: number, hz: number): void {
  const a = 1 - Math.exp((-2 * Math.PI * hz) / sampleRate);
  let l = 0;
  let r = 0;
  for (let i = 0; i < bus.L.length; i++) {
    l += a * (bus.L[i]! - l);
    r += a * (bus.R[i]! - r);
    bus.L[i] = l;
    bus.R[i] = r;
  }
}

/** Vinyl: sparse crackles and a little hiss, seeded. `level` is relative to full scale. */
export function addVinyl(bus: StereoBus, sampleRate: number, seed: number, level: number): void {
  let s = seed | 0 || 1;
  const perSample = 9 / sampleRate;
  let hl = 0;
  let crackle = 0;
  const kc = Math.exp(-1 / (0.0006 * sampleRate));
  for (let i = 0; i < bus.L.length; i++) {
    s = xorshift(s);
    const u = (s >>> 0) / 4294967296;
    if (u < perSample) {
      s = xorshift(s);
      crackle = s * NOISE_SCALE * level * 6;
    }
    s = xorshift(s);
    hl += 0.2 * (s * NOISE_SCALE - hl);
    const y = crackle + hl * level * 0.25;
    crackle *= kc;
    bus.L[i]! += y;
    bus.R[i]! += y;
  }
}

/** Short fade-in (no click on the first sample) and a fade-out over the last `outSec`. */
export function fades(bus: StereoBus, sampleRate: number, inSec: number, outSec: number): void {
  const n = bus.L.length;
  const fi = Math.min(n, Math.round(inSec * sampleRate));
  for (let i = 0; i < fi; i++) {
    bus.L[i]! *= i / fi;
    bus.R[i]! *= i / fi;
  }
  const fo = Math.min(n, Math.round(outSec * sampleRate));
  for (let j = 0; j < fo; j++) {
    const i = n - fo + j;
    const g = Math.cos(((j / fo) * Math.PI) / 2);
    bus.L[i]! *= g;
    bus.R[i]! *= g;
  }
}
