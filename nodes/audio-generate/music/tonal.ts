/**
 * Pitched voices. Two engines cover every part: a subtractive voice (1–3 detuned band-limited
 * saws or squares + sub sine → state-variable low-pass with its own envelope → drive) for
 * bass, stabs, pads and saw/square leads, and a two-operator FM voice for electric keys,
 * bells and soft sine leads. All state lives in locals; nothing allocates per sample.
 */
import type { StereoBus } from './dsp.js';
import { Svf, panGains, polyBlep, sinCycle, softClip, svfG } from './dsp.js';

export interface Envelope {
  attack: number;
  /** Time constant of the fall from peak to sustain, seconds. */
  decay: number;
  sustain: number;
  /** Release time constant after the note ends, seconds. */
  release: number;
}

export interface SubtractiveVoice {
  env: Envelope;
  oscillators: 1 | 2 | 3;
  /** Relative detune between oscillators (0.01 ≈ 17 cents). */
  detune: number;
  shape: 'saw' | 'square';
  subLevel: number;
  cutoff: number;
  /** Filter envelope: cutoff starts at cutoff·(1+cutoffEnv) and falls with cutoffDecay. */
  cutoffEnv: number;
  cutoffDecay: number;
  resonance: number;
  drive: number;
  gain: number;
}

export interface FmVoice {
  env: Envelope;
  ratio: number;
  index: number;
  indexDecay: number;
  vibratoCents: number;
  gain: number;
}

export interface NoteSpan {
  t: number;
  dur: number;
  /** One pitch, or a chord sharing one envelope. */
  hz: number[];
  vel: number;
  pan: number;
}

const COEF_EVERY = 32;

function bounds(bus: StereoBus, sr: number, n: NoteSpan, env: Envelope): { start: number; held: number; end: number } {
  const start = Math.round(n.t * sr);
  const held = Math.max(1, Math.round(n.dur * sr));
  const off = bus.offset ?? 0;
  const noteEnd = start + held + Math.round(env.release * 5 * sr);
  // A note that is over before this window starts adds nothing to it: skip it outright.
  const end = noteEnd <= off ? start : Math.min(off + bus.L.length, noteEnd);
  return { start, held, end };
}

/**
 * Linear attack, exponential decay to sustain, exponential release once the note is no longer
 * held. `next(j)` is the level at sample j of the note and must be called once per sample, in order.
 */
class Adsr {
  private readonly att: number;
  private readonly kd: number;
  private readonly kr: number;
  private readonly sus: number;
  private readonly held: number;
  private dEnv = 1;
  private rEnv = 1;

  constructor(env: Envelope, sr: number, held: number) {
    this.att = Math.max(1, Math.round(env.attack * sr));
    this.kd = Math.exp(-1 / (Math.max(1e-3, env.decay) * sr));
    this.kr = Math.exp(-1 / (Math.max(1e-3, env.release) * sr));
    this.sus = env.sustain;
    this.held = held;
  }

  next(j: number): number {
    let e: number;
    if (j < this.att) e = j / this.att;
    else {
      e = this.sus + (1 - this.sus) * this.dEnv;
      this.dEnv *= this.kd;
    }
    if (j >= this.held) {
      e *= this.rEnv;
      this.rEnv *= this.kr;
    }
    return e;
  }
}

/**
 * One subtractive voice playing one or more pitches (a chord shares one envelope and filter,
 * which is what makes pads and stabs cheap). With two or more oscillators per pitch the
 * voice is stereo: oscillator A feeds the left filter, B the right, C both — the detune
 * between them is the width.
 */
