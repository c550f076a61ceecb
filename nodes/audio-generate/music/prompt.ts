/**
 * Prompt → MusicSpec. Reads what a person would write ("lo-fi hip hop 84 bpm, warm and
 * dusty, in D minor, with piano") and fills everything else from the genre preset.
 * Pure and deterministic: the seed only picks a tempo inside the genre's range.
 */
import { DEFAULT_GENRE, GENRES, type ChordStyle, type GenrePreset, type LeadTimbre } from './genres.js';
import { Rng, hashString } from '../../../src/engine/index.js';

export type ScaleMode = 'major' | 'minor' | 'dorian' | 'mixolydian' | 'phrygian' | 'lydian';

export interface MusicSpec {
  genre: GenrePreset;
  tempo: number;
  /** Whether the tempo came from the prompt (otherwise drawn from the genre range). */
  tempoFromPrompt: boolean;
  /** Pitch class of the tonic, 0 = C. */
  key: number;
  mode: ScaleMode;
  swing: number;
  brightness: number;
  energy: number;
  moods: string[];
  /** Vinyl crackle and a wobbly top end. */
  dusty: boolean;
  /** Roll off the top end of the master. */
  warm: boolean;
  /** Amount of echo on leads and keys, 0..1. */
  space: number;
  chords: ChordStyle;
  lead: LeadTimbre | 'none';
  pad: boolean;
  drums: boolean;
  /** Instruments the prompt asked for, as written. */
  instruments: string[];
}

interface MoodEffect {
  brightness?: number;
  energy?: number;
  mode?: ScaleMode;
  dusty?: boolean;
  warm?: boolean;
  space?: number;
}

const MOODS: Record<string, MoodEffect> = {
  calm: { energy: -0.25, brightness: -0.1, space: 0.2 },
  chill: { energy: -0.2, space: 0.15 },
  relaxed: { energy: -0.2 },
  peaceful: { energy: -0.3, mode: 'major', space: 0.2 },
  mellow: { energy: -0.15, brightness: -0.15 },
  dreamy: { space: 0.35, brightness: -0.05, mode: 'lydian' },
  dark: { brightness: -0.25, mode: 'minor' },
  moody: { brightness: -0.15, mode: 'dorian' },
  sad: { mode: 'minor', energy: -0.15 },
  melancholic: { mode: 'minor', energy: -0.1 },
  ominous: { mode: 'phrygian', brightness: -0.25 },
  tense: { mode: 'phrygian', energy: 0.1 },
  uplifting: { mode: 'major', brightness: 0.2, energy: 0.15 },
  happy: { mode: 'major', brightness: 0.15, energy: 0.1 },
  bright: { brightness: 0.25 },
  euphoric: { mode: 'major', brightness: 0.2, energy: 0.25 },
  hopeful: { mode: 'major', brightness: 0.1 },
  energetic: { energy: 0.25, brightness: 0.1 },
  aggressive: { energy: 0.3, brightness: 0.15 },
  driving: { energy: 0.2 },
  warm: { warm: true, brightness: -0.1 },
  dusty: { dusty: true, warm: true },
  vinyl: { dusty: true },
  nostalgic: { dusty: true, warm: true, mode: 'dorian' },
  funky: { mode: 'mixolydian', energy: 0.1 },
  spacious: { space: 0.35 },
  epic: { energy: 0.2, space: 0.2 },
  mysterious: { mode: 'dorian', brightness: -0.15, space: 0.2 },
};

const INSTRUMENTS: Array<{ words: string[]; apply: (s: MusicSpec) => void }> = [
  { words: ['piano', 'keys', 'rhodes', 'electric piano', 'organ'], apply: (s) => (s.chords = 'keys') },
  { words: ['strings', 'pads', 'pad', 'choir'], apply: (s) => (s.pad = true) },
  { words: ['guitar', 'guitars'], apply: (s) => (s.chords = s.chords === 'none' ? 'power' : s.chords) },
  { words: ['synth', 'synths', 'arp', 'arpeggio', 'lead'], apply: (s) => (s.lead = s.lead === 'none' ? 'saw' : s.lead) },
  { words: ['flute', 'whistle'], apply: (s) => (s.lead = 'sine') },
  { words: ['bells', 'bell', 'glockenspiel', 'music box'], apply: (s) => (s.lead = 'bell') },
  { words: ['brass', 'horns'], apply: (s) => (s.lead = 'saw') },
];

const NOTE_NAMES: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };

function hasWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`).test(text);
}

/** The genre whose longest matching word appears in the prompt. */
export function findGenre(text: string): GenrePreset | undefined {
  let best: GenrePreset | undefined;
  let bestLen = 0;
  for (const g of GENRES) {
    for (const w of g.words) {
      if (w.length > bestLen && hasWord(text, w)) {
        best = g;
        bestLen = w.length;
      }
    }
  }
  return best;
}

/** "in D minor", "F# major", "in Bb", "in Am" → tonic pitch class + mode. */
export function findKey(prompt: string): { key: number; mode?: ScaleMode } | undefined {
  const long = /\b([A-Ga-g])\s*(#|♯|b|♭|-?sharp|-?flat)?\s*(major|minor|dorian|mixolydian|phrygian|lydian)\b/i.exec(prompt);
  const short = /\bin ([A-G])(#|♯|b|♭)?(m|maj|min)?(?![A-Za-z])/.exec(prompt);
  const m = long ?? short;
  if (!m) return undefined;
  let key = NOTE_NAMES[m[1]!.toLowerCase()]!;
  const acc = (m[2] ?? '').toLowerCase();
  if (acc.includes('#') || acc.includes('♯') || acc.includes('sharp')) key += 1;
  if (acc === 'b' || acc.includes('♭') || acc.includes('flat')) key -= 1;
  key = (key + 12) % 12;
  const word = (m[3] ?? '').toLowerCase();
  let mode: ScaleMode | undefined;
  if (word === 'm' || word === 'min' || word === 'minor') mode = 'minor';
  else if (word === 'maj' || word === 'major') mode = 'major';
  else if (word) mode = word as ScaleMode;
  return { key, mode };
}

/** "92 bpm", "92bpm", "tempo 92", "92 beats per minute" → 92 (clamped to 40..220). */
export function findTempo(text: string): number | undefined {
  const m = /(\d{2,3}(?:\.\d+)?)\s*(?:bpm|beats per minute)\b/.exec(text) ?? /\btempo\s*(?:of\s*)?(\d{2,3}(?:\.\d+)?)\b/.exec(text);
  if (!m) return undefined;
  const bpm = Number(m[1]);
  return Number.isFinite(bpm) ? Math.min(220, Math.max(40, bpm)) : undefined;
}

const clamp01 = (v: number) => Math.min(1, Math.max(0, v));

/** Read a music prompt. `seed` picks whatever the prompt leaves open (tempo inside the genre range, key). */
export function parseMusicPrompt(prompt: string, seed: number): MusicSpec {
  const text = prompt.toLowerCase().replace(/\s+/g, ' ').trim();
  const rng = new Rng(hashString(`spec|${text}|${seed}`));
  const genre = findGenre(text) ?? DEFAULT_GENRE;
  const promptTempo = findTempo(text);
  const tempo = promptTempo ?? Math.round(rng.range(genre.tempo[0], genre.tempo[1]));
  const key = findKey(prompt);
  const spec: MusicSpec = {
    genre,
    tempo,
    tempoFromPrompt: promptTempo !== undefined,
    key: key?.key ?? rng.int(0, 11),
    mode: genre.mode,
    swing: genre.swing,
    brightness: genre.brightness,
    energy: genre.energy,
    moods: [],
    dusty: false,
    warm: false,
    space: genre.id === 'ambient' ? 0.6 : 0.2,
    chords: genre.chords,
    lead: genre.lead,
    pad: genre.pad,
    drums: !/\b(no|without) (drums|beat|percussion)\b/.test(text),
    instruments: [],
  };
  let moodMode: ScaleMode | undefined;
  for (const [word, fx] of Object.entries(MOODS)) {
    if (!hasWord(text, word)) continue;
    spec.moods.push(word);
    spec.brightness += fx.brightness ?? 0;
    spec.energy += fx.energy ?? 0;
    spec.space += fx.space ?? 0;
    if (fx.dusty) spec.dusty = true;
    if (fx.warm) spec.warm = true;
    if (fx.mode) moodMode ??= fx.mode;
  }
  // Lo-fi means dust unless the prompt asks for it clean.
  if (genre.id === 'lofi' && !hasWord(text, 'clean')) spec.dusty = true;
  for (const inst of INSTRUMENTS) {
    const w = inst.words.find((x) => hasWord(text, x));
    if (w) {
      spec.instruments.push(w);
      inst.apply(spec);
    }
  }
  // Unless the prompt names a lead, the seed may swap the genre's lead for a related colour.
  if (!spec.instruments.some((w) => INSTRUMENTS.slice(3).some((i) => i.words.includes(w))) && spec.lead !== 'none' && rng.chance(0.6)) {
    spec.lead = rng.pick(['pluck', 'saw', 'square', 'bell', 'sine'] as const);
  }
  // An explicit key beats a mood's suggestion, which beats the genre default.
  spec.mode = key?.mode ?? moodMode ?? genre.mode;
  spec.brightness = clamp01(spec.brightness);
  spec.energy = clamp01(spec.energy);
  spec.space = clamp01(spec.space);
  return spec;
}
