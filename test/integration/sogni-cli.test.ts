/**
 * The Sogni path end to end through the real CLI (bundle, runtime, Video Model node, disk cache,
 * ffmpeg) and the real SDK, against the Sogni stand-in on 127.0.0.1 (test/support/sogni-standin.ts
 * — NOT the Supernet; it renders each job with ffmpeg at the requested size, frames and fps):
 * `SOGNI_API_KEY=… s2v run graphs/wan-s2v.json --set model.model=sogni-wan22-s2v-lightx2v --yes`,
 * a cached re-run that reaches no backend, maxCost and bad credentials refused before any upload,
 * and a scan proving the key lands in no file the project writes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clipInfo, filesHolding, runCli, saveContactStrip, singerInputs, type CliRun } from '../support/remote-cli.js';
import { SogniStandin, makeStandinMedia } from '../support/sogni-standin.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-sogni-cli-'));
const { image, audio } = singerInputs(tmp);
const KEY = 'sk-cli-standin-7c1e44a09b';
let standin: SogniStandin;
const outputs: string[] = [];

beforeAll(async () => {
  const media = await makeStandinMedia(tmp);
  const renders = path.join(tmp, 'standin-renders');
  fs.mkdirSync(renders);
  standin = new SogniStandin({ apiKey: KEY, videoFile: media.video, previewFile: media.preview, renderDir: renders });
  await standin.start();
});
afterAll(async () => {
  await standin?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The CLI against the stand-in; every run's output is kept for the key scan. */
async function run(args: string[], env: Record<string, string>): Promise<CliRun> {
  const endpoints = { SOGNI_REST_ENDPOINT: standin.url, SOGNI_SOCKET_ENDPOINT: standin.url };
  const r = await runCli(args, { cwd: tmp, env: { ...process.env, S2V_CONFIG_DIR: path.join(tmp, 'config'), S2V_COMFYUI_URL: '', SOGNI_USERNAME: '', SOGNI_PASSWORD: '', ...endpoints, ...env } });
  outputs.push(r.stdout, r.stderr);
  return r;
}

const cache = path.join(tmp, 'cache');
const wanArgs = (out: string, extra: string[] = [], cacheDir = cache) => [
  'run', path.join(root, 'graphs', 'wan-s2v.json'), '--input', `image=${image}`, '--input', `audio=${audio}`, '-o', out, '--cache-dir', cacheDir, '--json', '--yes',
  '--set', 'model.model=sogni-wan22-s2v-lightx2v', '--set', 'model.width=320', '--set', 'model.height=320', '--set', 'model.maxSegmentSec=2', ...extra,
];
const keyFrame = (r: Record<string, unknown>) => (r.keyFrames as Array<Record<string, unknown>>)[0]!;

describe('SOGNI_API_KEY=… s2v run graphs/wan-s2v.json with model sogni-wan22-s2v-lightx2v (stand-in Supernet)', () => {
  it('plans, quotes, sends two chained Wan S2V requests through the SDK and writes H.264/AAC exactly as long as the audio', async () => {
    const out = path.join(tmp, 'wan-sogni.mp4');
    const r = await run(wanArgs(out), { SOGNI_API_KEY: KEY });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect((r.events.find((e) => e.event === 'plan') as { segments: string[] }).segments).toHaveLength(2);
    expect(r.events.some((e) => e.event === 'cost' && e.unit === 'spark' && Number(e.amount) > 0)).toBe(true);
    expect(r.events.some((e) => e.event === 'node-progress' && /segment 1\/2: rendering step 4\/4/.test(String(e.message)))).toBe(true);
    // The Supernet's preview frames reach the run events (the studio shows them on the node).
    expect(r.events.some((e) => e.event === 'node-progress' && e.node === 'model' && typeof e.preview === 'string' && /segment \d\/2/.test(String(e.message)))).toBe(true);
    // Two requests on the Wan grid; the second continues from the first one's last frame (another image).
    expect(standin.log.jobRequests).toHaveLength(2);
    for (const req of standin.log.jobRequests) {
      const kf = keyFrame(req);
      expect(kf).toMatchObject({ modelID: 'wan_v2.2-14b-fp8_s2v_lightx2v', fps: 16, hasReferenceImage: true, hasReferenceAudio: true });
      expect((Number(kf.frames) - 1) % 16).toBe(0);
    }
    const images = standin.log.uploads.filter((u) => u.type === 'referenceImage');
    expect(images).toHaveLength(2);
    expect(images[0]!.jobId).not.toBe(images[1]!.jobId);
    const clip = clipInfo(out);
    expect(clip).toMatchObject({ codecs: ['h264', 'aac'], width: 320, height: 320, rate: '24/1', frames: 72 });
    expect(Math.abs(clip.seconds - 3)).toBeLessThan(0.05);
    saveContactStrip(out, 's2v-sogni-strip.png');
  }, 180_000);

  it('an identical re-run reaches no backend at all (no request, no socket)', async () => {
    const requests = standin.log.requests.length;
    const sockets = standin.log.socketAttempts;
    const r = await run(wanArgs(path.join(tmp, 'wan-sogni.mp4')), { SOGNI_API_KEY: KEY });
    expect(r.code).toBe(0);
    expect((r.events.find((e) => e.event === 'done') as { cached: string[] }).cached).toContain('model');
    expect(standin.log.requests.length).toBe(requests);
    expect(standin.log.socketAttempts).toBe(sockets);
  }, 120_000);

  it('maxCost below the quote: E134, exit 2, nothing uploaded or sent', async () => {
    const before = { uploads: standin.log.uploads.length, jobs: standin.log.jobRequests.length };
    const r = await run(wanArgs(path.join(tmp, 'too-dear.mp4'), ['--set', 'model.maxCost=0.001'], path.join(tmp, 'cache-dear')), { SOGNI_API_KEY: KEY });
    expect(r.code).toBe(2);
    expect(r.events.find((e) => e.event === 'node-error')).toMatchObject({ node: 'model', code: 'E134' });
    expect(standin.log.uploads.length).toBe(before.uploads);
    expect(standin.log.jobRequests.length).toBe(before.jobs);
    expect(fs.existsSync(path.join(tmp, 'too-dear.mp4'))).toBe(false);
  }, 120_000);

  it('a wrong API key: E132 on the model node, exit 2, nothing uploaded, the key printed nowhere', async () => {
    const wrong = 'sk-wrong-cli-key-31337';
    const before = standin.log.uploads.length;
    const r = await run(wanArgs(path.join(tmp, 'bad-key.mp4'), [], path.join(tmp, 'cache-bad')), { SOGNI_API_KEY: wrong });
    expect(r.code).toBe(2);
    expect(r.events.find((e) => e.event === 'node-error')).toMatchObject({ node: 'model', code: 'E132' });
    expect(standin.log.uploads.length).toBe(before);
    expect(r.stdout + r.stderr).not.toContain(wrong);
  }, 120_000);

  it('the API key is in no file the runs wrote (cache, outputs, sidecars, config) and in no output line', () => {
    expect(filesHolding(tmp, [KEY])).toEqual([]);
    expect(outputs.join('\n')).not.toContain(KEY);
    expect(fs.readdirSync(cache).length).toBeGreaterThan(0);
  });
});
