import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../../test/support/processes.js';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { NodeContext, Services, VideoValue } from '../../src/engine/index.js';
import { createServices } from '../../src/runtime/index.js';
import { compareNode } from './compare.node.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { rmsDb, toneHz } from '../../test/support/audio-checks.js';

let tmp: string;
let services: Services;

function clip(name: string, src: string, durationSec = 1, hz = 330): VideoValue {
  const file = path.join(tmp, name);
  const d = durationSec;
  runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `${src}=size=96x64:rate=12:duration=${d}`, '-f', 'lavfi', '-i', `sine=frequency=${hz}:duration=${d}`,
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', file]);
  return { kind: 'video', path: file, width: 96, height: 64, fps: 12, frames: Math.round(d * 12), durationSec: d, label: name };
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-compare-'));
  services = createServices({ provider: 'cpu' });
}, 30_000);
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

function ctx(warnings: string[] = []): NodeContext {
  return {
    nodeId: 'compare', nodeType: 'compare', signal: new AbortController().signal, progress: () => undefined, warn: (m) => warnings.push(m), log: () => undefined, doNotCache: () => undefined,
    artifactDir: async () => fs.mkdtemp(path.join(tmp, 'art-')), services,
  };
}

describe('compare node', () => {
  it('lays two videos side by side with the audio of the first, and a preview', async () => {
    const a = clip('a.mp4', 'testsrc2');
    const b = clip('b.mp4', 'smptebars', 1, 550);
    const { video } = await compareNode.evaluate({ inputs: { a, b, c: undefined, d: undefined }, params: compareNode.params.parse({ labels: 'pulse, drift' }), ctx: ctx() });
    expect(video.width).toBe(192);
    expect(video.height).toBe(64);
    expect(video.label).toBe('pulse | drift');
    const probe = await services.media.probe(video.path);
    expect(probe.audio!.codec).toBe('aac');
    expect(probe.audio!.durationSec).toBeCloseTo(1, 1);
    // The audio is the first video's 330 Hz tone, at full level — not b's 550 Hz, not silence.
    const pcm = await services.media.decodeAudio(video.path, { sampleRate: 16000, channels: 1 });
    expect(toneHz(pcm, 16000)).toBeCloseTo(330, -1);
    expect(rmsDb(pcm)).toBeGreaterThan(-25);
    // The studio's preview: a VP9 WebM of the laid-out picture, as long as the video.
    const preview = await services.media.probe(video.previewPath!);
    expect(preview.video).toMatchObject({ codec: 'vp9', width: 192, height: 64 });
    expect(preview.video!.durationSec).toBeCloseTo(1, 1);
  }, 60_000);

  it('grid layout with three inputs; missing labels fall back to the videos', async () => {
    const v = ['x.mp4', 'y.mp4', 'z.mp4'].map((n) => clip(n, 'testsrc2'));
    const { video } = await compareNode.evaluate({ inputs: { a: v[0]!, b: v[1]!, c: v[2]!, d: undefined }, params: compareNode.params.parse({ layout: 'grid' }), ctx: ctx() });
    expect(video.width).toBe(192);
    expect(video.height).toBe(128);
    expect(video.label).toBe('x.mp4 | y.mp4 | z.mp4');
  }, 60_000);

  it('mismatched lengths: stops at the shortest with a warning; labels follow the ports when c is empty', async () => {
    const a = clip('long.mp4', 'testsrc2', 2);
    const d = clip('short.mp4', 'smptebars', 1);
    const warnings: string[] = [];
    const { video } = await compareNode.evaluate({ inputs: { a, b: a, c: undefined, d }, params: compareNode.params.parse({ labels: 'one, two, three, four' }), ctx: ctx(warnings) });
    expect(warnings.join(' ')).toMatch(/differ in length \(2\.00 s, 2\.00 s, 1\.00 s\)/);
    expect(video.durationSec).toBeGreaterThan(0.8);
    expect(video.durationSec).toBeLessThan(1.3);
    expect(video.label).toBe('one | two | four');
  }, 60_000);
});
