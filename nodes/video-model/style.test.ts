/**
 * The style lexicon's rules (style.ts header): words match whole and case-insensitively (a
 * plural finds its singular), the first word to set a slot wins it — each grade field and
 * each form weight on its own — and monochrome grades are applied last. Expected values are
 * the lexicon entries named in each test; style-sync.test.ts covers the headline cases and
 * node-contract.test.ts that the result reaches the picture.
 */
import { describe, expect, it } from 'vitest';
import { STYLE } from '../../models/build/layout.js';
import { defaultStyle, seededRandom, styleFromPrompt, styleVector, type Style } from './style.js';

describe('seededRandom', () => {
  it('the stream for a seed never changes (a saved graph re-renders the same video) and stays in 0..1', () => {
    // mulberry32 seeded with 0 ^ 0x9e3779b9: these three values were the stream when seeds were introduced.
    const r = seededRandom(0);
    expect([r(), r(), r()]).toEqual([0.3588899802416563, 0.10590326134115458, 0.675290479324758]);
    // Fractions of a seed are dropped.
    const a = seededRandom(41.9);
    const b = seededRandom(41);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
    const c = seededRandom(42);
    const xs = Array.from({ length: 20000 }, c);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
    // Every tenth of the range is hit about equally often, and consecutive draws are unrelated.
    const bins = new Array(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    for (const n of bins) expect(Math.abs(n - 2000)).toBeLessThan(200);
    let cov = 0;
    for (let i = 1; i < xs.length; i++) cov += (xs[i]! - 0.5) * (xs[i - 1]! - 0.5);
    expect(Math.abs(cov / xs.length / (1 / 12))).toBeLessThan(0.03);
  });
});

describe('defaultStyle', () => {
  it('neutral grade, no particles, motion and shimmer 1, three seeded phases in 0..2π', () => {
    const s = defaultStyle(3);
    expect(s).toMatchObject({ gain: [1, 1, 1], lift: [0, 0, 0], saturation: 1, contrast: 1, motion: 1, shimmer: 1, matched: [] });
    expect(s.particles).toMatchObject({ kind: 'none', amount: 0, colour: [1, 1, 1] });
    expect(s.forms).toEqual({ plasma: 1, rings: 0.35, swirl: 0.3, bursts: 0.8 });
    // The default palette: three real colours, dark to light.
    const lum = s.palette.map(([r, g, b]) => {
      for (const v of [r, g, b]) expect(v >= 0 && v <= 1, `${v}`).toBe(true);
      return 0.3 * r + 0.59 * g + 0.11 * b;
    });
    expect(lum[0]).toBeLessThan(lum[1]!);
    expect(lum[1]).toBeLessThan(lum[2]!);
    const r = seededRandom(3);
    expect(s.seeds).toEqual([r() * 6.283, r() * 6.283, r() * 6.283]);
    expect(defaultStyle().seeds).toEqual(defaultStyle(0).seeds);
  });
});

describe('styleFromPrompt', () => {
  it('words are found whole, in any case, between any punctuation; a plural finds its singular', () => {
    const s = styleFromPrompt('OCEAN,sunsets;Black-And-White…rains', 0);
    expect(s.matched).toEqual(['ocean', 'sunsets', 'black-and-white', 'rains']);
    expect(s.palette).toEqual(styleFromPrompt('ocean').palette);
    expect(s.particles.kind).toBe('rain');
    expect(s.saturation).toBe(0);
    // Part of a word is not the word.
    expect(styleFromPrompt('oceanic firestorm').matched).toEqual([]);
    // An exact entry wins over its singular ("stars" is its own preset).
    expect(styleFromPrompt('stars').particles.kind).toBe('stars');
  });

  it('each grade field is its own slot: "winter vivid" keeps winter’s saturation 0.8 and takes vivid’s contrast 1.1', () => {
    const s = styleFromPrompt('winter vivid');
    expect(s.saturation).toBe(0.8);
    expect(s.contrast).toBe(1.1);
    expect(s.gain).toEqual([0.94, 1.0, 1.1]);
    const v = styleFromPrompt('vivid winter');
    expect(v.saturation).toBe(1.35);
    expect(v.gain).toEqual([0.94, 1.0, 1.1]);
  });

  it('each form weight is its own slot; unset ones keep the default', () => {
    const s = styleFromPrompt('rings plasma swirl');
    expect(s.forms).toEqual({ rings: 1.4, plasma: 0.4, swirl: 1.5, bursts: 0.8 });
  });

  it('motion and shimmer: the first word that sets them wins', () => {
    expect(styleFromPrompt('gentle frantic').motion).toBe(0.55);
    expect(styleFromPrompt('storm gentle').motion).toBe(1.3);
    expect(styleFromPrompt('underwater').shimmer).toBe(2);
    expect(styleFromPrompt('calm underwater').motion).toBe(0.5);
    expect(styleFromPrompt('calm underwater').shimmer).toBe(2);
  });

  it('monochrome grades apply last, in prompt order, over any word’s grade; other fields stay', () => {
    const s = styleFromPrompt('sepia vivid');
    expect(s.saturation).toBe(0.15);
    expect(s.contrast).toBe(1.1); // sepia sets no contrast: vivid's stays
    expect(s.gain).toEqual([1.12, 0.98, 0.78]);
    const two = styleFromPrompt('noir sepia');
    expect(two.saturation).toBe(0.15);
    expect(two.contrast).toBe(1.35);
    expect(two.vignette).toBe(0.6);
    expect(styleFromPrompt('dreamy').lift).toEqual([0.04, 0.03, 0.06]);
  });

  it('the seed only moves the seed phases; no prompt is the default style', () => {
    expect(styleFromPrompt(undefined, 4)).toEqual(defaultStyle(4));
    expect(styleFromPrompt('', 4)).toEqual(defaultStyle(4));
    expect(styleFromPrompt('neon', 4).seeds).toEqual(defaultStyle(4).seeds);
  });
});

describe('styleVector', () => {
  it('packs every field under its slot name, in the order asked; unknown slots are 0', () => {
    const s: Style = {
      palette: [[0.01, 0.02, 0.03], [0.04, 0.05, 0.06], [0.07, 0.08, 0.09]],
      gain: [0.11, 0.12, 0.13], lift: [0.14, 0.15, 0.16], saturation: 0.17, contrast: 0.18, vignette: 0.19,
      particles: { kind: 'x', fx: 0.21, fy: 0.22, slant: 0.23, vy: 0.24, thresh: 0.25, amount: 0.26, colour: [0.27, 0.28, 0.29], size: 0.31, len: 0.32, hard: 0.33, sway: 0.34, flicker: 0.35 },
      forms: { plasma: 0.41, rings: 0.42, swirl: 0.43, bursts: 0.44 },
      motion: 9, shimmer: 0.51, seeds: [0.61, 0.62, 0.63], matched: [],
    };
    const want = [
      0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09,
      0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17, 0.18, 0.19,
      0.21, 0.22, 0.23, 0.24, 0.25, 0.26, 0.27, 0.28, 0.29,
      0.31, 0.32, 0.33, 0.34, 0.35,
      0.41, 0.42, 0.43, 0.44,
      0.61, 0.62, 0.63,
      0.51,
    ];
    expect(STYLE).toHaveLength(want.length);
    expect(Array.from(styleVector(s, STYLE))).toEqual(want.map(Math.fround));
    expect(Array.from(styleVector(s, ['shimmer', 'nope', 'c0r']))).toEqual([0.51, 0, 0.01].map(Math.fround));
  });
});
