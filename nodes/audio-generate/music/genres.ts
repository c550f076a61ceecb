/**
 * Genre presets: what a genre word in the prompt implies when the prompt says nothing
 * more specific (tempo range, groove, drum kit, which parts play, how bright it sounds).
 */

export type DrumStyle = 'four-floor' | 'techno' | 'boom-bap' | 'lofi' | 'trap' | 'rock' | 'jazz' | 'dnb' | 'cinematic' | 'ambient' | 'pop';
export type BassStyle = 'offbeat' | 'rumble' | 'roots' | 'walking' | 'reese' | 'eighths' | 'sub' | 'drone';
export type ChordStyle = 'stabs' | 'pad' | 'keys' | 'comp' | 'power' | 'none';
export type LeadTimbre = 'saw' | 'square' | 'sine' | 'pluck' | 'bell';

export interface GenrePreset {
  id: string;
  /** Words (lower case) that select this genre; longest match wins. */
  words: string[];
  tempo: [number, number];
  /** Offbeat delay as a fraction of the swung note (0 = straight, 0.33 = triplet feel). */
  swing: number;
  /** 16: swing 16th notes (hip-hop, lo-fi); 8: swing 8th notes (jazz). */
  swingUnit: 8 | 16;
  drums: DrumStyle;
  bass: BassStyle;
  chords: ChordStyle;
  pad: boolean;
  lead: LeadTimbre | 'none';
  /** Use seventh chords. */
  sevenths: boolean;
  /** 0..1 default brightness (filter cutoffs). */
  brightness: number;
  /** 0..1 default energy (hat density, levels). */
  energy: number;
  mode: 'major' | 'minor';
  /** Chords per bar. */
  harmonicRhythm: 1 | 2;
}

export const GENRES: readonly GenrePreset[] = [
  { id: 'house', words: ['house', 'deep house', 'tech house'], tempo: [120, 126], swing: 0.04, swingUnit: 16, drums: 'four-floor', bass: 'offbeat', chords: 'stabs', pad: true, lead: 'pluck', sevenths: true, brightness: 0.65, energy: 0.75, mode: 'minor', harmonicRhythm: 1 },
  { id: 'techno', words: ['techno', 'industrial'], tempo: [126, 136], swing: 0, swingUnit: 16, drums: 'techno', bass: 'rumble', chords: 'stabs', pad: true, lead: 'saw', sevenths: false, brightness: 0.5, energy: 0.85, mode: 'minor', harmonicRhythm: 1 },
  { id: 'lofi', words: ['lo-fi', 'lofi', 'lo fi', 'chillhop', 'lo-fi hip hop', 'lofi hip hop', 'lo-fi hip-hop'], tempo: [72, 90], swing: 0.22, swingUnit: 16, drums: 'lofi', bass: 'roots', chords: 'keys', pad: true, lead: 'sine', sevenths: true, brightness: 0.35, energy: 0.45, mode: 'minor', harmonicRhythm: 1 },
  { id: 'hiphop', words: ['hip-hop', 'hip hop', 'hiphop', 'boom bap', 'boom-bap', 'rap'], tempo: [86, 98], swing: 0.14, swingUnit: 16, drums: 'boom-bap', bass: 'roots', chords: 'keys', pad: false, lead: 'bell', sevenths: true, brightness: 0.5, energy: 0.6, mode: 'minor', harmonicRhythm: 1 },
  { id: 'trap', words: ['trap', 'drill'], tempo: [136, 150], swing: 0, swingUnit: 16, drums: 'trap', bass: 'sub', chords: 'pad', pad: true, lead: 'bell', sevenths: false, brightness: 0.5, energy: 0.7, mode: 'minor', harmonicRhythm: 1 },
  { id: 'ambient', words: ['ambient', 'drone', 'meditation', 'atmospheric'], tempo: [64, 80], swing: 0, swingUnit: 16, drums: 'ambient', bass: 'drone', chords: 'pad', pad: true, lead: 'sine', sevenths: true, brightness: 0.35, energy: 0.2, mode: 'major', harmonicRhythm: 1 },
  { id: 'cinematic', words: ['cinematic', 'epic', 'orchestral', 'trailer', 'score', 'soundtrack'], tempo: [84, 100], swing: 0, swingUnit: 16, drums: 'cinematic', bass: 'sub', chords: 'pad', pad: true, lead: 'saw', sevenths: false, brightness: 0.45, energy: 0.6, mode: 'minor', harmonicRhythm: 1 },
  { id: 'rock', words: ['rock', 'punk', 'indie rock', 'grunge', 'metal'], tempo: [104, 140], swing: 0, swingUnit: 16, drums: 'rock', bass: 'eighths', chords: 'power', pad: false, lead: 'square', sevenths: false, brightness: 0.7, energy: 0.8, mode: 'minor', harmonicRhythm: 1 },
  { id: 'jazz', words: ['jazz', 'swing', 'bebop', 'jazzy'], tempo: [110, 160], swing: 0.33, swingUnit: 8, drums: 'jazz', bass: 'walking', chords: 'comp', pad: false, lead: 'sine', sevenths: true, brightness: 0.5, energy: 0.55, mode: 'major', harmonicRhythm: 2 },
  { id: 'dnb', words: ['drum and bass', 'drum & bass', 'drum n bass', "drum 'n' bass", 'dnb', 'd&b', 'jungle', 'liquid'], tempo: [170, 176], swing: 0, swingUnit: 16, drums: 'dnb', bass: 'reese', chords: 'pad', pad: true, lead: 'pluck', sevenths: true, brightness: 0.55, energy: 0.85, mode: 'minor', harmonicRhythm: 1 },
  { id: 'pop', words: ['pop', 'synthpop', 'synthwave', 'disco', 'funk', 'edm', 'dance'], tempo: [100, 120], swing: 0, swingUnit: 16, drums: 'pop', bass: 'eighths', chords: 'stabs', pad: true, lead: 'square', sevenths: false, brightness: 0.65, energy: 0.7, mode: 'major', harmonicRhythm: 1 },
];

export const DEFAULT_GENRE = GENRES.find((g) => g.id === 'pop')!;
