/**
 * What the Video Model node promises, checked on the frames it hands the encoder (real
 * ffmpeg, audio analysis with Silero VAD, onnxruntime): the frame count is rounded, not
 * floored; the prompt reaches the picture (noir is grey, ocean is blue, fire is red); the
 * performer's mouth moves with the voice and rests in the pauses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AudioValue, FeaturesValue, ImageValue, NodeContext, Services, VideoEncoder } from '../../src/engine/index.js';
import { createServices } from '../../src/runtime/index.js';
import { drumPattern } from '../../test/fixtures/audio/synth.js';
import { makeSpeech } from '../../test/fixtures/audio/speech.js';
import { videoModelNode } from './video-model.node.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const image: ImageValue = { kind: 'image', path: path.resolve(here, '../../test/fixtures/images/face_grace_hopper.jpg'), width: 512, height: 600 };
let tmp: string;
let services: Services;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-vm-contract-'));
  services = createServices({ provider: 'cpu' });
});
afterAll(async () => {
  await (services?.inference as unknown as { dispose?: () => Promise<void> })?.dispose?.();
  await fs.rm(tmp, { recursive: true, force: true });
});

async function beatAudio(durationSec: number, name: string): Promise<{ audio: AudioValue; features: FeaturesValue }> {
  const beat = drumPattern({ bpm: 120, durationSec, sampleRate: 16000 });
  const wav = path.join(tmp, name);
  await services.media.writeWav(wav, beat.pcm, beat.sampleRate, 1);
  const audio: AudioValue = { kind: 'audio', path: wav, durationSec: beat.pcm.length / beat.sampleRate, sampleRate: beat.sampleRate, channels: 1 };
  return { audio, features: await services.audio.analyze(audio, {}) };
}

/** Runs the node and keeps a copy of every frame it writes to the encoder. */
async function render(inputs: { image?: ImageValue; audio: AudioValue; features: FeaturesValue; prompt?: string }, over: Record<string, unknown>, opts: { noVisemes?: boolean } = {}) {
  const frames: Uint8Array[] = [];
  // Without a viseme model the performer's jaw follows the analysis' `mouth` curve.
  const audioService = opts.noVisemes ? Object.assign(Object.create(services.audio) as Services['audio'], { visemes: undefined }) : services.audio;
  const media = Object.create(services.media) as Services['media'];
  media.encodeVideo = async (o) => {
    const enc = await services.media.encodeVideo(o);
    const capture: VideoEncoder = { write: (f) => (frames.push(Uint8Array.from(f)), enc.write(f)), finish: () => enc.finish(), abort: () => enc.abort() };
    return capture;
  };
  const warnings: string[] = [];
  let n = 0;
  const ctx: NodeContext = {
    nodeId: 'model', nodeType: 'video-model', signal: new AbortController().signal,
    progress: () => undefined, warn: (m) => warnings.push(m), log: () => undefined, doNotCache: () => undefined,
    artifactDir: async () => {
      const d = path.join(tmp, `art-${n++}-${Math.random().toString(36).slice(2)}`);
      await fs.mkdir(d, { recursive: true });
      return d;
    },
    services: { ...services, media, audio: audioService },
  };
  const params = videoModelNode.params.parse({ width: 64, height: 64, fps: 8, ...over });
  const { video } = await videoModelNode.evaluate({ inputs: { image: undefined, prompt: undefined, ...inputs }, params, ctx });
  return { video, frames, warnings, width: params.width, height: params.height };
}

/** Mean R, G, B and chroma (mean |R−G| + |G−B| + |B−R|, / 3) over all frames. */
function colour(frames: Uint8Array[]) {
  let r = 0, g = 0, b = 0, c = 0, n = 0;
  for (const f of frames) {
    for (let i = 0; i < f.length; i += 3) {
      r += f[i]!; g += f[i + 1]!; b += f[i + 2]!;
      c += (Math.abs(f[i]! - f[i + 1]!) + Math.abs(f[i + 1]! - f[i + 2]!) + Math.abs(f[i + 2]! - f[i]!)) / 3;
      n++;
    }
  }
  return { r: r / n, g: g / n, b: b / n, chroma: c / n };
}

