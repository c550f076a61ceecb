/**
 * The learned phase fail-safe judged on the DEV half only, leaving one bench line out at a time:
 * for each line of the beat bench (a package; MMA's songs and each groove set apart) a net trained
 * without it (plus the generated grooves, as build.ts) scores that line's excerpts through the
 * analysis's own level and phase choice (chooseBeatLevel), against the same choice without the net.
 * A tempo variant of a groove (the fifth groove set) is left out with its original's line: the net
 * that scores a line has heard none of its grooves at any tempo, and the fifth set's own line is
 * scored, variant by variant, by the net of its original's fold (trained without that line and
 * without every variant of its grooves).
 * The grooves and eval-dev are scored with the net trained on all dev excerpts (the shipped one's
 * material). Held-out excerpts are never read. Each fold's net is kept under the system's temp folder,
 * named by a hash of what it is trained from (the training code, its settings and the fold's envelopes
 * and beats), so a second run that changes only the tracker's decisions takes seconds, not minutes.
 * The excerpts still at F = 0 are listed at the end.
 *
 *   S2V_BEAT_CORPUS=… node bin/tsx-run.js models/build/beatnet/loso.ts
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beatFMeasure } from '../../../src/audio/beat-metrics.js';
import { beatNetFromJson, type BeatNet, type BeatNetJson } from '../../../src/audio/beat-activation.js';
import { CHROMA_FRAMES, FRAME_RATE, SPECTRUM_DIM } from '../../../src/audio/frame-analyzer.js';
import { chooseBeatLevel } from '../../../src/audio/metrical-level.js';
import { estimateTempo } from '../../../src/audio/tempo.js';
import { SETTINGS, toJson, train } from './build.js';
import { devItems, type Item } from './corpus.js';

function beatsOf(it: Item, beatNet: BeatNet | null): number[] {
  const e = it.env;
  const periodAt = estimateTempo([e.flux, e.fluxLow], { rate: FRAME_RATE }).periodAt;
  const { beats } = chooseBeatLevel({ flux: e.flux, periodAt, bands: [e.bass, e.mid, e.treble], rate: FRAME_RATE, tightness: 3000, fluxHigh: e.fluxHigh, chroma: e.chroma, spectrum: e.spectrum, spectrumDim: SPECTRUM_DIM, spectrumFrames: CHROMA_FRAMES, beatNet });
  return beats.map((f) => Math.round((1000 * f) / FRAME_RATE) / 1000);
}

const CACHE = path.join(os.tmpdir(), 's2v-beatnet-loso');
const here = path.dirname(fileURLToPath(import.meta.url));
const CODE = ['train.ts', 'build.ts', 'corpus.ts', '../../../src/audio/beat-activation.ts'].map((f) => readFileSync(path.join(here, f)));

/** train(items), or the net a previous run trained from the same code, settings and items. */
function cachedTrain(items: Item[]): BeatNet {
  const h = createHash('sha256').update(JSON.stringify(SETTINGS));
  for (const c of CODE) h.update(c);
  for (const it of items) {
    h.update(it.id).update(Float64Array.from(it.refSec));
    for (const v of Object.values(it.env)) h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  }
  const file = path.join(CACHE, `${h.digest('hex').slice(0, 24)}.json`);
  if (existsSync(file)) return beatNetFromJson(JSON.parse(readFileSync(file, 'utf8')) as BeatNetJson);
  const net = train(items);
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(file, JSON.stringify(toJson(net)));
  return beatNetFromJson(toJson(net));
}

const summary = (fs: number[]) => `F ${(fs.reduce((a, b) => a + b, 0) / fs.length).toFixed(3)} F=0: ${fs.filter((f) => f === 0).length}`;

const { corpus, grooves, evalDev } = devItems();
// One net per fold: a line with the tempo variants of its grooves (corpus.ts Item.fold), trained on everything else.
const scores = new Map<Item, [number, number]>();
for (const fold of [...new Set(corpus.map((c) => c.fold))].sort()) {
  const net = cachedTrain([...corpus.filter((c) => c.fold !== fold), ...grooves]);
  for (const it of corpus.filter((c) => c.fold === fold)) scores.set(it, [beatFMeasure(it.refSec, beatsOf(it, null)), beatFMeasure(it.refSec, beatsOf(it, net))]);
}
const without: number[] = [];
const withNet: number[] = [];
const zeros: string[] = [];
for (const src of [...new Set(corpus.map((c) => c.source))].sort()) {
  const test = corpus.filter((c) => c.source === src);
  const a = test.map((it) => scores.get(it)![0]);
  const b = test.map((it) => scores.get(it)![1]);
  without.push(...a);
  withNet.push(...b);
  zeros.push(...test.filter((_, i) => b[i] === 0).map((it) => it.id));
  const changed = test.flatMap((it, i) => (a[i] !== b[i] ? [`${it.id} ${a[i]!.toFixed(2)}→${b[i]!.toFixed(2)}`] : []));
  console.log(`  ${src.padEnd(28)} (${test.length}) without ${summary(a)} | with ${summary(b)}${b.reduce((x, y) => x + y, 0) < a.reduce((x, y) => x + y, 0) - 1e-9 ? '  LOSES' : ''}  ${changed.join(', ')}`);
}
console.log(`dev (${corpus.length}), each line (with its grooves' tempo variants) scored by a net trained without it: without ${summary(without)} | with ${summary(withNet)}`);
console.log(`  at F = 0 with the net: ${zeros.join(', ')}`);
const all = cachedTrain([...corpus, ...grooves]);
for (const [name, items] of [['grooves', grooves], ['eval-dev', evalDev]] as const) {
  const a = items.map((it) => beatFMeasure(it.refSec, beatsOf(it, null)));
  const b = items.map((it) => beatFMeasure(it.refSec, beatsOf(it, all)));
  console.log(`  ${name} (net on all dev): without ${summary(a)} | with ${summary(b)}  ${items.map((it, i) => `${it.id} ${a[i]!.toFixed(2)}→${b[i]!.toFixed(2)}`).filter((_, i) => a[i] !== b[i]).join(', ')}`);
}
