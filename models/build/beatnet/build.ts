/**
 * The shipped beat net (models/beatnet/beat-net.json, read by src/audio/beat-activation.ts):
 * trained on every DEV excerpt of the beat corpus plus the generated meter grooves (never the
 * held-out half), three seeds merged, with the settings the leave-one-line-out runs of loso.ts
 * were judged on. Same corpus and seeds, same bytes.
 *
 *   S2V_BEAT_CORPUS=… node bin/tsx-run.js models/build/beatnet/build.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BeatNet, BeatNetJson } from '../../../src/audio/beat-activation.js';
import { activationInput, devItems, frames, type Item } from './corpus.js';
import { trainEnsemble, trainingSet, type TrainExcerpt } from './train.js';

/** Channels (activationChannels), beats of context, hidden units per seed, epochs, seeds. */
export const SETTINGS = { channels: 27, context: 1, hidden: 12, epochs: 20, seeds: 3 };

export function asTrain(it: Item): TrainExcerpt {
  return { id: it.id, source: it.source, env: activationInput(it.env), beats: frames(it.refSec) };
}

export function train(items: Item[]): BeatNet {
  const data = trainingSet(items.map(asTrain), SETTINGS.channels, SETTINGS.context);
  return trainEnsemble(data, { hidden: SETTINGS.hidden, epochs: SETTINGS.epochs, seeds: SETTINGS.seeds });
}

export function toJson(net: BeatNet): BeatNetJson {
  const r = (v: Float32Array) => Array.from(v, (x) => Math.round(x * 1e5) / 1e5);
  return { context: net.context, channels: net.channels, inputs: net.inputs, hidden: net.hidden, w1: r(net.w1), b1: r(net.b1), w2: r(net.w2), b2: Math.round(net.b2 * 1e5) / 1e5 };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { corpus, grooves } = devItems();
  const net = train([...corpus, ...grooves]);
  const out = fileURLToPath(new URL('../../beatnet/beat-net.json', import.meta.url));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(toJson(net))}\n`);
  console.log(`beat net: ${corpus.length} dev excerpts + ${grooves.length} generated grooves → ${out}`);
}