describe('video-model node contract', () => {
  it('frame count is round(duration × fps), not floor: 2.03 s at 24 fps is 49 frames, audio as long', async () => {
    const { audio, features } = await beatAudio(2.03, 'beat-2.03.wav');
    expect(audio.durationSec * 24).toBeCloseTo(48.72, 6); // floor would give 48
    const { video, frames } = await render({ audio, features }, { model: 'a2v', width: 32, height: 32, fps: 24 });
    expect(video.frames).toBe(49);
    expect(frames).toHaveLength(49);
    expect(video.durationSec).toBeCloseTo(49 / 24, 6);
    const probe = await services.media.probe(video.path);
    expect(probe.video!.durationSec).toBeCloseTo(49 / 24, 2);
    expect(probe.audio!.durationSec).toBeCloseTo(49 / 24, 1);
  }, 120_000);

  it('the prompt reaches the picture: "noir" renders the colour portrait grey', async () => {
    const { audio, features } = await beatAudio(1, 'beat-1.wav');
    const plain = colour((await render({ image, audio, features, prompt: '' }, { model: 'pulse' })).frames);
    const noir = colour((await render({ image, audio, features, prompt: 'noir' }, { model: 'pulse' })).frames);
    expect(plain.chroma, 'the portrait has colour without a prompt').toBeGreaterThan(8);
    expect(noir.chroma, 'noir sets saturation 0').toBeLessThan(plain.chroma / 4);
  }, 120_000);

  it('the prompt’s palette reaches the picture: a2v "ocean" is blue, "fire" is red', async () => {
    const { audio, features } = await beatAudio(1, 'beat-1b.wav');
    const ocean = colour((await render({ audio, features, prompt: 'ocean' }, { model: 'a2v' })).frames);
    const fire = colour((await render({ audio, features, prompt: 'fire' }, { model: 'a2v' })).frames);
    expect(ocean.b, `ocean ${JSON.stringify(ocean)}`).toBeGreaterThan(ocean.r * 1.5);
    expect(fire.r, `fire ${JSON.stringify(fire)}`).toBeGreaterThan(fire.b * 1.5);
  }, 120_000);

  it.each([
    ['with its viseme model', false],
    ['without one (the jaw follows the analysed mouth curve)', true],
  ])('performer %s: through the node, the mouth moves while the voice speaks and rests in the pauses', async (_how, noVisemes) => {
    const sp = makeSpeech(tmp, [0.8, 'Hello there, this is a test of lip sync.', 1.2, 'The mouth follows every word.', 0.8]);
    const p = await services.media.probe(sp.path);
    const audio: AudioValue = { kind: 'audio', path: sp.path, durationSec: p.durationSec, sampleRate: p.audio!.sampleRate, channels: 1 };
    const features = await services.audio.analyze(audio, {});
    const fps = 12;
    const box = { mouthX: 0.35, mouthY: 0.62, mouthW: 0.3, mouthH: 0.12 };
    // motion 0: no head bob or shake, so the only change in the mouth box is the mouth.
    const { frames, width } = await render({ image, audio, features, prompt: '' }, { model: 'performer', width: 96, height: 96, fps, motion: 0, ...box }, { noVisemes });
    const [x0, y0, x1, y1] = [Math.floor(box.mouthX * 96), Math.floor(box.mouthY * 96), Math.ceil((box.mouthX + box.mouthW) * 96), Math.ceil((box.mouthY + box.mouthH) * 96)];
    // Loudness also sets the exposure of the whole frame; dividing the mouth box by the
    // brightness of the top of the frame (far from the mouth) leaves the mouth's own motion.
    const mouthOf = (f: Uint8Array) => {
      let ref = 0;
      const top = Math.floor(96 * 0.3);
      for (let k = 0; k < top * width * 3; k++) ref += f[k]!;
      ref /= top * width * 3;
      const out: number[] = [];
      for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) out.push((100 * f[(y * width + x) * 3 + c]!) / ref);
      return out;
    };
    const boxes = frames.map(mouthOf);
    // Per frame: mean change of the mouth box since the previous frame, in % of the frame's brightness.
    const motion = boxes.map((m, i) => (i === 0 ? 0 : m.reduce((s, v, k) => s + Math.abs(v - boxes[i - 1]![k]!), 0) / m.length));
    const inSpans = (spans: Array<[number, number]>) => motion.filter((_, i) => spans.some(([a, b]) => i / fps >= a + 0.15 && i / fps < b - 0.15));
    // Medians: a blink or a beat's flash is one frame; a talking mouth moves on most frames.
    const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
    const talk = median(inSpans(sp.speech));
    const quiet = median(inSpans(sp.silences));
    // A mouth that ignores the voice (static curve or static visemes) measured 0.4–0.7 % while speaking.
    const msg = `median mouth-box change per frame: speaking ${talk.toFixed(2)} %, pauses ${quiet.toFixed(2)} %`;
    expect(talk, msg).toBeGreaterThan(5);
    expect(talk, msg).toBeGreaterThan(4 * quiet);
  }, 180_000);
});
