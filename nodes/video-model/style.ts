/**
 * The style lexicon: prompt words → palette, grade, particles, motion character and
 * abstract forms. Words are matched whole and case-insensitively; unknown words are
 * ignored. Precedence (documented in the README):
 *  - the FIRST word to set a slot wins it (palette, particles, motion, shimmer, each grade
 *    field, each form weight): the user's own words come first in a Screenwriter
 *    expansion, so "rainy …" stays rain even when the scene text later adds "bokeh";
 *  - monochrome grades (noir, black-and-white, monochrome, sepia) are applied last and win
 *    their grade fields wherever they appear: "neon … noir" is a black-and-white picture
 *    whose accents (beat/section tints, particles, a2v forms) keep the neon palette.
 * The result is packed into the model's `style` vector by the slot names its manifest lists.
 */

export type Rgb = [number, number, number];

export interface Style {
  palette: [Rgb, Rgb, Rgb];
  gain: Rgb;
  lift: Rgb;
  saturation: number;
  contrast: number;
  vignette: number;
  particles: Particles;
  forms: { plasma: number; rings: number; swirl: number; bursts: number };
  /** Multiplies the node's `motion` param. */
  motion: number;
  shimmer: number;
  seeds: [number, number, number];
  /** Lexicon words found in the prompt, in order (shown in logs). */
  matched: string[];
}

/**
 * A particle preset. Columns run along the fall direction (x − slant·y), `fx` per unit of
 * aspect-corrected x; each column is cut into cells, `fy` per unit of y (the frame is 2
 * units tall); a cell holds one particle when its hash (−1..1) exceeds `thresh`. `vy` is
 * the fall speed in units/s (negative rises); `size`/`len` the particle's half width/length
 * as fractions of its column/cell; `hard` the edge (1 soft dot … 5 flat disc); `sway` a
 * sideways swing while falling (column fraction); `flicker` 0..1 brightness flicker.
 */
export interface Particles {
  kind: string;
  fx: number; fy: number; slant: number; vy: number; thresh: number; amount: number; colour: Rgb;
  size: number; len: number; hard: number; sway: number; flicker: number;
}

type Entry = {
  palette?: [Rgb, Rgb, Rgb];
  grade?: Partial<Pick<Style, 'gain' | 'lift' | 'saturation' | 'contrast' | 'vignette'>>;
  particles?: Style['particles'];
  forms?: Partial<Style['forms']>;
  motion?: number;
  shimmer?: number;
};

const hex = (h: string): Rgb => [parseInt(h.slice(0, 2), 16) / 255, parseInt(h.slice(2, 4), 16) / 255, parseInt(h.slice(4, 6), 16) / 255];
const pal = (a: string, b: string, c: string): [Rgb, Rgb, Rgb] => [hex(a), hex(b), hex(c)];

const PALETTES: Record<string, [Rgb, Rgb, Rgb]> = {
  sunset: pal('2b1055', 'ff5e62', 'ffc371'),
  ocean: pal('03045e', '0096c7', 'caf0f8'),
  forest: pal('1b2d12', '4f772d', 'dde5b6'),
  fire: pal('370617', 'e85d04', 'ffba08'),
  ice: pal('0d1b2a', '89c2d9', 'f8f9fa'),
  gold: pal('2b1d0e', 'b8860b', 'ffe8a3'),
  pastel: pal('cdb4db', 'ffafcc', 'a2d2ff'),
  night: pal('03071e', '241e4e', '7b6cf6'),
  desert: pal('5e3023', 'c08552', 'f3e9dc'),
  candy: pal('ff0a54', 'ff85a1', 'fbb1bd'),
  cyberpunk: pal('0b0033', 'ff00c8', '00f0ff'),
  neon: pal('10002b', 'ff00a0', '00ffd5'),
};

const particle = (p: Omit<Particles, 'sway' | 'flicker'> & Partial<Particles>): Particles => ({ sway: 0, flicker: 0, ...p });

