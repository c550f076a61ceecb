/**
 * The `bilabial` model folder: a small network that hears when the lips are shut for p, b or m,
 * trained here from speech espeak-ng synthesises with phoneme timings (corpus.ts), on the
 * features the app computes at run time (src/audio/bilabial-features.ts), and written as ONNX
 * by our own writer. `npm run build:models` runs it (needs python3 and libespeak-ng, a few
 * minutes); the same corpus and seed give the same bytes.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BILABIAL_CONTEXT, BILABIAL_DIM, BILABIAL_RATE, logMelFrames, stackContext } from '../../../src/audio/bilabial-features.js';
import { createMediaService } from '../../../src/media/index.js';
import { GraphBuilder } from '../graph-builder.js';
import { trainingCorpus, TRAIN_VOICES, type Utterance } from './corpus.js';
import { isBilabial, makePhonemeSpeech } from './espeak.js';
import { trainMlp, type Mlp } from './train.js';

export const BILABIAL_MODEL_ID = 'bilabial';
const VERSION = '1.0.0';
/** Training strings per voice, and the network's size and schedule. */
const PER_VOICE = 30;
const TRAIN = { hidden: 32, epochs: 8, batch: 64, learningRate: 2e-3, positiveWeight: 3, seed: 7, decay: 1e-4 };

/** Features and 0/1 labels (the phoneme sounding in each 10-ms frame is p, b or m) of every utterance. */
export async function corpusFeatures(corpus: Utterance[], dir: string, log: (s: string) => void = () => undefined): Promise<{ x: Float32Array; y: Uint8Array }> {
  const media = createMediaService();
  const xs: Float32Array[] = [];
  const ys: Uint8Array[] = [];
  for (const [k, u] of corpus.entries()) {
    const s = makePhonemeSpeech(dir, u.text, `u${k}.wav`, u.wpm, u.voice);
    const mel = logMelFrames(await media.decodeAudio(s.path, { sampleRate: 16000, channels: 1 }));
    const y = new Uint8Array(mel.frames);
    for (let f = 0, p = -1; f < mel.frames; f++) {
      while (p + 1 < s.phonemes.length && s.phonemes[p + 1]!.t <= f / BILABIAL_RATE) p++;
      y[f] = p >= 0 && isBilabial(s.phonemes[p]!.phoneme) ? 1 : 0;
    }
    xs.push(stackContext(mel));
    ys.push(y);
    if ((k + 1) % 40 === 0) log(`  spoke ${k + 1}/${corpus.length}`);
  }
  const n = ys.reduce((a, y) => a + y.length, 0);
  const x = new Float32Array(n * BILABIAL_DIM);
  const y = new Uint8Array(n);
  for (let i = 0, o = 0; i < ys.length; o += ys[i]!.length, i++) {
    x.set(xs[i]!, o * BILABIAL_DIM);
    y.set(ys[i]!, o);
  }
  return { x, y };
}

/** features [N, BILABIAL_DIM] → bilabial [N, 1] (probability the lips are shut for p/b/m). */
export function mlpToOnnx(m: Mlp): Uint8Array {
  const g = new GraphBuilder('bilabial');
  const x = g.input('features', 'FLOAT', ['N', m.inputs]);
  const h = g.relu(g.op('Gemm', [x, g.f(Array.from(m.w1), [m.hidden, m.inputs]), g.f(Array.from(m.b1), [m.hidden])], { transB: 1 }));
  const z = g.op('Gemm', [h, g.f(Array.from(m.w2), [1, m.hidden]), g.f(Array.from(m.b2), [1])], { transB: 1 });
  g.output(g.op('Sigmoid', [z]), 'bilabial', 'FLOAT', ['N', 1]);
  return g.encode(`lips shut for p/b/m: ${m.inputs} inputs (${BILABIAL_CONTEXT.length} frames of log-mel) → ${m.hidden} ReLU → sigmoid`, {
    's2v.model': BILABIAL_MODEL_ID, 's2v.version': VERSION, source: `trained by models/build/bilabial on espeak-ng speech (${TRAIN_VOICES.join(', ')})`,
  });
}

export interface BuiltBilabialModel {
  id: string;
  files: Array<{ name: string; bytes: Uint8Array }>;
  manifest: Record<string, unknown>;
}

export async function buildBilabialModel(log: (s: string) => void = () => undefined): Promise<BuiltBilabialModel> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-bilabial-'));
  try {
    const corpus = trainingCorpus(PER_VOICE);
    log(`bilabial: speaking ${corpus.length} training strings in ${TRAIN_VOICES.length} voices`);
    const { x, y } = await corpusFeatures(corpus, dir, log);
    log(`bilabial: ${(y.length / BILABIAL_RATE / 60).toFixed(1)} min of speech, ${((100 * y.reduce((a, b) => a + b, 0)) / y.length).toFixed(1)} % p/b/m frames; training`);
    const mlp = trainMlp(x, y, BILABIAL_DIM, { ...TRAIN, log: (s) => log(`  ${s}`) });
    const bytes = mlpToOnnx(mlp);
    const files = [{ name: 'bilabial.onnx', bytes }];
    const manifest = {
      id: BILABIAL_MODEL_ID,
      title: 'Bilabial closure (p, b, m)',
      version: VERSION,
      kind: 'audio',
      requiresImage: false,
      features: [],
      defaults: { width: 1, height: 1, fps: BILABIAL_RATE },
      files: files.map((f) => ({ name: f.name, sha256: createHash('sha256').update(f.bytes).digest('hex'), bytes: f.bytes.length })),
      license: 'MIT',
      description: 'Hears when the lips are shut for p, b or m from log-mel spectra in context; trained in this repo on espeak-ng speech with phoneme timings. Closes the performer\u2019s lips.',
    };
    return { id: BILABIAL_MODEL_ID, files, manifest };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
