/**
 * The beat net's training material, DEV half only: the frame envelopes of every dev excerpt of the
 * beat corpus (test/fixtures/audio/corpus; held-out excerpts are never read), the generated meter
 * grooves and the two eval-dev tracks, each with its reference beats and the line of the beat bench
 * it is reported under (leave-one-line-out folds). Envelopes are cached under the system's temp
 * folder by rendered WAV name (which holds a hash of its render inputs).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMA_FRAMES, FRAME_RATE, FrameAnalyzer, SPECTRUM_DIM } from '../../../src/audio/frame-analyzer.js';
import type { ActivationInput } from '../../../src/audio/beat-activation.js';
import { loadCorpus, variantOriginal } from '../../../test/fixtures/audio/corpus/build.js';
import { reportGroup } from '../../../test/bench/beat-corpus-bench.js';
import { meterGroove, type MeterStyle } from '../../../test/fixtures/audio/meter-grooves.js';

const KEYS = ['flux', 'fluxLow', 'fluxHigh', 'bass', 'mid', 'treble', 'chroma', 'spectrum'] as const;
export type Envelopes = Record<(typeof KEYS)[number], Float32Array>;
const CACHE = path.join(os.tmpdir(), 's2v-beatnet-env');

export interface Item {
  id: string;
  /** Bench line: a package, MMA's songs and each groove set apart; 'grooves' and 'eval-dev' besides. */
  source: string;
  /**
   * The leave-one-line-out fold it belongs to: its line, but a tempo variant's is its original's line (a groove
   * heard at another tempo must not train the net that scores the line its original is in).
   */
  fold: string;
  env: Envelopes;
  /** Reference beats, seconds. */
  refSec: number[];
}

function envelopes(pcm: Float32Array): Envelopes {
  const fa = new FrameAnalyzer(pcm.length / 16000);
  for (let i = 0; i < pcm.length; i += 16000) fa.push(pcm.subarray(i, Math.min(pcm.length, i + 16000)));
  const e = fa.finish();
  return { flux: e.flux, fluxLow: e.fluxLow, fluxHigh: e.fluxHigh, bass: e.bands.bass, mid: e.bands.mid, treble: e.bands.treble, chroma: e.chroma, spectrum: e.spectrum };
}

function cached(id: string, pcm: () => Float32Array): Envelopes {
  mkdirSync(CACHE, { recursive: true });
  const f = path.join(CACHE, `${id}.bin`);
  if (existsSync(f)) {
    const buf = readFileSync(f);
    const lens = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + 4 * KEYS.length));
    const out = {} as Envelopes;
    let off = 4 * KEYS.length;
    KEYS.forEach((k, i) => {
      out[k] = new Float32Array(buf.buffer.slice(buf.byteOffset + off, buf.byteOffset + off + 4 * lens[i]!));
      off += 4 * lens[i]!;
    });
    return out;
  }
  const e = envelopes(pcm());
  writeFileSync(f, Buffer.concat([Buffer.from(Uint32Array.from(KEYS.map((k) => e[k].length)).buffer), ...KEYS.map((k) => Buffer.from(e[k].buffer, e[k].byteOffset, e[k].byteLength))]));
  return e;
}

function pcm16k(wav: string): Float32Array {
  const out = execFileSync('sox', [wav, '-r', '16000', '-c', '1', '-t', 'f32', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4);
}

/** Generated grooves trained on beside the corpus (test/fixtures/audio/meter-grooves.ts, seed 11). */
const STYLES: Array<[MeterStyle, number[]]> = [
  ['swung-triple', [80, 100, 130]],
  ['offbeat-chords', [80, 110, 140]],
  ['six-eight', [55, 66]],
  ['offbeat-snare', [85, 115, 145]],
  ['disco', [95, 125]],
  ['syncopated-kick', [100, 135]],
];

export function devItems(): { corpus: Item[]; grooves: Item[]; evalDev: Item[] } {
  const corpus = loadCorpus()
    .filter((e) => e.split === 'dev')
    .map((ex) => {
      const original = variantOriginal(ex.piece);
      const source = reportGroup(ex);
      return { id: ex.id, source, fold: original ? reportGroup({ pkg: ex.pkg, piece: original }) : source, env: cached(path.basename(ex.wav, '.wav'), () => pcm16k(ex.wav)), refSec: ex.beats };
    });
  const grooves = STYLES.flatMap(([style, tempi]) =>
    tempi.map((bpm) => {
      const g = meterGroove({ style, bpm, durationSec: 24, seed: 11 });
      return { id: `groove-${style}-${bpm}`, source: 'grooves', fold: 'grooves', env: cached(`groove-${style}-${bpm}-s11`, () => g.pcm), refSec: g.beats };
    }),
  );
  const evalDev = ['t03_last_trip', 't07_techno_movement'].map((id) => {
    const dir = '/work/shared/eval-dev';
    const refSec = readFileSync(path.join(dir, `${id}.beats`), 'utf8').trim().split(/\s+/).map(Number);
    return { id, source: 'eval-dev', fold: 'eval-dev', env: cached(id, () => pcm16k(path.join(dir, `${id}.wav`))), refSec };
  });
  return { corpus, grooves, evalDev };
}

export function activationInput(e: Envelopes): ActivationInput {
  return { flux: e.flux, fluxHigh: e.fluxHigh, bands: [e.bass, e.mid, e.treble], spectrum: e.spectrum, chroma: e.chroma, spectrumDim: SPECTRUM_DIM, spectrumFrames: CHROMA_FRAMES };
}

export const frames = (sec: number[]) => sec.map((t) => t * FRAME_RATE);