/** Particle presets (see `Particles` for units); the model jitters every column and drop. */
const PARTICLES: Record<string, Particles> = {
  rain: particle({ kind: 'rain', fx: 16, fy: 0.9, slant: 0.18, vy: 2.6, thresh: -0.2, amount: 0.5, colour: hex('cfe3ff'), size: 0.07, len: 0.22, hard: 1.5 }),
  snow: particle({ kind: 'snow', fx: 7, fy: 7, slant: 0.1, vy: 0.3, thresh: 0.1, amount: 0.9, colour: hex('ffffff'), size: 0.22, len: 0.22, hard: 2.5, sway: 0.18 }),
  sparks: particle({ kind: 'sparks', fx: 9, fy: 5, slant: -0.15, vy: -0.8, thresh: 0.5, amount: 1.3, colour: hex('ffae42'), size: 0.12, len: 0.2, hard: 2, sway: 0.12, flicker: 0.7 }),
  smoke: particle({ kind: 'smoke', fx: 1.2, fy: 1, slant: 0.4, vy: -0.06, thresh: -0.4, amount: 0.3, colour: hex('b8b8c0'), size: 0.45, len: 0.45, hard: 0.8 }),
  bokeh: particle({ kind: 'bokeh', fx: 2.6, fy: 2.6, slant: 0, vy: -0.04, thresh: 0.2, amount: 0.45, colour: hex('ffe2b0'), size: 0.32, len: 0.32, hard: 5, sway: 0.1 }),
  stars: particle({ kind: 'stars', fx: 22, fy: 22, slant: 0, vy: 0.01, thresh: 0.6, amount: 1, colour: hex('ffffff'), size: 0.1, len: 0.1, hard: 2, flicker: 0.5 }),
  dust: particle({ kind: 'dust', fx: 16, fy: 14, slant: 0.3, vy: 0.08, thresh: 0.55, amount: 0.5, colour: hex('e8d8b0'), size: 0.09, len: 0.1, hard: 1.5, sway: 0.25 }),
};

