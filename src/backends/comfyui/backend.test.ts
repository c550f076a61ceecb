import { runSync } from '../../../test/support/processes.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RemoteJob } from '../../engine/index.js';
import { FFMPEG, FFPROBE } from '../../../test/support/ffmpeg.js';
import { ComfyStandin, type StandinOptions } from '../../../test/support/comfyui-standin.js';
import { WAN_FILES } from '../../../test/support/comfyui-models.js';
import { RemoteModelRegistry, type RemoteModel } from '../remote-models.js';
import { DEFAULT_MODELS_DIR } from '../index.js';
import { ComfyBackend } from './backend.js';


const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-comfy-'));
const image = path.join(dir, 'face.png');
const audio = path.join(dir, 'voice.wav');
const registry = new RemoteModelRegistry(DEFAULT_MODELS_DIR);
let wan: RemoteModel;
let ia2v: RemoteModel;
const standins: ComfyStandin[] = [];

beforeAll(async () => {
  runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240', '-frames:v', '1', '-y', image]);
  runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=330:d=2', '-y', audio]);
  wan = (await registry.get('comfyui-wan22-s2v'))!;
  ia2v = (await registry.get('comfyui-ltx23-ia2v'))!;
});
afterEach(async () => {
  await Promise.all(standins.splice(0).map((s) => s.dispose()));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function server(opts: StandinOptions = {}): Promise<ComfyStandin> {
  const s = new ComfyStandin({ models: WAN_FILES, ...opts });
  standins.push(s);
  await s.start();
  return s;
}

function job(over: Partial<RemoteJob> = {}): RemoteJob & { progress: Array<[number, string | undefined]> } {
  const progress: Array<[number, string | undefined]> = [];
  const outDir = fs.mkdtempSync(path.join(dir, 'out-'));
  return {
    model: wan, imagePath: image, audioPath: audio, prompt: 'a woman sings to the camera', seed: 42, width: 640, height: 640, frames: 82, extendSteps: 1,
    signal: new AbortController().signal, onProgress: (f, m) => progress.push([f, m]), outDir, progress, ...over,
  };
}

const uploads = (s: ComfyStandin) => s.requests.filter((r) => r.path.startsWith('/upload'));
const probeFrames = (file: string) => Number(runSync(FFPROBE, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]).toString().trim());

describe('ComfyUI client against the stand-in', () => {
  it('runs Wan 2.2 S2V: uploads image + audio, queues the official wiring filled with our values, reports sampler steps, downloads the video', async () => {
    const s = await server();
    const b = new ComfyBackend({ urls: [s.url] });
    const j = job();
    await b.preflight(wan);
    const r = await b.generate(j);
    // The upload came after preflight, and both our files went up under content names.
    expect(uploads(s)).toHaveLength(2);
    const prompt = s.prompts[0]!;
    const byClass = (c: string) => Object.entries(prompt).filter(([, n]) => n.class_type === c);
    expect(byClass('WanSoundImageToVideo')[0]![1].inputs).toMatchObject({ width: 640, height: 640, length: ['104', 0], ref_image: ['52', 0], audio_encoder_output: ['56', 0] });
    expect(prompt['104']!.inputs.value).toBe(41);
    expect(prompt['6']!.inputs.text).toBe('a woman sings to the camera');
    expect(prompt['3']!.inputs.seed).toBe(42);
    expect(prompt['52']!.inputs.image).toMatch(/^s2v-[0-9a-f]{16}\.png$/);
    expect(prompt['58']!.inputs.audio).toMatch(/^s2v-[0-9a-f]{16}\.wav$/);
    // One Extend step: its sampler continues from the base clip and the decode takes the joined latent.
    expect(prompt['ext1:76']!.inputs.video_latent).toEqual(['3', 0]);
    expect(prompt['ext1:77']!.inputs.seed).toBe(43);
    expect(prompt['94']!.inputs.samples).toEqual(['ext1:78', 0]);
    expect(prompt['95']!.inputs.samples2).toEqual(['ext1:78', 0]);
    expect(prompt['82']!.inputs.fps).toBe(16);
    // Per-step progress from the WebSocket, in order, with the sampler named.
    expect(j.progress.some(([, m]) => /KSampler \(base clip\) 2\/4/.test(m ?? ''))).toBe(true);
    const fractions = j.progress.map(([f]) => f);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(fractions.at(-1)).toBe(1);
    expect(probeFrames(r.videoPath)).toBe(82);
  });

  it('preflight names every missing model file with its folder and uploads nothing (E137, exit 2)', async () => {
    const s = await server({ models: { ...WAN_FILES, vae: [], loras: [] } });
    const b = new ComfyBackend({ urls: [s.url] });
    const e = await b.preflight(wan).catch((x) => x);
    expect(e).toMatchObject({ code: 'E137', exitCode: 2 });
    expect(e.message).toContain('wan_2.1_vae.safetensors (in models/vae/)');
    expect(e.message).toContain('wan2.2_t2v_lightx2v_4steps_lora_v1.1_high_noise.safetensors (in models/loras/)');
    expect(e.oneLine()).not.toContain('\n');
    await expect(b.generate(job())).rejects.toMatchObject({ code: 'E137' });
    expect(uploads(s)).toHaveLength(0);
    expect(s.prompts).toHaveLength(0);
  });

  it('preflight for LTX-2.3 ia2v on a v0.8.2 server names the two node classes it lacks', async () => {
    const s = await server({ models: { checkpoints: ['ltx-2.3-22b-dev-fp8.safetensors'], loras: ['ltx-2.3-22b-distilled-lora-384.safetensors'], text_encoders: ['gemma_3_12B_it_fp4_mixed.safetensors'] } });
    const e = await new ComfyBackend({ urls: [s.url] }).preflight(ia2v).catch((x) => x);
    expect(e).toMatchObject({ code: 'E137', exitCode: 2 });
    expect(e.message).toMatch(/node classes missing: ComfyMathExpression, TextGenerateLTX2Prompt \(update ComfyUI/);
  });

  it('a model the server cannot load is one line naming the loader and the server message (E136, exit 1)', async () => {
    const s = await server({ unloadable: ['wan_2.1_vae.safetensors'] });
    const e = await new ComfyBackend({ urls: [s.url] }).generate(job()).catch((x) => x);
    expect(e).toMatchObject({ code: 'E136', exitCode: 1 });
    expect(e.oneLine()).toMatch(/VAELoader \(node 39 "Load VAE"\) failed: Error while deserializing header: HeaderTooSmall \[safetensors_rust.SafetensorError\].*download it again/);
    expect(e.oneLine()).not.toContain('\n');
  });

  it('a 400 with node_errors is mapped to the nodes it names (E138)', async () => {
    const s = await server();
    const e = await new ComfyBackend({ urls: [s.url] }).generate(job({ width: 8 })).catch((x) => x);
    expect(e).toMatchObject({ code: 'E138' });
    expect(e.message).toContain('WanSoundImageToVideo (node 93 "WanSoundImageToVideo"): width');
  });

  it('cancel interrupts that prompt on the server and rejects with E121', async () => {
    const s = await server({ stepMs: 100 });
    const ac = new AbortController();
    const j = job({ signal: ac.signal });
    j.onProgress = (_f, m) => {
      if (m && /KSampler/.test(m)) ac.abort();
    };
    await expect(new ComfyBackend({ urls: [s.url] }).generate(j)).rejects.toMatchObject({ code: 'E121' });
    await new Promise((r) => setTimeout(r, 300));
    const interrupt = s.requests.find((r) => r.path === '/interrupt');
    expect(interrupt?.body).toMatchObject({ prompt_id: expect.any(String) });
  });

  it('a dropped WebSocket is reconnected and the job still finishes', async () => {
    const s = await server({ dropSocketsAtStep: 2, stepMs: 30 });
    const r = await new ComfyBackend({ urls: [s.url] }).generate(job({ extendSteps: 0, frames: 41 }));
    expect(fs.existsSync(r.videoPath)).toBe(true);
    expect(s.requests.filter((q) => q.path.startsWith('/history/')).length).toBeGreaterThan(0);
  });

  it('a server that goes down mid-run is E131 after the reconnect attempts, not a hang', async () => {
    const s = await server({ dieAtStep: 2, stepMs: 20 });
    const t0 = Date.now();
    const e = await new ComfyBackend({ urls: [s.url] }).generate(job()).catch((x) => x);
    expect(e).toMatchObject({ code: 'E131', exitCode: 1 });
    expect(e.message).toMatch(/lost mid-run/);
    expect(Date.now() - t0).toBeLessThan(20_000);
  }, 30_000);

  it('a prompt that runs past the timeout is interrupted (E135)', async () => {
    const s = await server({ stepMs: 400 });
    const e = await new ComfyBackend({ urls: [s.url], timeoutSec: 0.5 }).generate(job()).catch((x) => x);
    expect(e).toMatchObject({ code: 'E135' });
    expect(s.requests.some((r) => r.path === '/interrupt')).toBe(true);
  });

  it('an unreachable server is E131 naming host:port only', async () => {
    const b = new ComfyBackend({ urls: ['http://user:secret@127.0.0.1:9'] });
    const e = await b.preflight(wan).catch((x) => x);
    expect(e.code).toBe('E131');
    expect(e.oneLine()).toContain('http://127.0.0.1:9');
    expect(e.oneLine()).not.toContain('secret');
  });

  it('a pool sends the job to the least busy server', async () => {
    const busy = await server({ stepMs: 200 });
    const idle = await server();
    const b = new ComfyBackend({ urls: [busy.url, idle.url] });
    await b.preflight(wan);
    const first = b.generate(job({ extendSteps: 0, frames: 41 }));
    // Wait until the first job is queued somewhere, then send a second one.
    while (busy.prompts.length + idle.prompts.length === 0) await new Promise((r) => setTimeout(r, 20));
    const firstOn = busy.prompts.length ? busy : idle;
    const second = await b.generate(job({ extendSteps: 0, frames: 41, seed: 7 }));
    expect(fs.existsSync(second.videoPath)).toBe(true);
    const other = firstOn === busy ? idle : busy;
    expect(other.prompts).toHaveLength(1);
    await first;
  });

  it('sends the auth header to every request and the socket; without it the server refuses (E132)', async () => {
    const s = await server({ requireHeader: { name: 'X-Api-Key', value: 'k-123456' } });
    await expect(new ComfyBackend({ urls: [s.url] }).preflight(wan)).rejects.toMatchObject({ code: 'E132' });
    const ok = await new ComfyBackend({ urls: [s.url], authHeader: { name: 'X-Api-Key', value: 'k-123456' } }).generate(job({ extendSteps: 0, frames: 41 }));
    expect(fs.existsSync(ok.videoPath)).toBe(true);
  });
});
