/**
 * The learned phase fail-safe judged on the DEV half only, leaving one bench line out at a time:
 * for each line of the beat bench (a package; MMA's songs and each groove set apart) a net trained
 * without it (plus the generated grooves, as build.ts) scores that line's excerpts through the
 * analysis's own level and phase choice (chooseBeatLevel), against the same choice without the net.
 * The grooves and eval-dev are scored with the net trained on all dev excerpts (the shipped one's
 * material). Held-out excerpts are never read.
 *
 *   S2V_BEAT_CORPUS=… node bin/tsx-run.js models/build/beatnet/loso.ts
 */
import { beatFMeasure } from '../../../src/audio/beat-metrics.js';
import type { BeatNet } from '../../../src/audio/beat-activation.js';
import { CHROMA_FRAMES, FRAME_RATE, SPECTRUM_DIM } from '../../../src/audio/frame-analyzer.js';
import { chooseBeatLevel } from '../../../src/audio/metrical-level.js';
import { estimateTempo } from '../../../src/audio/tempo.js';
import { train } from './build.js';
import { devItems, type Item } from './corpus.js';

function beatsOf(it: Item, beatNet: BeatNet | null): number[] {
  const e = it.env;
  const periodAt = estimateTempo([e.flux, e.fluxLow], { rate: FRAME_RATE }).periodAt;
  const { beats } = chooseBeatLevel({ flux: e.flux, periodAt, bands: [e.bass, e.mid, e.treble], rate: FRAME_RATE, tightness: 3000, fluxHigh: e.fluxHigh, chroma: e.chroma, spectrum: e.spectrum, spectrumDim: SPECTRUM_DIM, spectrumFrames: CHROMA_FRAMES, beatNet });
  return beats.map((f) => Math.round((1000 * f) / FRAME_RATE) / 1000);
}

const summary = (fs: number[]) => `F ${(fs.reduce((a, b) => a + b, 0) / fs.length).toFixed(3)} F=0: ${fs.filter((f) => f === 0).length}`;

const { corpus, grooves, evalDev } = devItems();
const without: number[] = [];
const withNet: number[] = [];
for (const src of [...new Set(corpus.map((c) => c.source))].sort()) {
  const net = train([...corpus.filter((c) => c.source !== src), ...grooves]);
  const test = corpus.filter((c) => c.source === src);
  const a = test.map((it) => beatFMeasure(it.refSec, beatsOf(it, null)));
  const b = test.map((it) => beatFMeasure(it.refSec, beatsOf(it, net)));
  without.push(...a);
  withNet.push(...b);
  const changed = test.flatMap((it, i) => (a[i] !== b[i] ? [`${it.id} ${a[i]!.toFixed(2)}→${b[i]!.toFixed(2)}`] : []));
  console.log(`  ${src.padEnd(28)} (${test.length}) without ${summary(a)} | with ${summary(b)}${b.reduce((x, y) => x + y, 0) < a.reduce((x, y) => x + y, 0) - 1e-9 ? '  LOSES' : ''}  ${changed.join(', ')}`);
}
console.log(`dev (${corpus.length}), each line with a net trained without it: without ${summary(without)} | with ${summary(withNet)}`);
const all = train([...corpus, ...grooves]);
for (const [name, items] of [['grooves', grooves], ['eval-dev', evalDev]] as const) {
  const a = items.map((it) => beatFMeasure(it.refSec, beatsOf(it, null)));
  const b = items.map((it) => beatFMeasure(it.refSec, beatsOf(it, all)));
  console.log(`  ${name} (net on all dev): without ${summary(a)} | with ${summary(b)}  ${items.map((it, i) => `${it.id} ${a[i]!.toFixed(2)}→${b[i]!.toFixed(2)}`).filter((_, i) => a[i] !== b[i]).join(', ')}`);
}
