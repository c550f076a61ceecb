import { describe, expect, it } from 'vitest';
import { HeldNoteRemover } from './vad-held-notes.js';
import { RealFFT } from './fft.js';
import { replaceSorted } from '../../test/support/sorted-window.js';
import { rng, tone } from '../../test/fixtures/audio/synth.js';

const rms = (a: Float32Array, from: number, to: number) => Math.sqrt(a.subarray(from, to).reduce((s, v) => s + v * v, 0) / (to - from));
const db = (v: number) => 20 * Math.log10(v);

/**
 * The remover as it was before it was made faster (one step method, a windowing pass, a plain
 * inverse FFT and an overlap-add pass): the fast one must give the same samples, bit for bit.
 */
class ReferenceRemover {
  private readonly n: number;
  private readonly hop: number;
  private readonly bins: number;
  private readonly fft: RealFFT;
  private readonly window: Float64Array;
  private readonly input: Float64Array;
  private inputFill: number;
  private readonly frame: Float64Array;
  private readonly re: Float64Array[];
  private readonly im: Float64Array[];
  private readonly power: Float64Array[];
  private readonly sorted: Float64Array;
  private readonly steady: Float64Array[];
  private frames = 0;
  private readonly outRe: Float64Array;
  private readonly outIm: Float64Array;
  private readonly overlap: Float64Array;
  private lead: number;
  private pushed = 0;
  private emitted = 0;
  readonly delay: number;
  static readonly SPAN = 13;
  static readonly MID = 6;

  constructor(rate: number) {
    const n = (this.n = rate === 8000 ? 256 : 512);
    this.hop = n / 2;
    this.bins = n / 2 + 1;
    this.fft = new RealFFT(n);
    this.window = Float64Array.from({ length: n }, (_, i) => Math.sqrt(0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n)));
    this.input = new Float64Array(n);
    this.inputFill = n - this.hop;
    this.frame = new Float64Array(n);
    const spectra = () => Array.from({ length: ReferenceRemover.SPAN }, () => new Float64Array(this.bins));
    this.re = spectra();
    this.im = spectra();
    this.power = spectra();
    this.steady = spectra();
    this.sorted = new Float64Array(this.bins * ReferenceRemover.SPAN);
    this.outRe = new Float64Array(this.bins);
    this.outIm = new Float64Array(this.bins);
    this.overlap = new Float64Array(n);
    this.lead = n - this.hop;
    this.delay = (ReferenceRemover.MID - 1) * this.hop + n;
  }

  process(x: Float32Array): Float32Array {
    this.pushed += x.length;
    const { n, hop } = this;
    const out = new Float32Array(Math.ceil((this.inputFill - (n - hop) + x.length) / hop) * hop);
    let len = 0;
    let off = 0;
    while (off < x.length) {
      const k = Math.min(n - this.inputFill, x.length - off);
      for (let i = 0; i < k; i++) this.input[this.inputFill + i] = x[off + i]!;
      this.inputFill += k;
      off += k;
      if (this.inputFill === n) {
        if (this.step(out, len)) len += hop;
        this.input.copyWithin(0, hop);
        this.inputFill = n - hop;
      }
    }
    const drop = Math.min(this.lead, len);
    this.lead -= drop;
    this.emitted += len - drop;
    return out.subarray(drop, len);
  }

  flush(): Float32Array {
    const total = this.pushed;
    const before = this.emitted;
    const out = this.process(new Float32Array(this.delay + this.hop));
    this.pushed = this.emitted = total;
    return out.subarray(0, Math.max(0, total - before));
  }

  private step(out: Float32Array, at: number): boolean {
    const { SPAN, MID } = ReferenceRemover;
    const FLOOR = 0.1;
    const STEADY_FROM = Math.cos(0.3) ** 2;
    const STEADY_AT = Math.cos(0.1) ** 2;
    const { n, hop, bins } = this;
    const slot = this.frames % SPAN;
    const re = this.re[slot]!;
    const im = this.im[slot]!;
    const pw = this.power[slot]!;
    for (let i = 0; i < n; i++) this.frame[i] = this.input[i]! * this.window[i]!;
    this.fft.forward(this.frame, re, im);
    const sorted = this.sorted;
    const st = this.steady[(this.frames + SPAN - 1) % SPAN]!;
    const bRe = this.re[(this.frames + SPAN - 1) % SPAN]!;
    const bIm = this.im[(this.frames + SPAN - 1) % SPAN]!;
    const aRe = this.re[(this.frames + SPAN - 2) % SPAN]!;
    const aIm = this.im[(this.frames + SPAN - 2) % SPAN]!;
    for (let k = 0; k < bins; k++) {
      const r = re[k]!;
      const i = im[k]!;
      const raw = r * r + i * i;
      const p = raw < Infinity ? raw : 0;
      replaceSorted(sorted, pw[k]!, p, k * SPAN, SPAN);
      pw[k] = p;
      const br = bRe[k]!;
      const bi = bIm[k]!;
      const sqR = br * br - bi * bi;
      const sqI = -2 * br * bi;
      const qR = r * aRe[k]! - i * aIm[k]!;
      const qI = r * aIm[k]! + i * aRe[k]!;
      const wR = qR * sqR - qI * sqI;
      const wI = qR * sqI + qI * sqR;
      st[k] = wR > 0 ? (wR * wR) / (wR * wR + wI * wI) : 0;
    }
    this.frames++;
    if (this.frames <= MID) return false;
    const c = (this.frames - 1 - MID) % SPAN;
    const cRe = this.re[c]!;
    const cIm = this.im[c]!;
    const cPw = this.power[c]!;
    const s0 = this.steady[c]!;
    const s1 = this.steady[(c + 1) % SPAN]!;
    for (let k = 0; k < bins; k++) {
      const held = sorted[k * SPAN + MID]!;
      const moving = Math.max(0, cPw[k]! - held);
      const m2 = moving * moving;
      let g = Math.max(FLOOR, Math.sqrt(m2 / (m2 + held * held + 1e-30)));
      const steadiness = Math.min(s0[k]!, s1[k]!);
      if (steadiness > STEADY_FROM) g = Math.min(g, Math.max(FLOOR, (STEADY_AT - steadiness) / (STEADY_AT - STEADY_FROM)));
      this.outRe[k] = cRe[k]! * g;
      this.outIm[k] = cIm[k]! * g;
    }
    this.fft.inverse(this.outRe, this.outIm, this.frame);
    for (let i = 0; i < n; i++) this.overlap[i] = this.overlap[i]! + this.frame[i]! * this.window[i]!;
    for (let i = 0; i < hop; i++) out[at + i] = this.overlap[i]!;
    this.overlap.copyWithin(0, hop);
    this.overlap.fill(0, n - hop);
    return true;
  }
}

