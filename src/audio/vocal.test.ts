import { describe, expect, it } from 'vitest';
import { speechSpans } from './vocal.js';

/** A 100 Hz voice curve at 0.9 over the given spans (seconds), 0 elsewhere. */
function curve(durSec: number, on: Array<[number, number]>): Float32Array {
  const c = new Float32Array(durSec * 100);
  for (const [a, b] of on) c.fill(0.9, Math.round(a * 100), Math.round(b * 100));
  return c;
}

describe('speech spans from the voice curve', () => {
  // Spans start 0.1 s before the curve rises (Silero's lag) and end 0.15 s before it falls (its hangover).
  it('drops a 0.2 s blip (music tripping the VAD) but keeps a 0.4 s word', () => {
    expect(speechSpans(curve(5, [[1, 1.2]]), 100)).toEqual([]);
    expect(speechSpans(curve(5, [[3, 3.6]]), 100)).toEqual([[2.9, 3.45]]);
  });

  it('bridges a 0.3 s pause between words into one span, not across a 1 s pause', () => {
    expect(speechSpans(curve(6, [[1, 1.5], [1.8, 2.2], [3.2, 3.8]]), 100)).toEqual([[0.9, 2.05], [3.1, 3.65]]);
  });

  it('keeps a short span only when the voice is confident in it: a spoken word, not a music blip', () => {
    const word = curve(5, [[1, 1.6]]);
    const blip = word.map((v) => v * 0.6);
    expect(speechSpans(word, 100)).toEqual([[0.9, 1.45]]);
    expect(speechSpans(blip, 100, { on: 0.5, off: 0.35 })).toEqual([]);
    // Long spans stay even when Silero wavers (speech under loud music).
    const long = curve(5, [[1, 3]]).map((v, i) => (i % 20 < 10 ? v : v * 0.6));
    expect(speechSpans(long, 100)).toEqual([[0.9, 2.85]]);
  });
});
