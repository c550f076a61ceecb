/**
 * Builds graphs/assets/demo-beat.wav: 20 s of a 120 BPM drum-and-bass groove, synthesized
 * here (no samples) so the demo's soundtrack is ours to redistribute.
 * Run: node bin/tsx-run.js graphs/assets/make-demo-beat.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav } from '../../src/media/audio.js';

const SR = 44100;
const BPM = 120;
const SECONDS = 20;
const beat = 60 / BPM;
// The groove starts after a short pad lead-in, so the file does not open on a hard kick.
const LEAD_IN = 0.5;
const out = new Float32Array(SR * SECONDS);

// Deterministic noise (xorshift) so the file is byte-identical on every build.
let seed = 0x9e3779b9;
function noise(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return ((seed >>> 0) / 0xffffffff) * 2 - 1;
}

function add(start: number, len: number, fn: (t: number) => number): void {
  const s0 = Math.round(start * SR);
  const n = Math.min(Math.round(len * SR), out.length - s0);
  for (let i = 0; i < n; i++) out[s0 + i]! += fn(i / SR);
}

const kick = (t: number) => Math.sin(2 * Math.PI * (50 * t + (110 / 18) * (1 - Math.exp(-18 * t)))) * Math.exp(-7 * t) * 0.9;
const snare = (t: number) => (noise() * 0.6 + Math.sin(2 * Math.PI * 190 * t) * 0.4) * Math.exp(-16 * t) * 0.5;
let hp = 0;
const hat = (t: number) => {
  const n = noise();
  const y = n - hp;
  hp = n;
  return y * Math.exp(-60 * t) * 0.18;
};
const bassNotes = [55, 55, 65.41, 49];
const beats = Math.floor((SECONDS - LEAD_IN) / beat);
for (let b = 0; b < beats; b++) {
  const t = LEAD_IN + b * beat;
  const bar = Math.floor(b / 4);
  add(t, 0.5, kick);
  if (b % 4 === 1 || b % 4 === 3) add(t, 0.3, snare);
  add(t + beat / 2, 0.08, hat);
  add(t, 0.08, hat);
  const f = bassNotes[bar % bassNotes.length]!;
  add(t + beat / 2, beat / 2, (x) => Math.sign(Math.sin(2 * Math.PI * f * x)) * 0.12 * Math.exp(-4 * x));
}
// Pad chord swelling every 4 bars, so there is harmonic content to glow with.
for (let i = 0; i < out.length; i++) {
  const t = i / SR;
  const swell = 0.5 - 0.5 * Math.cos((2 * Math.PI * t) / (16 * beat));
  out[i]! += 0.05 * swell * (Math.sin(2 * Math.PI * 220 * t) + Math.sin(2 * Math.PI * 277.18 * t) + Math.sin(2 * Math.PI * 329.63 * t));
}
// Fades so the file neither starts nor ends with a click.
const fadeIn = Math.round(LEAD_IN * SR);
const fadeOut = Math.round(0.5 * SR);
for (let i = 0; i < fadeIn; i++) out[i]! *= i / fadeIn;
for (let i = 0; i < fadeOut; i++) out[out.length - 1 - i]! *= i / fadeOut;
let peak = 0;
for (const v of out) peak = Math.max(peak, Math.abs(v));
const gain = 0.89 / peak;

for (let i = 0; i < out.length; i++) out[i]! *= gain;
const dest = path.join(path.dirname(fileURLToPath(import.meta.url)), 'demo-beat.wav');
fs.writeFileSync(`${dest}.tmp`, encodeWav(out, SR, 1));
fs.renameSync(`${dest}.tmp`, dest);
console.log(`wrote ${dest} (${SECONDS} s, ${BPM} BPM)`);
