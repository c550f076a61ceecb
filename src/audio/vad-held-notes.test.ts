import { describe, expect, it } from 'vitest';
import { HeldNoteRemover } from './vad-held-notes.js';
import { rng, tone } from '../../test/fixtures/audio/synth.js';

const rms = (a: Float32Array, from: number, to: number) => Math.sqrt(a.subarray(from, to).reduce((s, v) => s + v * v, 0) / (to - from));
const db = (v: number) => 20 * Math.log10(v);

/** The remover's output for `x` pushed in chunks of `chunk` samples, then flushed. */
function clean(x: Float32Array, rate: number, chunk = x.length): Float32Array {
  const r = new HeldNoteRemover(rate);
  const parts: Float32Array[] = [];
  for (let i = 0; i < x.length; i += chunk) parts.push(r.process(x.subarray(i, i + chunk)));
  parts.push(r.flush());
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
