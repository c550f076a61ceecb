// The real server with the real runtime (ffmpeg decode + the Haar face detector) over loopback.
import { runSync } from '../../test/support/processes.js';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type StudioServer } from './index.js';
import { REPO_ROOT } from './paths.js';
import { FaceDetector, detectSize, type FaceAnswer, type FractionBox } from './detect-face.js';
import type { Services } from '../engine/index.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';

const PORTRAIT = path.join(REPO_ROOT, 'test/fixtures/images/face_grace_hopper.jpg');

let root: string;
let server: StudioServer;
const api = (p: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${server.port}${p}`, { ...init, headers: { 'X-S2V-Token': server.token, ...init.headers } });
const detect = (file: string) => api('/api/detect-face', { method: 'POST', body: JSON.stringify({ path: file }) });
async function upload(file: string, name: string): Promise<string> {
  const res = await api('/api/assets', { method: 'POST', body: new Uint8Array(await fs.readFile(file)), headers: { 'X-Filename': name } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { path: string }).path;
}

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-detect-face-'));
  await fs.mkdir(path.join(root, 'graphs'));
  server = await startServer({ port: 0, dataDir: path.join(root, 'data'), cacheDir: path.join(root, 'cache'), graphsDir: path.join(root, 'graphs'), staticDir: path.join(root, 'ui') });
});
afterAll(async () => {
  await server?.close();
  await fs.rm(root, { recursive: true, force: true });
});

const inside = (inner: FractionBox, outer: FractionBox) =>
  inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w + 1e-9 && inner.y + inner.h <= outer.y + outer.h + 1e-9;

describe('POST /api/detect-face', () => {
  it('finds the face in an uploaded portrait; the mouth box lies in the lower half of the face, as fractions', async () => {
    const asset = await upload(PORTRAIT, 'portrait.jpg');
    const res = await detect(asset);
    expect(res.status).toBe(200);
    const a = (await res.json()) as Extract<FaceAnswer, { face: FractionBox }>;
    expect(a.width).toBe(512);
    expect(a.height).toBe(600);
    expect(a.score).toBeGreaterThan(0); // CNN detector confidence (0..1), or a Haar neighbour count on the fallback
    const lowerHalf = { ...a.face, y: a.face.y + a.face.h / 2, h: a.face.h / 2 };
    expect(inside(a.mouth, lowerHalf)).toBe(true);
    // Landmarks read off the fixture by eye (its README): mouth centre (262, 285) px of 512×600.
    expect((a.mouth.x + a.mouth.w / 2) * 512).toBeGreaterThan(262 - 25);
    expect((a.mouth.x + a.mouth.w / 2) * 512).toBeLessThan(262 + 25);
    expect((a.mouth.y + a.mouth.h / 2) * 600).toBeGreaterThan(285 - 25);
    expect((a.mouth.y + a.mouth.h / 2) * 600).toBeLessThan(285 + 25);
    // Both eyes are found (an empty list must not pass), each above the mouth and on its own side of it.
    expect(a.eyes).toHaveLength(2);
    for (const e of a.eyes) expect(e.y + e.h / 2).toBeLessThan(a.mouth.y);
    const mouthX = a.mouth.x + a.mouth.w / 2;
    expect(a.eyes.map((e) => Math.sign(e.x + e.w / 2 - mouthX)).sort()).toEqual([-1, 1]);

    // Asked again: the same answer (from the in-memory cache).
    expect(await (await detect(asset)).json()).toEqual(a);
  });

  it('answers { face: null } for an image without a face', async () => {
    const png = path.join(root, 'bars.png');
    runSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=1', '-frames:v', '1', '-y', png]);
    const res = await detect(await upload(png, 'bars.png'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ face: null, width: 320, height: 240 });
  });

  it('refuses paths outside the studio folders (403), relative paths and non-images (400), no token (401)', async () => {
    const outside = path.join(root, 'portrait.jpg');
    await fs.copyFile(PORTRAIT, outside);
    const res = await detect(outside);
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/portrait\.jpg is outside/);
    expect((await detect('relative.jpg')).status).toBe(400);
    expect((await api('/api/detect-face', { method: 'POST', body: '{}' })).status).toBe(400);
    const note = path.join(root, 'graphs', 'note.txt');
    await fs.writeFile(note, 'not an image');
    expect((await detect(note)).status).toBe(400);
    expect((await detect(path.join(root, 'graphs', 'missing.jpg'))).status).toBe(404);
    const anon = await fetch(`http://127.0.0.1:${server.port}/api/detect-face`, { method: 'POST', body: JSON.stringify({ path: outside }) });
    expect(anon.status).toBe(401);
  });
});

describe('detectSize', () => {
  it('keeps the aspect ratio with the long side at most 512 and never upscales', () => {
    expect(detectSize(4000, 3000)).toEqual({ width: 512, height: 384 });
    expect(detectSize(600, 1200)).toEqual({ width: 256, height: 512 });
    expect(detectSize(128, 96)).toEqual({ width: 128, height: 96 });
  });
});

describe('FaceDetector cache', () => {
  it('detects once per path + mtime, shares a pending detection, and detects again after the file changes', async () => {
    const file = path.join(root, 'cached.png');
    await fs.writeFile(file, 'x');
    const calls: string[] = [];
    const services = {
      media: {
        probeImage: async () => ({ width: 1000, height: 500, orientation: 1 }),
        decodeImage: async (_p: string, o: { width: number; height: number }) => {
          calls.push(`decode ${o.width}x${o.height}`);
          return { width: o.width, height: o.height, data: new Uint8Array(o.width * o.height * 3) };
        },
      },
      inference: { detectFace: async () => ({ face: { x: 128, y: 0, w: 256, h: 256 }, mouth: { x: 179, y: 171, w: 102, h: 46 }, eyes: [], score: 7 }) },
    } as unknown as Pick<Services, 'media' | 'inference'>;
    const d = new FaceDetector(services);
    const [a, b] = await Promise.all([d.detect(file), d.detect(file)]);
    expect(calls).toEqual(['decode 512x256']);
    expect(a).toBe(b);
    expect(a).toMatchObject({ face: { x: 0.25, y: 0, w: 0.5, h: 1 }, width: 1000, height: 500 });
    await fs.utimes(file, new Date(), new Date(Date.now() + 5000));
    await d.detect(file);
    expect(calls).toHaveLength(2);
  });
});