const LEXICON: Record<string, Entry> = {
  // palettes (also tint the grade a little so photos pick them up)
  sunset: { palette: PALETTES.sunset, grade: { gain: [1.08, 0.98, 0.9] } },
  ocean: { palette: PALETTES.ocean, grade: { gain: [0.9, 1.0, 1.1] } },
  sea: { palette: PALETTES.ocean, grade: { gain: [0.9, 1.0, 1.1] } },
  underwater: { palette: PALETTES.ocean, grade: { gain: [0.8, 1.0, 1.12] }, shimmer: 2 },
  forest: { palette: PALETTES.forest, grade: { gain: [0.95, 1.06, 0.92] } },
  fire: { palette: PALETTES.fire, grade: { gain: [1.12, 0.96, 0.85] } },
  flames: { palette: PALETTES.fire, grade: { gain: [1.12, 0.96, 0.85] } },
  ice: { palette: PALETTES.ice, grade: { gain: [0.94, 1.0, 1.1] } },
  winter: { palette: PALETTES.ice, grade: { gain: [0.94, 1.0, 1.1], saturation: 0.8 } },
  gold: { palette: PALETTES.gold, grade: { gain: [1.1, 1.02, 0.85] } },
  golden: { palette: PALETTES.gold, grade: { gain: [1.1, 1.02, 0.85] } },
  pastel: { palette: PALETTES.pastel, grade: { saturation: 0.7, lift: [0.06, 0.05, 0.07] } },
  night: { palette: PALETTES.night, grade: { gain: [0.8, 0.85, 1.0], vignette: 0.5 } },
  midnight: { palette: PALETTES.night, grade: { gain: [0.75, 0.8, 1.0], vignette: 0.55 } },
  desert: { palette: PALETTES.desert, grade: { gain: [1.08, 1.0, 0.88] } },
  candy: { palette: PALETTES.candy, grade: { saturation: 1.3 } },
  cyberpunk: { palette: PALETTES.cyberpunk, grade: { gain: [1.05, 0.85, 1.15], saturation: 1.4, contrast: 1.15 } },
  // grades
  warm: { grade: { gain: [1.1, 1.0, 0.86] } },
  cool: { grade: { gain: [0.88, 0.98, 1.12] } },
  cold: { grade: { gain: [0.85, 0.97, 1.15] } },
  noir: { grade: { saturation: 0, contrast: 1.35, vignette: 0.6, gain: [1, 1, 1] }, palette: pal('000000', '808080', 'ffffff') },
  'black-and-white': { grade: { saturation: 0, contrast: 1.2 } },
  monochrome: { grade: { saturation: 0, contrast: 1.15 } },
  vintage: { grade: { saturation: 0.65, contrast: 0.88, lift: [0.07, 0.05, 0.02], gain: [1.05, 0.98, 0.85], vignette: 0.5 } },
  retro: { grade: { saturation: 0.75, contrast: 0.92, lift: [0.05, 0.04, 0.0], gain: [1.06, 1.0, 0.88] } },
  sepia: { grade: { saturation: 0.15, gain: [1.12, 0.98, 0.78], lift: [0.05, 0.03, 0] } },
  neon: { palette: PALETTES.neon, grade: { saturation: 1.5, contrast: 1.15, gain: [1.05, 0.9, 1.1] } },
  vivid: { grade: { saturation: 1.35, contrast: 1.1 } },
  faded: { grade: { saturation: 0.7, contrast: 0.8, lift: [0.08, 0.08, 0.08] } },
  moody: { grade: { gain: [0.85, 0.85, 0.9], contrast: 1.15, vignette: 0.6 } },
  dark: { grade: { gain: [0.75, 0.75, 0.78], vignette: 0.55 } },
  bright: { grade: { gain: [1.12, 1.12, 1.1], lift: [0.03, 0.03, 0.03] } },
  // particles
  rain: { particles: PARTICLES.rain },
  rainy: { particles: PARTICLES.rain },
  storm: { particles: { ...PARTICLES.rain!, amount: 0.7, vy: 3.4, slant: 0.35 }, motion: 1.3 },
  snow: { particles: PARTICLES.snow },
  snowy: { particles: PARTICLES.snow },
  sparks: { particles: PARTICLES.sparks },
  embers: { particles: PARTICLES.sparks },
  smoke: { particles: PARTICLES.smoke },
  fog: { particles: { ...PARTICLES.smoke!, amount: 0.35 }, grade: { contrast: 0.85 } },
  mist: { particles: { ...PARTICLES.smoke!, amount: 0.3 }, grade: { contrast: 0.88 } },
  bokeh: { particles: PARTICLES.bokeh },
  stars: { particles: PARTICLES.stars },
  starry: { particles: PARTICLES.stars },
  dust: { particles: PARTICLES.dust },
  // motion character
  gentle: { motion: 0.55 },
  calm: { motion: 0.5 },
  slow: { motion: 0.6 },
  smooth: { motion: 0.7 },
  dreamy: { motion: 0.75, grade: { contrast: 0.88, lift: [0.04, 0.03, 0.06] }, forms: { swirl: 0.9 } },
  energetic: { motion: 1.4 },
  intense: { motion: 1.5, grade: { contrast: 1.15 } },
  // Fast words drive camera motion (shake, punches), never the local ripple: it smears faces.
  frantic: { motion: 1.8 },
  wild: { motion: 1.7 },
  chaotic: { motion: 1.9 },
  // abstract forms (a2v)
  rings: { forms: { rings: 1.4, plasma: 0.4 } },
  circles: { forms: { rings: 1.3, plasma: 0.5 } },
  ripples: { forms: { rings: 1.2, plasma: 0.6 } },
  plasma: { forms: { plasma: 1.5, rings: 0.2 } },
  liquid: { forms: { plasma: 1.3, swirl: 0.8 } },
  waves: { forms: { plasma: 1.2, rings: 0.3 } },
  swirl: { forms: { swirl: 1.5 } },
  spiral: { forms: { swirl: 1.5, rings: 0.8 } },
  vortex: { forms: { swirl: 1.8, rings: 0.6 } },
  hypnotic: { forms: { rings: 1.5, swirl: 1.2 } },
  burst: { forms: { bursts: 1.6 } },
  rays: { forms: { bursts: 1.6, rings: 0.2 } },
  explosion: { forms: { bursts: 1.8, plasma: 1.2 } },
  starburst: { forms: { bursts: 1.8 } },
};

