/**
 * The Video Model's remote path with a scripted backend (real ffmpeg, real disk cache): what it
 * asks the backend, in which order, and what it refuses before anything is sent.
 */
import { runSync } from '../../test/support/processes.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiskCache, createFileService, parseGraph, runGraph, type BackendService, type RemoteJob, type RemoteModelSpec, type Services, type VideoBackend } from '../../src/engine/index.js';
import { createServices } from '../../src/runtime/index.js';
import { catalog } from '../index.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { pickModelSize } from './remote.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-remote-node-'));
const audio = path.join(dir, 'a.wav');
const image = path.join(dir, 'i.png');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=f=300:d=2', '-y', audio]);
  runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120', '-frames:v', '1', '-y', image]);
});

const spec: RemoteModelSpec = {
  id: 'paid-test', title: 'Paid test', version: '1', backend: 'sogni', image: 'required', prompt: 'optional',
  grid: { fps: 16, base: 1, step: 16, maxFrames: 161 }, sizes: [{ width: 320, height: 320 }], longAudio: 'chain', requirements: 'a test', hash: 'h1',
};

/** A paid backend that records calls and "renders" a test pattern of the requested length. */
function paidBackend(calls: string[]): VideoBackend {
  return {
    id: 'sogni',
    status: async () => ({ id: 'sogni', configured: true, reachable: true, detail: 'test' }),
    preflight: async () => void calls.push('preflight'),
    estimate: async () => (calls.push('estimate'), { amount: 5, unit: 'spark', seconds: 30 }),
    async generate(job: RemoteJob) {
      calls.push(`generate ${job.frames}`);
      const out = path.join(job.outDir, 'v.mp4');
      runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${job.width}x${job.height}:rate=16`, '-frames:v', String(job.frames), '-y', out]);
      return { videoPath: out, cost: { amount: 5, unit: 'spark' } };
    },
  };
}

function services(calls: string[], extra: Partial<BackendService>): Services {
  const base = createServices();
  const backends: BackendService = {
    listRemoteModels: async () => [spec], getRemoteModel: async (id) => (id === spec.id ? spec : undefined),
    get: () => paidBackend(calls), statuses: async () => [], ...extra,
  };
  return { ...base, files: createFileService(), backends };
}

const graph = (params: Record<string, unknown>) => parseGraph({
  schemaVersion: 1,
  nodes: [
    { id: 'image', type: 'image', params: { path: image } },
    { id: 'audio', type: 'audio-file', params: { path: audio } },
    { id: 'features', type: 'audio-features', params: {} },
    { id: 'model', type: 'video-model', params: { model: 'paid-test', width: 64, height: 64, fps: 12, ...params } },
  ],
  edges: [
    { from: { node: 'audio', port: 'audio' }, to: { node: 'features', port: 'audio' } },
    { from: { node: 'image', port: 'image' }, to: { node: 'model', port: 'image' } },
    { from: { node: 'audio', port: 'audio' }, to: { node: 'model', port: 'audio' } },
    { from: { node: 'features', port: 'features' }, to: { node: 'model', port: 'features' } },
  ],
});

describe('Video Model remote path (scripted paid backend)', () => {
  it('with nobody to ask (studio), a paid job without maxCost is refused before anything is sent', async () => {
    const calls: string[] = [];
    const r = await runGraph(graph({}), { catalog, services: services(calls, { requireMaxCost: true }), cache: new DiskCache(path.join(dir, 'c1')) });
    expect(r.ok).toBe(false);
    expect(r.nodes.get('model')!.error).toMatch(/^E134 .*needs your consent; nothing was sent \(hint: set maxCost/);
    expect(calls).toEqual(['preflight', 'estimate']);
  });

  it('with maxCost as consent it plans, preflights, estimates, then generates, and the video lasts exactly as long as the audio', async () => {
    const calls: string[] = [];
    const r = await runGraph(graph({ maxCost: 10 }), { catalog, services: services(calls, { requireMaxCost: true }), cache: new DiskCache(path.join(dir, 'c2')) });
    expect(r.ok, r.nodes.get('model')!.error).toBe(true);
    // 2 s at 16 fps = 32 frames → 33 on the 16·s + 1 grid.
    expect(calls).toEqual(['preflight', 'estimate', 'generate 33']);
    const video = r.nodes.get('model')!.outputs!.video as { frames: number; durationSec: number; width: number };
    expect(video).toMatchObject({ frames: 24, durationSec: 2, width: 64 });
  });

  it('a CLI that asks and hears "no" sends nothing', async () => {
    const calls: string[] = [];
    const asked: string[] = [];
    const r = await runGraph(graph({}), { catalog, services: services(calls, { confirmCost: async (what, e) => (asked.push(`${what}: ${e.amount} ${e.unit}`), false) }), cache: new DiskCache(path.join(dir, 'c3')) });
    expect(r.nodes.get('model')!.error).toMatch(/^E134 .*was not confirmed/);
    expect(asked).toEqual(['model (model paid-test): 1 segment(s): 5 spark']);
    expect(calls).not.toContain('generate 33');
  });

  it('picks the model size closest in aspect ratio', () => {
    const sizes = [{ width: 832, height: 480 }, { width: 480, height: 832 }, { width: 640, height: 640 }];
    expect(pickModelSize(sizes, 1920, 1080)).toEqual({ width: 832, height: 480 });
    expect(pickModelSize(sizes, 512, 512)).toEqual({ width: 640, height: 640 });
    expect(pickModelSize(sizes, 720, 1280)).toEqual({ width: 480, height: 832 });
  });
});
