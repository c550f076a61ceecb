import { describe, expect, it } from 'vitest';
import { speechSpans } from './vocal.js';

/** A 100 Hz voice curve at 0.9 over the given spans (seconds), 0 elsewhere. */
function curve(durSec: number, on: Array<[number, number]>): Float32Array {
  const c = new Float32Array(durSec * 100);
  for (const [a, b] of on) c.fill(0.9, Math.round(a * 100), Math.round(b * 100));
  return c;
}

describe('speech spans from the voice curve', () => {
  it('drops a 0.2 s blip (music tripping the VAD) but keeps a 0.4 s word', () => {
    expect(speechSpans(curve(5, [[1, 1.2]]), 100)).toEqual([]);
    expect(speechSpans(curve(5, [[3, 3.4]]), 100)).toEqual([[3, 3.4]]);
  });

  it('bridges a 0.2 s pause between words into one span, not across a 1 s pause', () => {
    expect(speechSpans(curve(6, [[1, 1.5], [1.7, 2.2], [3.2, 3.8]]), 100)).toEqual([[1, 2.2], [3.2, 3.8]]);
  });
});