/** Small deterministic PRNG (mulberry32) so the same seed gives the same video. */
export function seededRandom(seed: number): () => number {
  let a = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function defaultStyle(seed = 0): Style {
  const rnd = seededRandom(seed);
  return {
    palette: pal('1a1446', 'c2185b', 'ffb74d'),
    gain: [1, 1, 1],
    lift: [0, 0, 0],
    saturation: 1,
    contrast: 1,
    vignette: 0.25,
    particles: particle({ kind: 'none', fx: 10, fy: 10, slant: 0, vy: 0, thresh: 0.9, amount: 0, colour: [1, 1, 1], size: 0.1, len: 0.1, hard: 1 }),
    forms: { plasma: 1, rings: 0.35, swirl: 0.3, bursts: 0.8 },
    motion: 1,
    shimmer: 1,
    seeds: [rnd() * 6.283, rnd() * 6.283, rnd() * 6.283],
    matched: [],
  };
}

/** Grades that define the whole look: applied last, so they win wherever they appear. */
const MONOCHROME = new Set(['noir', 'black-and-white', 'monochrome', 'sepia']);

/** Parse a prompt into a style. Empty or unknown text gives the neutral default. */
export function styleFromPrompt(prompt: string | undefined, seed = 0): Style {
  const style = defaultStyle(seed);
  const words = (prompt ?? '').toLowerCase().match(/[a-z]+(?:-[a-z]+)*/g) ?? [];
  const taken = new Set<string>();
  const claim = (slot: string): boolean => !taken.has(slot) && (taken.add(slot), true);
  const monochrome: Entry[] = [];
  for (const word of words) {
    const key = LEXICON[word] ? word : word.replace(/s$/, '');
    const e = LEXICON[key];
    if (!e) continue;
    style.matched.push(word);
    if (e.palette && claim('palette')) style.palette = e.palette;
    if (e.grade) {
      if (MONOCHROME.has(key)) monochrome.push(e);
      else for (const [k, v] of Object.entries(e.grade)) if (claim(`grade.${k}`)) Object.assign(style, { [k]: v });
    }
    if (e.particles && claim('particles')) style.particles = e.particles;
    if (e.forms) for (const [k, v] of Object.entries(e.forms)) if (claim(`forms.${k}`)) style.forms = { ...style.forms, [k]: v };
    if (e.motion !== undefined && claim('motion')) style.motion = e.motion;
    if (e.shimmer !== undefined && claim('shimmer')) style.shimmer = e.shimmer;
  }
  for (const e of monochrome) Object.assign(style, e.grade);
  return style;
}

/** Pack a style into the `style` tensor in the order the manifest names its slots. */
export function styleVector(style: Style, slots: readonly string[]): Float32Array {
  const [c0, c1, c2] = style.palette;
  const p = style.particles;
  const values: Record<string, number> = {
    c0r: c0[0], c0g: c0[1], c0b: c0[2], c1r: c1[0], c1g: c1[1], c1b: c1[2], c2r: c2[0], c2g: c2[1], c2b: c2[2],
    gainR: style.gain[0], gainG: style.gain[1], gainB: style.gain[2],
    liftR: style.lift[0], liftG: style.lift[1], liftB: style.lift[2],
    saturation: style.saturation, contrast: style.contrast, vignette: style.vignette,
    pFx: p.fx, pFy: p.fy, pSlant: p.slant, pVy: p.vy, pThresh: p.thresh, pAmount: p.amount, pR: p.colour[0], pG: p.colour[1], pB: p.colour[2],
    pSize: p.size, pLen: p.len, pHard: p.hard, pSway: p.sway, pFlicker: p.flicker,
    plasma: style.forms.plasma, rings: style.forms.rings, swirl: style.forms.swirl, bursts: style.forms.bursts,
    seedA: style.seeds[0], seedB: style.seeds[1], seedC: style.seeds[2],
    shimmer: style.shimmer,
  };
  return Float32Array.from(slots, (s) => values[s] ?? 0);
}