/** The remover's output for `x` pushed in chunks of `chunk` samples, then flushed. */
/**
 * The first index where two sample arrays differ bit for bit, or -1. A NaN matches any NaN: the NaN
 * input's frame comes out NaN in both, but which NaN (its sign and payload bits) JavaScript's reference
 * produces depends on how far V8 has compiled it: run alone in a fresh process (`-t`, `--pool=forks`) or in
 * one CI run the whole-buffer comparison failed, while every other sample was identical.
 */
function firstDifference(a: Float32Array, b: Float32Array): number {
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) if (ua[i] !== ub[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

function clean(x: Float32Array, rate: number, chunk = x.length, R: typeof HeldNoteRemover | typeof ReferenceRemover = HeldNoteRemover): Float32Array {
  const r = new R(rate);
  const parts: Float32Array[] = [];
  // Copied: what process() returns is a view on the remover's buffer, valid until its next call.
  for (let i = 0; i < x.length; i += chunk) parts.push(r.process(x.subarray(i, i + chunk)).slice());
  parts.push(r.flush().slice());
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('held-note remover (what Silero hears besides the mix)', () => {
  it.each([8000, 16000])('gives back exactly as many samples as it got, the same in odd chunks as in one piece (%i Hz)', (rate) => {
    const noise = rng(3);
    const x = Float32Array.from({ length: rate + 1234 }, () => noise() - 0.5);
    const whole = clean(x, rate);
    const chunked = clean(x, rate, 777);
    expect(whole.length).toBe(x.length);
    expect(chunked.length).toBe(x.length);
    for (let i = 0; i < x.length; i += 97) expect(chunked[i]).toBeCloseTo(whole[i]!, 6);
  });

  it.each([8000, 16000])('gives bit for bit the samples of the reference implementation (%i Hz)', (rate) => {
    // A held chord, a gliding tone, noise bursts, silence and one NaN: every branch of the gain.
    const noise = rng(21);
    const x = new Float32Array(3 * rate + 555);
    let phase = 0;
    for (let i = 0; i < x.length; i++) {
      const t = i / rate;
      phase += (2 * Math.PI * (300 + 200 * t)) / rate;
      const held = t < 2 ? 0.2 * Math.sin(2 * Math.PI * 440 * t) + 0.1 * Math.sin(2 * Math.PI * 660 * t) : 0;
      const burst = t % 0.5 < 0.05 ? 0.3 * (noise() - 0.5) : 0;
      x[i] = t > 2.5 && t < 2.7 ? 0 : held + 0.1 * Math.sin(phase) + burst + 0.01 * (noise() - 0.5);
    }
    x[rate + 17] = NaN;
    for (const chunk of [x.length, 32768, 1000]) {
      const got = clean(x, rate, chunk);
      const want = clean(x, rate, chunk, ReferenceRemover);
      expect(got.length).toBe(want.length);
      expect(firstDifference(got, want)).toBe(-1);
    }
  });

  it('the held level is the median of every on/off pattern of the 13 frames around a frame, bit for bit (the kernel picks it with a selection network)', () => {
    // A tone switched on or off at random for whole hops: in each bin the 13 powers the median
    // reads take few distinct values, in random orders — the 0/1 patterns a selection network must
    // get right (2500 frames: ≈ 2500 of the 8192 patterns, at two levels and with ties).
    const rate = 16000;
    const hop = 256;
    const on = rng(5);
    const x = new Float32Array(2500 * hop);
    for (let f = 0; f < 2500; f++) {
      const level = on() < 0.5 ? 0 : on() < 0.5 ? 0.3 : 0.05;
      for (let i = f * hop; i < (f + 1) * hop; i++) x[i] = level * Math.sin((2 * Math.PI * 1000 * i) / rate) + 0.2 * level * Math.sin((2 * Math.PI * 3100 * i) / rate);
    }
    const got = clean(x, rate, 32768);
    const want = clean(x, rate, 32768, ReferenceRemover);
    expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength))).toBe(true);
  });

  it('takes a held note down by ≥ 15 dB and lets a short burst through where it was', () => {
    const rate = 16000;
    const x = tone({ freq: 440, durationSec: 2, amp: 0.3, sampleRate: rate });
    // A 40 ms noise burst at 1.2 s: it moves, so it must come out at the same place.
    const noise = rng(9);
    const burst = Math.round(1.2 * rate);
    for (let i = 0; i < 0.04 * rate; i++) x[burst + i] = x[burst + i]! + 0.3 * (noise() - 0.5);
    const y = clean(x, rate, 1000);
    expect(db(rms(y, 0.4 * rate, 1.1 * rate) / rms(x, 0.4 * rate, 1.1 * rate))).toBeLessThan(-15);
    const during = rms(y, burst, burst + 0.04 * rate);
    expect(during / rms(y, burst - 0.08 * rate, burst - 0.04 * rate)).toBeGreaterThan(4);
    expect(rms(y, burst - 0.04 * rate, burst) / during).toBeLessThan(0.5);
  });

  it('cuts a melody of short notes held at exact pitch ≥ 2.5 dB more than the same notes gliding like syllables', () => {
    // 90 ms notes of a harmonic tone: too short for the 0.2 s median (before steady partials
    // were cut, both melodies came out within 0.6 dB of each other).
    const rate = 16000;
    const note = 0.09;
    const keys = [220, 262, 330, 294, 247, 196, 220, 262, 349, 330, 294, 262, 220];
    const melody = (glide: number) => {
      const x = new Float32Array(2 * rate);
      let phase = 0;
      for (let i = 0; i < x.length; i++) {
        const t = i / rate;
        const f0 = keys[Math.floor(t / note) % keys.length]! * (1 + glide * ((t % note) / note));
        phase += (2 * Math.PI * f0) / rate;
        for (let h = 1; h <= 5; h++) x[i] = x[i]! + (0.2 * Math.sin(h * phase)) / h;
      }
      return x;
    };
    const cut = (x: Float32Array) => db(rms(clean(x, rate, 4096), 0.3 * rate, 1.8 * rate) / rms(x, 0.3 * rate, 1.8 * rate));
    const steady = cut(melody(0));
    for (const glide of [0.06, -0.06]) expect(steady - cut(melody(glide))).toBeLessThan(-2.5);
  });
});
