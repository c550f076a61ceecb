/**
 * Sogni models through the Video Model node and the CLI (the real SDK against the Sogni
 * stand-in): the ltx-ia2v template with a Sogni model id, the cost shown before anything is
 * spent (--yes, or nothing is sent), and maxCost.
 */
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FFPROBE } from '../support/ffmpeg.js';
import { SogniStandin, makeStandinMedia } from '../support/sogni-standin.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-sogni-node-'));
const KEY = 'sk-node-test-key-8271';
let standin: SogniStandin;
let media: Awaited<ReturnType<typeof makeStandinMedia>>;

beforeAll(async () => {
  media = await makeStandinMedia(tmp);
  standin = new SogniStandin({ apiKey: KEY, videoFile: media.video, previewFile: media.preview });
  await standin.start();
});
afterAll(async () => {
  await standin.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; events: Array<Record<string, unknown>> }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/s2v.js'), ...args], {
      cwd: tmp,
      env: { ...process.env, S2V_CONFIG_DIR: path.join(tmp, 'config'), S2V_COMFYUI_URL: '', SOGNI_API_KEY: KEY, SOGNI_REST_ENDPOINT: standin.url, SOGNI_SOCKET_ENDPOINT: standin.url },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr, events: stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>) }));
  });
}

const base = (out: string) => [
  'run', path.join(root, 'graphs/ltx-ia2v.json'), '--input', `image=${media.image}`, '--input', `audio=${media.audio}`, '-o', out, '--no-cache', '--json',
  '--set', 'model.model=sogni-ltx23-ia2v-distilled', '--set', 'model.width=256', '--set', 'model.height=256',
];

describe('Sogni models through the Video Model node (SDK against the stand-in)', () => {
  it('without --yes the cost is shown and nothing is sent (E134, exit 2)', async () => {
    const r = await run(base(path.join(tmp, 'no.mp4')));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cost for model .*: [\d.]+ spark .*— not spent: pass --yes/);
    expect((r.events.find((e) => e.event === 'node-error') as { code: string }).code).toBe('E134');
    expect(standin.log.jobRequests).toHaveLength(0);
  }, 120_000);

  it('maxCost below the estimate refuses before anything is sent (E134)', async () => {
    const r = await run([...base(path.join(tmp, 'max.mp4')), '--yes', '--set', 'model.maxCost=0.0001']);
    expect(r.code).toBe(2);
    expect(String((r.events.find((e) => e.event === 'node-error') as { message: string }).message)).toMatch(/above maxCost 0\.0001; nothing was sent/);
    expect(standin.log.jobRequests).toHaveLength(0);
  }, 120_000);

  it('ltx-ia2v with a Sogni model renders with --yes: plan, cost, then a video exactly as long as the audio', async () => {
    const out = path.join(tmp, 'ia2v.mp4');
    const r = await run([...base(out), '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const plan = r.events.find((e) => e.event === 'plan') as { segments?: string[] } | undefined;
    expect(plan?.segments?.length, 'the plan lists its segments before anything is sent').toBeGreaterThan(0);
    expect(r.events.find((e) => e.event === 'cost')).toMatchObject({ confirmed: 'yes-flag' });
    expect(standin.log.jobRequests.length).toBeGreaterThan(0);
    const probe = JSON.parse(execFileSync(FFPROBE, ['-v', 'error', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', out]).toString()) as { streams: Array<{ codec_name: string; width?: number }>; format: { duration: string } };
    expect(probe.streams.map((s) => s.codec_name)).toEqual(['h264', 'aac']);
    expect(probe.streams[0]!.width).toBe(256);
    expect(Math.abs(Number(probe.format.duration) - 5.0625)).toBeLessThan(0.05);
  }, 180_000);
});
