/**
 * The music generator on short renders: deterministic per prompt + seed, different seeds
 * sound different, mastered (−14 LUFS ± 1, no sample above −0.9 dBFS), exact beat grid,
 * cancellable. Tempo against aubio and the analyzer is in nodes/audio-generate.
 */
import { describe, expect, it } from 'vitest';
import { renderMusic } from './render.js';
import { integratedLoudness } from './loudness.js';
import { spectralSimilarity } from '../../../test/support/similarity.js';
import { isS2VError } from '../../../src/engine/index.js';

const SR = 44100;
const peakDb = (l: Float32Array, r: Float32Array) => {
  let p = 0;
  for (let i = 0; i < l.length; i++) p = Math.max(p, Math.abs(l[i]!), Math.abs(r[i]!));
  return 20 * Math.log10(p);
};

describe('renderMusic', () => {
  it('is deterministic for a prompt + seed (bit-identical)', () => {
    const a = renderMusic('lo-fi hip hop 84 bpm, warm and dusty', { durationSec: 4, seed: 3 });
    const b = renderMusic('lo-fi hip hop 84 bpm, warm and dusty', { durationSec: 4, seed: 3 });
    expect(Buffer.from(a.left.buffer).equals(Buffer.from(b.left.buffer))).toBe(true);
    expect(Buffer.from(a.right.buffer).equals(Buffer.from(b.right.buffer))).toBe(true);
    expect(a.beats).toEqual(b.beats);
  });

  it.each(['lo-fi hip hop 84 bpm, warm and dusty', 'house in A minor 124 bpm'])('two seeds of "%s" sound different', (prompt) => {
    const a = renderMusic(prompt, { durationSec: 8, seed: 1 });
    const b = renderMusic(prompt, { durationSec: 8, seed: 2 });
    // Same tempo, genre and (for the second prompt) key; still clearly different spectrograms.
    expect(spectralSimilarity(a.left, b.left, SR)).toBeLessThan(0.8);
    expect(spectralSimilarity(a.left, a.left, SR)).toBeCloseTo(1, 6);
  });

  it.each([
    'lo-fi hip hop 84 bpm, warm and dusty',
    'dark techno 132 bpm',
    'drum and bass 174 bpm',
    'calm ambient with piano',
    'aggressive rock 120 bpm',
    'trap 140 bpm',
  ])('"%s" is mastered: −14 LUFS ± 1, peak ≤ −0.9 dBFS, stereo', (prompt) => {
    const r = renderMusic(prompt, { durationSec: 5, seed: 0 });
    expect(r.left.length).toBe(5 * SR);
    expect(Math.abs(integratedLoudness([r.left, r.right], SR) + 14)).toBeLessThanOrEqual(1);
    expect(peakDb(r.left, r.right)).toBeLessThanOrEqual(-0.9);
    let diff = 0;
    for (let i = 0; i < r.left.length; i += 7) diff += Math.abs(r.left[i]! - r.right[i]!);
    expect(diff).toBeGreaterThan(0); // really stereo, not a copied channel
  });

  it('reports the exact beat grid: every quarter note inside the track, starting at 0', () => {
    const r = renderMusic('house 125 bpm', { durationSec: 6, seed: 0 });
    expect(r.beats.length).toBe(Math.ceil((6 * 125) / 60));
    r.beats.forEach((b, i) => expect(b).toBeCloseTo((i * 60) / 125, 9));
    expect(r.beats.at(-1)!).toBeLessThan(6);
  });

  it('puts a kick on every beat of a four-on-the-floor track (the grid is the audio)', () => {
    const r = renderMusic('techno 128 bpm', { durationSec: 4, seed: 0 });
    const win = Math.round(0.03 * SR);
    const energy = (start: number) => {
      let e = 0;
      for (let i = Math.max(0, start); i < Math.min(r.left.length, start + win); i++) e += r.left[i]! ** 2;
      return e;
    };
    for (const b of r.beats.slice(1, -1)) {
      const at = Math.round(b * SR);
      // Energy right after the beat well above the energy just before it.
      expect(energy(at)).toBeGreaterThan(2 * energy(at - win - Math.round(0.02 * SR)));
    }
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 601])('a duration of %s s is E106 before any work', (durationSec) => {
    try {
      renderMusic('house', { durationSec, seed: 0 });
      expect.unreachable();
    } catch (e) {
      expect(isS2VError(e) && e.code).toBe('E106');
      expect((e as Error).message).toMatch(/music duration must be more than 0 and at most 600 s/);
    }
  });

  it('a cancel mid-render stops at the next stage with E121', () => {
    const ac = new AbortController();
    const stages: string[] = [];
    const err = (() => {
      try {
        renderMusic('house 124 bpm', {
          durationSec: 4,
          seed: 0,
          signal: ac.signal,
          progress: (_f, m) => {
            stages.push(m);
            if (m === 'bass and chords') ac.abort();
          },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(isS2VError(err) && err.code).toBe('E121');
    expect(stages).toEqual(['drums', 'bass and chords']);
  });

  it('stops with E121 when cancelled', () => {
    const ac = new AbortController();
    ac.abort();
    try {
      renderMusic('house', { durationSec: 2, seed: 0, signal: ac.signal });
      expect.unreachable();
    } catch (e) {
      expect(isS2VError(e) && e.code).toBe('E121');
    }
  });
});
