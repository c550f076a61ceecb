/**
 * Video-model numbers on /work/shared/eval-dev (real music, a real portrait), through the
 * Video Model node on real services:
 *  - pulse: beat alignment (target ≥ 0.6) and lag-0 motion/onset correlation (≥ 0.4), as
 *    the node reports them (analysed beats) and against the ground-truth beat files;
 *  - drift: mean motion energy ≤ 1/3 of pulse's on the same track;
 *  - performer: mouth-box motion during speech ≥ 3× during silence (espeak-ng speech);
 *  - speed: 512×512@24 end to end (analysis + inference + encode) vs real time (≥ 1.5×)
 *    and vs ffmpeg alone encoding the same number of frames;
 *  - peak RSS for a 10-minute vs a 1-minute track (each in a fresh process; < 800 MB, ≈ equal).
 * Usage: npm run bench -- models   (S2V_BENCH_QUICK=1 skips the 10-minute render)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AudioValue, FeaturesValue, ImageValue, Services, VideoEncoder, Box } from '../../src/engine/index.js';
import { createServices } from '../../src/runtime/index.js';
import { ffmpegEncodeOnly } from '../../src/media/index.js';
import { videoModelNode } from '../../nodes/video-model/video-model.node.js';
import { MotionMeter, beatAlignment, motionPeaks, pearson } from '../../nodes/video-model/sync.js';
import { makeSpeech } from '../fixtures/audio/speech.js';
import { FFMPEG } from '../support/ffmpeg.js';
import { recordingContext } from '../support/node-context.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EVAL = '/work/shared/eval-dev';
const SIZE = 512;
const FPS = 24;

interface Capture {
  energy?: Float32Array;
  /** Per-frame mean |Δ| inside a pixel box. */
  boxMotion?: number[];
}

/** Services whose encoder also measures what it is given (the real encoder still runs). */
function measuring(services: Services, cap: Capture, box?: Box): Services {
  const media = { ...services.media };
  media.encodeVideo = async (o) => {
    const enc = await services.media.encodeVideo(o);
    const meter = new MotionMeter(o.width, o.height, o.frames);
    cap.energy = meter.energy;
    cap.boxMotion = [];
    let prev: Uint8Array | undefined;
    const wrapped: VideoEncoder = {
      async write(frame) {
        meter.push(frame);
        if (box) {
          const cur = new Uint8Array(box.w * box.h * 3);
          for (let y = 0; y < box.h; y++) cur.set(frame.subarray(((box.y + y) * o.width + box.x) * 3, ((box.y + y) * o.width + box.x + box.w) * 3), y * box.w * 3);
          if (prev) {
            let s = 0;
            for (let i = 0; i < cur.length; i++) s += Math.abs(cur[i]! - prev[i]!);
            cap.boxMotion!.push(s / cur.length);
          } else cap.boxMotion!.push(0);
          prev = cur;
        }
        return enc.write(frame);
      },
      finish: () => enc.finish(),
      abort: () => enc.abort(),
    };
    return wrapped;
  };
  return { ...services, media };
}

async function audioValue(services: Services, file: string): Promise<AudioValue> {
  const p = await services.media.probe(file);
  return { kind: 'audio', path: file, durationSec: p.durationSec, sampleRate: p.audio!.sampleRate, channels: p.audio!.channels };
}

async function render(services: Services, dir: string, model: string, audio: AudioValue, features: FeaturesValue, image?: ImageValue, prompt = '') {
  const { ctx, warnings } = recordingContext({ services, nodeId: 'model', nodeType: 'video-model', dir });
  const params = videoModelNode.params.parse({ model, width: SIZE, height: SIZE, fps: FPS });
  const t0 = performance.now();
  const { video } = await videoModelNode.evaluate({ inputs: { image, audio, features, prompt }, params, ctx });
  return { video, seconds: (performance.now() - t0) / 1000, warnings };
}

