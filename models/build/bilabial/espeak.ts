/**
 * Speech with known phoneme timings: libespeak-ng speaks the text and reports when each
 * phoneme starts (espeak-phonemes.py). The bilabial detector is trained on it, and the lip-sync
 * tests use it to know which frames are a "p" and which an open "ah".
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./espeak-phonemes.py', import.meta.url));

export interface PhonemeSpeech {
  path: string;
  sampleRate: number;
  durationSec: number;
  /** espeak-ng phoneme mnemonics with their start times (s). */
  phonemes: Array<{ t: number; phoneme: string }>;
}

/** `voice`: an espeak-ng voice, optionally with a variant ("en-us+f2"); "en" is the one users hear by default. */
export function makePhonemeSpeech(dir: string, text: string, name = 'phonemes.wav', wpm = 150, voice = 'en'): PhonemeSpeech {
  const wav = path.join(dir, name);
  const json = path.join(dir, `${name}.json`);
  execFileSync('python3', [SCRIPT, wav, json, text, String(wpm), voice]);
  const info = JSON.parse(readFileSync(json, 'utf8')) as Omit<PhonemeSpeech, 'path'>;
  return { path: wav, ...info };
}

/** The bilabials p, b, m (stress marks ignored): the phonemes whose lips must meet. */
export function isBilabial(phoneme: string): boolean {
  return ['p', 'b', 'm'].includes(phoneme.replace(/['",]/g, ''));
}
