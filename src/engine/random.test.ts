/** Seeded randomness: the cache assumes a pure node's choices repeat exactly, so the streams are pinned to the published algorithms. */
import { describe, expect, it } from 'vitest';
import { hashString, Rng } from './random.js';

describe('hashString is 32-bit FNV-1a (published test vectors)', () => {
  it.each([
    ['', 0x811c9dc5],
    ['a', 0xe40c292c],
    ['foobar', 0xbf9cf968],
  ])('"%s" → %i', (text, want) => {
    expect(hashString(text)).toBe(want);
  });
});

describe('Rng is mulberry32', () => {
  it('seed 1 gives the reference stream (0.6270739405881613 first)', () => {
    const r = new Rng(1);
    expect(r.next()).toBe(0.6270739405881613);
    expect(r.next()).toBe(0.002735721180215478);
  });

  it('seed 0 is replaced by the golden-ratio constant (a zero state would be a poor stream)', () => {
    const a = new Rng(0);
    const b = new Rng(0x9e3779b9);
    expect([a.next(), a.next()]).toEqual([b.next(), b.next()]);
  });

  it('stays in [0, 1) with a mean near ½; range, int, chance and pick keep their bounds', () => {
    const r = new Rng(7);
    let sum = 0;
    const ints = new Set<number>();
    const picks = new Set<string>();
    for (let i = 0; i < 20000; i++) {
      const x = r.next();
      expect(x >= 0 && x < 1).toBe(true);
      sum += x;
      const y = r.range(-2, 3);
      expect(y >= -2 && y < 3).toBe(true);
      const n = r.int(2, 5);
      expect(Number.isInteger(n) && n >= 2 && n <= 5).toBe(true);
      ints.add(n);
      picks.add(r.pick(['a', 'b', 'c']));
      expect(r.chance(0)).toBe(false);
      expect(r.chance(1)).toBe(true);
    }
    expect(Math.abs(sum / 20000 - 0.5)).toBeLessThan(0.01);
    expect([...ints].sort()).toEqual([2, 3, 4, 5]);
    expect([...picks].sort()).toEqual(['a', 'b', 'c']);
  });

  it('chance(p) is true about p of the time', () => {
    const r = new Rng(3);
    let hits = 0;
    for (let i = 0; i < 10000; i++) if (r.chance(0.3)) hits++;
    expect(Math.abs(hits / 10000 - 0.3)).toBeLessThan(0.02);
  });

  it('pick from an empty list fails with a message, not undefined', () => {
    expect(() => new Rng(1).pick([])).toThrow('pick from an empty list');
  });

  it('fork: the child depends on the label and the parent state, not on later use of the parent', () => {
    const p1 = new Rng(11);
    const p2 = new Rng(11);
    const c1 = p1.fork('drums');
    p1.next();
    p1.next();
    const c2 = p2.fork('drums');
    expect([c1.next(), c1.next()]).toEqual([c2.next(), c2.next()]);
    expect(new Rng(11).fork('bass').next()).not.toBe(new Rng(11).fork('drums').next());
    expect(new Rng(12).fork('drums').next()).not.toBe(new Rng(11).fork('drums').next());
    expect(new Rng(11).fork('drums').next()).not.toBe(new Rng(11).next());
  });
});