/**
 * CPU seconds used so far by this process (all threads) and its finished children (ffmpeg).
 * On a shared machine wall time mostly measures the neighbours; CPU time shows what the
 * render itself costs, so the bench prints both.
 */
function cpuSeconds(): number {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  }
}

const mean = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0) / Math.max(1, a.length);
const f3 = (x: number) => x.toFixed(3);
const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');

/** Child mode: render one track and print peak RSS (a fresh process per measurement). */
async function rssChild(wav: string): Promise<void> {
  const services = createServices({});
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-rss-'));
  try {
    const audio = await audioValue(services, wav);
    const features = await services.audio.analyze(audio, {});
    const image: ImageValue = { kind: 'image', path: path.join(EVAL, 'face_grace_hopper.jpg'), width: 512, height: 600 };
    const r = await render(services, dir, 'pulse', audio, features, image);
    process.stdout.write(`${JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024, seconds: r.seconds, duration: audio.durationSec })}\n`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function peakRss(wav: string): { maxRssMB: number; seconds: number; duration: number } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/tsx-run.js'), fileURLToPath(import.meta.url), wav], {
    env: { ...process.env, S2V_MODELS_BENCH_CHILD: '1' }, encoding: 'utf8', maxBuffer: 1 << 20,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`rss child failed: ${r.stderr.split('\n').slice(-3).join(' ')}`);
  return JSON.parse(line);
}

function readTimes(file: string): number[] {
  return readFileSync(file, 'utf8').split('\n').map(Number).filter((x) => Number.isFinite(x) && x > 0);
}

export async function benchModels(): Promise<void> {
  if (!existsSync(EVAL)) {
    console.log(`models: ${EVAL} not present; skipped`);
    return;
  }
  const services = createServices({});
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-models-bench-'));
  console.log(`provider ${services.inference.executionProvider()}, ${os.availableParallelism()} cores, ${SIZE}×${SIZE}@${FPS}`);
  try {
    const image: ImageValue = { kind: 'image', path: path.join(EVAL, 'face_grace_hopper.jpg'), width: 512, height: 600 };
    for (const id of ['t07_techno_movement', 't03_last_trip']) {
      const audio = await audioValue(services, path.join(EVAL, `${id}.wav`));
      const cpu0 = cpuSeconds();
      const t0 = performance.now();
      const features = await services.audio.analyze(audio, {});
      const analysis = (performance.now() - t0) / 1000;
      const cap: Capture = {};
      const r = await render(measuring(services, cap), tmp, 'pulse', audio, features, image);
      const total = analysis + r.seconds;
      const cpu = cpuSeconds() - cpu0;
      const truth = readTimes(path.join(EVAL, `${id}.beats`)).filter((b) => b >= 5 && b < audio.durationSec);
      const gtAlign = beatAlignment(truth, motionPeaks(cap.energy!, FPS));
      const s = r.video.sync!;
      console.log(`pulse ${id}: beat alignment ${f3(s.beatAlignment)} (analysed beats) / ${f3(gtAlign)} (ground truth, ≥ 5 s) [target ≥ 0.6: ${mark(s.beatAlignment >= 0.6)}]; onset correlation ${f3(s.onsetCorrelation)} [≥ 0.4: ${mark(s.onsetCorrelation >= 0.4)}]`);
      console.log(`  speed: analysis ${analysis.toFixed(1)} s + render ${r.seconds.toFixed(1)} s for ${audio.durationSec.toFixed(1)} s → ${(audio.durationSec / total).toFixed(2)}× real time end to end [≥ 1.5×: ${mark(audio.durationSec / total >= 1.5)}], render alone ${(r.video.frames / r.seconds).toFixed(1)} fps (load average ${os.loadavg()[0]!.toFixed(1)})`);
      const cores = os.availableParallelism();
      console.log(`  cpu: ${cpu.toFixed(1)} s (node + ffmpeg) for ${audio.durationSec.toFixed(1)} s → at most ${(audio.durationSec / (cpu / cores)).toFixed(2)}× real time on ${cores} idle cores`);
      if (id === 't07_techno_movement') {
        const enc = await ffmpegEncodeOnly({ width: SIZE, height: SIZE, fps: FPS, frames: r.video.frames });
        console.log(`  ffmpeg alone encoding the same ${r.video.frames} frames: ${enc.seconds.toFixed(1)} s → our render is ${(r.seconds / enc.seconds).toFixed(2)}× ffmpeg alone`);
        const dcap: Capture = {};
        await render(measuring(services, dcap), tmp, 'drift', audio, features, image);
        const ratio = mean(dcap.energy!) / mean(cap.energy!);
        console.log(`drift vs pulse mean motion energy: ${f3(mean(dcap.energy!))} / ${f3(mean(cap.energy!))} = ${f3(ratio)} [≤ 0.333: ${mark(ratio <= 1 / 3)}]`);
        const corr = pearson(cap.energy!, services.audio.curvesAtFps(features, FPS, r.video.frames).onset ?? []);
        console.log(`  (check) pulse energy/onset correlation recomputed from the encoder's frames: ${f3(corr)}`);
      }
    }

    // Performer on speech with known silences.
    const sp = makeSpeech(tmp, [1.0, 'Hello there, this is a test of lip sync.', 1.5, 'Sound goes in and the mouth follows every word.', 1.5, 'Thank you.', 1.0]);
    const speechAudio = await audioValue(services, sp.path);
    const speechFeatures = await services.audio.analyze(speechAudio, {});
    const rgb = await services.media.decodeImage(image.path, { width: SIZE, height: SIZE, fit: 'fill' });
    const face = await services.inference.detectFace(rgb);
    if (!face) throw new Error('no face found in the eval portrait');
    const pcap: Capture = {};
    const pr = await render(measuring(services, pcap, face.mouth), tmp, 'performer', speechAudio, speechFeatures, image);
    const inSpans = (spans: Array<[number, number]>) => pcap.boxMotion!.filter((_, i) => spans.some(([a, b]) => i / FPS >= a + 0.1 && i / FPS < b - 0.1));
    const talk = mean(inSpans(sp.speech));
    const quiet = mean(inSpans(sp.silences));
    console.log(`performer mouth-box motion: speech ${f3(talk)} vs silence ${f3(quiet)} = ${(talk / Math.max(quiet, 1e-6)).toFixed(1)}× [≥ 3×: ${mark(talk >= 3 * quiet)}] (mouth box ${face.mouth.w}×${face.mouth.h} px; warnings: ${pr.warnings.join('; ') || 'none'})`);

    // Memory: a 1-minute and a 10-minute track, each in a fresh process.
    const one = path.join(tmp, 'one-minute.wav');
    const ten = path.join(tmp, 'ten-minutes.wav');
    const loop = (out: string, sec: number) => execFileSync(FFMPEG, ['-v', 'error', '-y', '-stream_loop', '-1', '-i', path.join(EVAL, 't07_techno_movement.wav'), '-t', String(sec), out]);
    loop(one, 60);
    const a = peakRss(one);
    console.log(`peak RSS, 1-minute track: ${a.maxRssMB.toFixed(0)} MB (render ${a.seconds.toFixed(1)} s)`);
    if (!process.env.S2V_BENCH_QUICK) {
      loop(ten, 600);
      const b = peakRss(ten);
      console.log(`peak RSS, 10-minute track: ${b.maxRssMB.toFixed(0)} MB (render ${b.seconds.toFixed(1)} s, ${(b.duration / b.seconds).toFixed(2)}× real time) [< 800 MB: ${mark(b.maxRssMB < 800)}; 10 min / 1 min = ${(b.maxRssMB / a.maxRssMB).toFixed(2)}]`);
    }
  } finally {
    await (services.inference as unknown as { dispose?: () => Promise<void> }).dispose?.();
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

if (process.env.S2V_MODELS_BENCH_CHILD) {
  await rssChild(process.argv[2]!);
} else if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await benchModels();
}