export function renderSubtractive(bus: StereoBus, sr: number, n: NoteSpan, v: SubtractiveVoice): void {
  const { start, held, end } = bounds(bus, sr, n, v.env);
  if (start >= end) return;
  const { L, R } = bus;
  const [gl, gr] = panGains(n.pan);
  const env = new Adsr(v.env, sr, held);
  const kc = Math.exp(-COEF_EVERY / (Math.max(1e-3, v.cutoffDecay) * sr));
  const k = 1 / Math.max(0.5, v.resonance);
  const notes = n.hz.length;
  const dtA = new Float64Array(notes);
  const dtB = new Float64Array(notes);
  const dtC = new Float64Array(notes);
  const pA = new Float64Array(notes);
  const pB = new Float64Array(notes);
  const pC = new Float64Array(notes);
  for (let q = 0; q < notes; q++) {
    dtA[q] = n.hz[q]! / sr;
    dtB[q] = (n.hz[q]! * (1 + v.detune)) / sr;
    dtC[q] = (n.hz[q]! * (1 - v.detune)) / sr;
    // Fixed, spread start phases: repeatable renders without every note starting in phase.
    pA[q] = (q * 0.137) % 1;
    pB[q] = (0.31 + q * 0.29) % 1;
    pC[q] = (0.67 + q * 0.53) % 1;
  }
  const oscillators = v.oscillators;
  const stereo = oscillators > 1;
  const square = v.shape === 'square';
  const subLevel = v.subLevel;
  const subDt = dtA[0]!;
  const drive = v.drive;
  const cutoff = v.cutoff;
  const cutoffEnv = v.cutoffEnv;
  const norm = 1 / Math.sqrt(notes);
  const cGain = oscillators > 2 ? 0.5 : 0;
  let ps = 0;
  let cEnv = 1;
  const fl = new Svf(k);
  const fr = new Svf(k);
  const amp = n.vel * v.gain * norm;
  const off = bus.offset ?? 0;
  for (let i = start, j = 0; i < end; i++, j++) {
    if (j % COEF_EVERY === 0) {
      const g = svfG(cutoff * (1 + cutoffEnv * cEnv), sr);
      fl.tune(g);
      if (stereo) fr.tune(g);
      cEnv *= kc;
    }
    let oa = 0;
    let ob = 0;
    for (let q = 0; q < notes; q++) {
      const p = pA[q]!;
      const dt = dtA[q]!;
      oa += 2 * p - 1 - polyBlep(p, dt);
      if (square) {
        const h = p + 0.5 >= 1 ? p - 0.5 : p + 0.5;
        oa -= 2 * h - 1 - polyBlep(h, dt);
      }
      const pn = p + dt;
      pA[q] = pn >= 1 ? pn - 1 : pn;
      if (stereo) {
        const pb = pB[q]!;
        const dtb = dtB[q]!;
        ob += 2 * pb - 1 - polyBlep(pb, dtb);
        const pbn = pb + dtb;
        pB[q] = pbn >= 1 ? pbn - 1 : pbn;
        if (cGain > 0) {
          const pc = pC[q]!;
          const dtc = dtC[q]!;
          const c = cGain * (2 * pc - 1 - polyBlep(pc, dtc));
          oa += c;
          ob += c;
          const pcn = pc + dtc;
          pC[q] = pcn >= 1 ? pcn - 1 : pcn;
        }
      }
    }
    if (subLevel > 0) {
      const sub = subLevel * sinCycle(ps);
      oa += sub;
      ob += sub;
      ps += subDt;
    }
    let e = env.next(j);
    e *= amp;
    // Left (or mono) filter.
    fl.tick(oa);
    let yl = fl.low * e;
    if (drive > 1) yl = softClip(yl * drive) / drive;
    if (!stereo) {
      if (i >= off) {
        L[i - off] += yl * gl;
        R[i - off] += yl * gr;
      }
      continue;
    }
    fr.tick(ob);
    let yr = fr.low * e;
    if (drive > 1) yr = softClip(yr * drive) / drive;
    if (i < off) continue;
    L[i - off] += yl * gl * 1.41;
    R[i - off] += yr * gr * 1.41;
  }
}

/** Two-operator FM voice; a chord is rendered pitch by pitch (each needs its own operators). */
export function renderFm(bus: StereoBus, sr: number, n: NoteSpan, v: FmVoice): void {
  for (let q = 0; q < n.hz.length; q++) {
    const pan = n.hz.length > 1 ? n.pan + 0.5 * (q / (n.hz.length - 1) - 0.5) : n.pan;
    renderFmPitch(bus, sr, n, n.hz[q]!, pan, v);
  }
}

function renderFmPitch(bus: StereoBus, sr: number, n: NoteSpan, hz: number, pan: number, v: FmVoice): void {
  const { start, held, end } = bounds(bus, sr, n, v.env);
  if (start >= end) return;
  const { L, R } = bus;
  const [gl, gr] = panGains(pan);
  const env = new Adsr(v.env, sr, held);
  const ki = Math.exp(-1 / (Math.max(1e-3, v.indexDecay) * sr));
  const dtc = hz / sr;
  const dtm = dtc * v.ratio;
  const vibDepth = Math.pow(2, v.vibratoCents / 1200) - 1;
  const vibDt = 5.2 / sr;
  const vibDelay = Math.round(0.25 * sr);
  let pc = 0;
  let pm = 0;
  let pv = 0;
  let idx = v.index * (0.6 + 0.4 * n.vel);
  const amp = n.vel * v.gain;
  const off = bus.offset ?? 0;
  for (let i = start, j = 0; i < end; i++, j++) {
    // Once the index has decayed the modulator is inaudible; skipping it halves a held note's cost.
    const y0 = idx > 0.002 ? sinCycle(pc + idx * sinCycle(pm)) : sinCycle(pc);
    let f = 1;
    if (vibDepth > 0 && j > vibDelay) {
      f += vibDepth * sinCycle(pv);
      pv += vibDt;
    }
    pc += dtc * f;
    pm += dtm * f;
    idx *= ki;
    const e = env.next(j);
    const y = y0 * e * amp;
    if (i < off) continue;
    L[i - off] += y * gl;
    R[i - off] += y * gr;
  }
}
