/**
 * Which synth patch plays which part. Patches are chosen from the arrangement's style and
 * scaled by its (seeded) sound design, so two seeds of the same prompt sound related but
 * not identical.
 */
import type { BassStyle, ChordStyle, LeadTimbre } from './genres.js';
import type { SoundDesign } from './arrange.js';
import type { FmVoice, SubtractiveVoice } from './tonal.js';

export type Patch = { engine: 'sub'; voice: SubtractiveVoice } | { engine: 'fm'; voice: FmVoice };

const sub = (voice: SubtractiveVoice): Patch => ({ engine: 'sub', voice });
const fm = (voice: FmVoice): Patch => ({ engine: 'fm', voice });

export function bassPatch(style: BassStyle, sd: SoundDesign): Patch {
  switch (style) {
    case 'walking':
      return fm({ env: { attack: 0.003, decay: 0.5, sustain: 0.2, release: 0.05 }, ratio: 1, index: 0.9, indexDecay: 0.12, vibratoCents: 0, gain: 0.9 });
    case 'sub':
      return fm({ env: { attack: 0.003, decay: 1.2, sustain: 0.6, release: 0.05 }, ratio: 1, index: 0.35, indexDecay: 0.08, vibratoCents: 0, gain: 1 });
    case 'roots':
      return sub({ env: { attack: 0.005, decay: 0.5, sustain: 0.45, release: 0.05 }, oscillators: 1, detune: 0, shape: 'saw', subLevel: 0.9, cutoff: sd.bassCutoff * 0.7, cutoffEnv: 1.5, cutoffDecay: 0.15, resonance: 0.8, drive: sd.bassDrive, gain: 0.8 });
    case 'reese':
      return sub({ env: { attack: 0.01, decay: 1, sustain: 0.85, release: 0.08 }, oscillators: 2, detune: 0.012, shape: 'saw', subLevel: 0.7, cutoff: sd.bassCutoff * 1.3, cutoffEnv: 0.5, cutoffDecay: 0.5, resonance: 0.9, drive: sd.bassDrive, gain: 0.8 });
    case 'drone':
      return sub({ env: { attack: 0.6, decay: 2, sustain: 0.8, release: 0.8 }, oscillators: 2, detune: 0.005, shape: 'saw', subLevel: 0.6, cutoff: sd.bassCutoff * 0.6, cutoffEnv: 0, cutoffDecay: 1, resonance: 0.7, drive: 1, gain: 0.7 });
    default:
      return sub({ env: { attack: 0.003, decay: 0.2, sustain: 0.7, release: 0.03 }, oscillators: 1, detune: 0, shape: 'saw', subLevel: 0.6, cutoff: sd.bassCutoff, cutoffEnv: 3, cutoffDecay: 0.08, resonance: 1, drive: sd.bassDrive, gain: 0.8 });
  }
}

export function chordPatch(style: ChordStyle, sd: SoundDesign, brightness: number): Patch | undefined {
  switch (style) {
    case 'none':
      return undefined;
    case 'stabs':
      return sub({ env: { attack: 0.003, decay: 0.15, sustain: 0.3, release: 0.08 }, oscillators: 2, detune: sd.chordDetune, shape: 'saw', subLevel: 0, cutoff: sd.chordCutoff, cutoffEnv: 2.5, cutoffDecay: 0.09, resonance: 1.1, drive: 1, gain: 0.5 });
    case 'keys':
    case 'comp':
      return fm({ env: { attack: 0.002, decay: 1.2, sustain: 0.15, release: 0.12 }, ratio: 1, index: 0.6 + 1.0 * brightness, indexDecay: 0.3, vibratoCents: 0, gain: 0.45 });
    case 'power':
      return sub({ env: { attack: 0.002, decay: 0.3, sustain: 0.6, release: 0.05 }, oscillators: 2, detune: 0.004, shape: 'saw', subLevel: 0, cutoff: 1200 + 2000 * brightness, cutoffEnv: 0.5, cutoffDecay: 0.1, resonance: 0.8, drive: 4, gain: 0.35 });
    case 'pad':
      return padPatch(sd);
  }
}

/** Pads; `light` (two oscillators) when keys carry the harmony and the pad only sits under them. */
export function padPatch(sd: SoundDesign, light = false): Patch {
  return sub({ env: { attack: 0.6, decay: 1, sustain: 0.8, release: 0.4 }, oscillators: light ? 2 : 3, detune: sd.padDetune, shape: 'saw', subLevel: 0, cutoff: sd.padCutoff, cutoffEnv: 0.3, cutoffDecay: 1, resonance: 0.8, drive: 1, gain: 0.35 });
}

export function leadPatch(timbre: LeadTimbre, sd: SoundDesign): Patch {
  switch (timbre) {
    case 'saw':
      return sub({ env: { attack: 0.01, decay: 0.3, sustain: 0.7, release: 0.1 }, oscillators: 2, detune: 0.006, shape: 'saw', subLevel: 0, cutoff: sd.leadCutoff, cutoffEnv: 1, cutoffDecay: 0.2, resonance: 1, drive: 1, gain: 0.35 });
    case 'square':
      return sub({ env: { attack: 0.005, decay: 0.3, sustain: 0.7, release: 0.08 }, oscillators: 1, detune: 0, shape: 'square', subLevel: 0, cutoff: sd.leadCutoff, cutoffEnv: 0.8, cutoffDecay: 0.15, resonance: 0.9, drive: 1, gain: 0.3 });
    case 'pluck':
      return sub({ env: { attack: 0.002, decay: 0.25, sustain: 0, release: 0.1 }, oscillators: 2, detune: 0.005, shape: 'saw', subLevel: 0, cutoff: sd.leadCutoff * 0.4, cutoffEnv: 6, cutoffDecay: 0.06, resonance: 1.2, drive: 1, gain: 0.45 });
    case 'bell':
      return fm({ env: { attack: 0.002, decay: 0.9, sustain: 0, release: 0.3 }, ratio: 3.5, index: 2, indexDecay: 0.4, vibratoCents: 0, gain: 0.35 });
    case 'sine':
      return fm({ env: { attack: 0.03, decay: 0.5, sustain: 0.7, release: 0.15 }, ratio: 1, index: 0.25, indexDecay: 0.5, vibratoCents: 15, gain: 0.4 });
  }
}
