/**
 * `npm run bench -- performer`: the talking portrait's numbers, each taken in this one run.
 *  - face finders on the face fixtures (test/fixtures/images/faces.ts): detection rate, box IoU
 *    against the hand-read truth, false faces on faceless images, median time per image —
 *    the CNN (face-api's detector in onnxruntime, Haar-confirmed: the default), the CNN alone,
 *    and the Haar cascades (the fallback);
 *  - 512×512 @ 24 renders of espeak-ng speech with phoneme timings between silences
 *    (test/support/performer-run.ts) in two voices the bilabial detector never heard:
 *    upper-face steadiness, speech/silence mouth motion, opening vs phoneme openness, lips
 *    shut on p/b/m (no inside of the mouth showing), speed vs real time and vs pulse on the
 *    same audio (a ratio, so the machine's load cancels out as far as it can).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { AudioValue, Box, ImageValue, NodeContext } from '../../src/engine/index.js';
import { createServices } from '../../src/runtime/index.js';
import { detectFacesCnn } from '../../src/inference/face/cnn.js';
import { detectFace as detectFaceHaar } from '../../src/inference/face/index.js';
import { videoModelNode } from '../../nodes/video-model/video-model.node.js';
import { faceFixtures, iou, PORTRAIT } from '../fixtures/images/faces.js';
import { runPerformer } from '../support/performer-run.js';

const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;

export async function benchPerformer(): Promise<void> {
  const services = createServices({});
  const inference = services.inference;
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-performer-bench-'));
  console.log(`provider ${inference.executionProvider()}, ${os.availableParallelism()} cores, load average ${os.loadavg()[0]!.toFixed(1)} (numbers taken under that load)`);
  try {
    // ---- Face finders.
    const fixtures = await faceFixtures();
    const open = (file: 'detector.onnx' | 'landmarks.onnx') => inference.session('face-landmarks', file);
    const finders: Array<[string, (img: (typeof fixtures)[number]['img']) => Promise<Box[]>]> = [
      ['CNN + Haar check (default)', async (img) => (await inference.detectFaces!(img)).map((d) => d.face)],
      ['CNN alone', async (img) => (await detectFacesCnn(img, open)).map((f) => f.box)],
      ['Haar cascades (fallback)', async (img) => { const d = await detectFaceHaar(img); return d ? [d.face] : []; }],
    ];
    for (const [, find] of finders) await find(fixtures[0]!.img); // warm up: sessions, cascades, JIT
    const times = new Map<string, number[]>(finders.map(([n]) => [n, []]));
    const stats = new Map<string, { found: number; truth: number; ious: number[]; falseFaces: number }>(finders.map(([n]) => [n, { found: 0, truth: 0, ious: [], falseFaces: 0 }]));
    for (const f of fixtures) {
      for (const [name, find] of finders) {
        const t0 = performance.now();
        const boxes = await find(f.img);
        times.get(name)!.push(performance.now() - t0);
        const st = stats.get(name)!;
        const used = new Set<number>();
        for (const t of f.faces) {
          st.truth++;
          let best = -1, bestIou = 0;
          boxes.forEach((b, k) => { const v = iou(b, t); if (!used.has(k) && v > bestIou) { best = k; bestIou = v; } });
          if (best >= 0 && bestIou >= 0.3) { used.add(best); st.found++; st.ious.push(bestIou); }
        }
        st.falseFaces += boxes.length - used.size;
      }
    }
    console.log(`face finders on ${fixtures.length} images (${fixtures.reduce((n, f) => n + f.faces.length, 0)} faces, 2 without a face):`);
    for (const [name] of finders) {
      const st = stats.get(name)!;
      const meanIou = st.ious.reduce((a, b) => a + b, 0) / Math.max(1, st.ious.length);
      console.log(`  ${name.padEnd(28)} detected ${st.found}/${st.truth} (${pct(st.found / st.truth)}), mean IoU ${meanIou.toFixed(3)}, false faces ${st.falseFaces}, median ${median(times.get(name)!).toFixed(0)} ms/image`);
    }

    // ---- The render, in the default voice and in a second voice (both held out of the bilabial detector's training).
    for (const voice of ['en', 'en-us+f5']) {
      const vdir = path.join(tmp, voice);
      await fs.mkdir(vdir, { recursive: true });
      const run = await runPerformer(services, vdir, 512, 24, voice);
      console.log(`performer render, espeak-ng voice ${voice}, ${run.frames} frames (${run.durationSec.toFixed(1)} s of speech + silences), 512×512 @ 24:`);
      console.log(`  upper face > 15 grey levels from its median: ${pct(run.upperFaceOver15)} of frames (max ${run.upperFaceMax.toFixed(1)}) [≤ 1 %: ${mark(run.upperFaceOver15 <= 0.01)}]`);
      console.log(`  mouth motion speech ${run.motionSpeech.toFixed(2)} vs silence ${run.motionSilence.toFixed(2)} = ${(run.motionSpeech / Math.max(1e-6, run.motionSilence)).toFixed(1)}× [≥ 3×: ${mark(run.motionSpeech >= 3 * run.motionSilence)}]`);
      console.log(`  rendered opening (inner-mouth pixels) vs phoneme openness r = ${run.openingR.toFixed(3)} [≥ 0.5: ${mark(run.openingR >= 0.5)}]; median opening p/b/m ${pct(run.openingBilabial)} vs open vowels ${pct(run.openingOpenVowel)} of the mouth box`);
      console.log(`  lips shut (no inside of the mouth showing) on ${pct(run.closedOnBilabials)} of ${run.bilabialFrames} p/b/m frames (other speech frames: ${pct(run.closedOnOther)}) [≥ 80 %: ${mark(run.closedOnBilabials >= 0.8)}]`);
      console.log(`  mouth-box pixels changed from rest (head motion aligned away), median: p/b/m ${pct(run.changedBilabial)} (the lips pressing), silence ${pct(run.changedSilence)}`);
    }
    const wav = path.join(tmp, 'en', 'performer-speech.wav');

    // ---- Speed: the performer and pulse on the same audio and image, back to back.
    const probe = await services.media.probe(wav);
    const audio: AudioValue = { kind: 'audio', path: wav, durationSec: probe.durationSec, sampleRate: probe.audio!.sampleRate, channels: probe.audio!.channels };
    const features = await services.audio.analyze(audio, {});
    const image: ImageValue = { kind: 'image', path: PORTRAIT, width: 512, height: 600 };
    const timeModel = async (model: string) => {
      let n = 0;
      const ctx = {
        nodeId: 'model', nodeType: 'video-model', signal: new AbortController().signal, services,
        progress: () => undefined, warn: () => undefined, log: () => undefined, doNotCache: () => undefined,
        artifactDir: async () => { const d = path.join(tmp, `speed-${model}-${n++}`); await fs.mkdir(d, { recursive: true }); return d; },
      } as unknown as NodeContext;
      const t0 = performance.now();
      await videoModelNode.evaluate({ inputs: { image, audio, features, prompt: '' }, params: videoModelNode.params.parse({ model, width: 512, height: 512, fps: 24 }), ctx });
      return (performance.now() - t0) / 1000;
    };
    const perf: number[] = [], pulse: number[] = [];
    for (let r = 0; r < 2; r++) {
      pulse.push(await timeModel('pulse'));
      perf.push(await timeModel('performer'));
    }
    const p = Math.min(...perf), q = Math.min(...pulse);
    console.log(`  speed (best of 2, load ${os.loadavg()[0]!.toFixed(1)}): performer ${p.toFixed(1)} s = ${(audio.durationSec / p).toFixed(2)}× real time, pulse ${q.toFixed(1)} s = ${(audio.durationSec / q).toFixed(2)}×; performer costs ${(p / q).toFixed(2)}× pulse [≥ 1.5× real time: ${mark(audio.durationSec / p >= 1.5)} under this load]`);
  } finally {
    await (inference as unknown as { dispose?: () => Promise<void> }).dispose?.();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
