// headaudio's viseme classifier (@met4citizen/headaudio, MIT) run offline over mono 16 kHz PCM:
// 12 MFCCs every 16 ms scored against the Gaussian prototypes of its English model
// (dist/model-en-mixed.bin) by Mahalanobis distance, the distances turned into soft weights per
// video frame. Plain JavaScript (typed in viseme-classifier.d.mts) because it also runs in a
// worker thread (viseme-worker.mjs), where there is no TypeScript loader; visemes.ts re-exports it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Processor } from '@met4citizen/headaudio/modules/processor.mjs';

/** The Oculus viseme set, in the order of every weights row. */
export const VISEMES = ['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'I', 'O', 'U'];

/** headaudio's viseme ids 0..14 → our (Oculus) order. */
const FROM_HEADAUDIO = ['aa', 'E', 'I', 'O', 'U', 'PP', 'SS', 'TH', 'DD', 'FF', 'kk', 'nn', 'RR', 'CH', 'sil'];

let model;

/** headaudio's binary model: records of [phoneme, group, viseme | mu[12] | lower-triangular Σ⁻¹]. */
function loadModel() {
  if (model) return model;
  const file = path.join(path.dirname(createRequire(import.meta.url).resolve('@met4citizen/headaudio/package.json')), 'dist/model-en-mixed.bin');
  const buf = readFileSync(file);
  const bytes = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const recordFloats = 2 + 12 + (12 * 13) / 2;
  const out = [];
  for (let pos = 0; pos + recordFloats * 4 <= bytes.byteLength; pos += recordFloats * 4) {
    const header = new DataView(bytes, pos, 8);
    out.push({
      group: header.getUint8(5),
      viseme: header.getUint8(7),
      mu: new Float32Array(bytes, pos + 8, 12),
      sigmaInvLower: new Float32Array(bytes, pos + 8 + 48, 78),
    });
  }
  if (out.length === 0) throw new Error(`viseme model ${file} is empty`);
  return (model = out);
}

/**
 * Raw per-frame viseme weights [frames × 15] from the classifier (rows sum to 1; frames it never
 * scored are sil).
 * @param {Float32Array} pcm16k
 * @param {number} fps
 * @param {number} frames
 * @returns {Float32Array}
 */
export function classifyVisemes(pcm16k, fps, frames) {
  const K = VISEMES.length;
  const sums = new Float32Array(frames * K);
  const counts = new Float32Array(frames);
  const proto = [];
  const row = new Float32Array(K);
  const proc = new Processor(
    { sampleRate: 16000, processorOptions: { visemeEventsEnabled: true }, parameterData: { silMode: 0 } },
    {
      port: {
        onmessage: null,
        postMessage(m) {
          if (m.event !== 'viseme' || !m.distances || m.t === undefined) return;
          const i = Math.round(m.t * fps);
          if (i < 0 || i >= frames) return;
          // Soft weights: exp(−d/2) relative to the nearest prototype, summed per viseme.
          const d = m.distances;
          let best = Infinity;
          for (let p = 0; p < d.length; p++) best = Math.min(best, d[p]);
          row.fill(0);
          let total = 0;
          for (let p = 0; p < d.length; p++) {
            const w = Math.exp(-(d[p] - best) / 2);
            row[proto[p]] += w;
            total += w;
          }
          for (let k = 0; k < K; k++) sums[i * K + k] += row[k] / total;
          counts[i]++;
        },
      },
    },
  );
  proc._onmessage({ data: { event: 'model', model: loadModel(), reset: true } });
  for (const p of proc.classifier.prototypes) proto.push(VISEMES.indexOf(FROM_HEADAUDIO[p.viseme]));
  const block = 4096;
  for (let s = 0; s < pcm16k.length; s += block) proc.process(pcm16k.subarray(s, Math.min(pcm16k.length, s + block)));
  for (let i = 0; i < frames; i++) {
    if (counts[i] > 0) for (let k = 0; k < K; k++) sums[i * K + k] /= counts[i];
    else sums[i * K] = 1; // sil
  }
  return sums;
}
