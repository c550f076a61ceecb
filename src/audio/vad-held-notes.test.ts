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
});
