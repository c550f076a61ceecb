/**
 * The acceptance path end to end: `S2V_COMFYUI_URL=… s2v run graphs/wan-s2v.json` through the
 * real CLI (bundle, runtime, evaluator, disk cache, ffmpeg) against the ComfyUI stand-in on
 * 127.0.0.1; the remote templates; cache and retakes; the failure exits; and a scan proving
 * no credential lands in any file the project writes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ComfyStandin, type StandinOptions } from '../support/comfyui-standin.js';
import { LTX_FILES, WAN_FILES } from '../support/comfyui-models.js';
import { clipInfo, filesHolding, runCli, saveContactStrip, singerInputs, startCli, type CliRun } from '../support/remote-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-comfy-cli-'));
const { image, audio } = singerInputs(tmp);
const standins: ComfyStandin[] = [];

afterAll(async () => {
  await Promise.all(standins.map((s) => s.dispose()));
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function standin(opts: StandinOptions = {}): Promise<ComfyStandin> {
  const s = new ComfyStandin({ models: WAN_FILES, ...opts });
  standins.push(s);
  await s.start();
  return s;
}

const env = (extra: Record<string, string>) => ({ ...process.env, S2V_CONFIG_DIR: path.join(tmp, 'config'), S2V_COMFYUI_URL: '', SOGNI_API_KEY: '', ...extra });
const run = (args: string[], extra: Record<string, string>): Promise<CliRun> => runCli(args, { cwd: tmp, env: env(extra) });
const graph = (name: string) => path.join(root, 'graphs', name);
const prompts = (s: ComfyStandin) => s.requests.filter((r) => r.method === 'POST' && r.path === '/prompt');
const uploads = (s: ComfyStandin) => s.requests.filter((r) => r.path.startsWith('/upload'));
const wanArgs = (out: string, cache: string, extra: string[] = []) => [
  'run', graph('wan-s2v.json'), '--input', `image=${image}`, '--input', `audio=${audio}`, '-o', out, '--cache-dir', cache, '--json',
  '--set', 'model.width=320', '--set', 'model.height=320', '--set', 'model.maxSegmentSec=2', ...extra,
];

describe('S2V_COMFYUI_URL=… s2v run graphs/wan-s2v.json (stand-in ComfyUI)', () => {
  const cache = path.join(tmp, 'cache-wan');
  let s: ComfyStandin;

  it('sends the Wan 2.2 S2V workflow, shows the plan and per-step progress, and writes H.264/AAC exactly as long as the audio', async () => {
    s = await standin();
    const out = path.join(tmp, 'wan.mp4');
    const r = await run(wanArgs(out, cache), { S2V_COMFYUI_URL: s.url });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const plan = r.events.find((e) => e.event === 'plan') as { segments: string[] };
    // 48 frames at 16 fps, at most 32 per request: cut at a boundary the Audio Features found (not at the 32-frame limit).
    expect(plan.segments).toHaveLength(2);
    expect(plan.segments[0]).toMatch(/^segment 1\/2: 0\.00–1\.[2-5]\d s, .*cut at (phrase|downbeat|beat)$/);
    expect(r.events.some((e) => e.event === 'node-progress' && /segment 1\/2: KSampler \(base clip\) 3\/4/.test(String(e.message)))).toBe(true);
    // Two requests: the second starts from the first one's last kept frame (a different upload), with seed + 1.
    expect(prompts(s)).toHaveLength(2);
    const [p1, p2] = s.prompts;
    expect(p1!['52']!.inputs.image).not.toBe(p2!['52']!.inputs.image);
    expect([p1!['3']!.inputs.seed, p2!['3']!.inputs.seed]).toEqual([0, 1]);
    const clip = clipInfo(out);
    expect(clip).toMatchObject({ codecs: ['h264', 'aac'], width: 320, height: 320, rate: '24/1', frames: 72 });
    expect(Math.abs(clip.seconds - 3)).toBeLessThan(0.05);
    saveContactStrip(out, 's2v-wan-strip.png');
  }, 180_000);

  it('an identical re-run reaches no backend at all', async () => {
    const before = s.requests.length;
    const r = await run(wanArgs(path.join(tmp, 'wan.mp4'), cache), { S2V_COMFYUI_URL: s.url });
    expect(r.code).toBe(0);
    expect((r.events.find((e) => e.event === 'done') as { cached: string[] }).cached).toContain('model');
    expect(s.requests.length).toBe(before);
  }, 120_000);

  it('retaking segment 2 (a new seed) re-runs only that segment', async () => {
    const before = prompts(s).length;
    const r = await run(wanArgs(path.join(tmp, 'wan-retake.mp4'), cache, ['--set', 'model.segmentSeeds={"2":99}']), { S2V_COMFYUI_URL: s.url });
    expect(r.code).toBe(0);
    expect(prompts(s).length).toBe(before + 1);
    expect(s.prompts.at(-1)!['3']!.inputs.seed).toBe(99);
    expect(r.events.some((e) => e.event === 'node-progress' && e.message === 'segment 1/2: cached')).toBe(true);
  }, 120_000);

  it('a missing model file is named with its folder before anything is uploaded (exit 2)', async () => {
    const bare = await standin({ models: { ...WAN_FILES, vae: [] } });
    const r = await run(wanArgs(path.join(tmp, 'missing.mp4'), path.join(tmp, 'cache-missing')), { S2V_COMFYUI_URL: bare.url });
    expect(r.code).toBe(2);
    const err = r.events.find((e) => e.event === 'node-error')!;
    expect(err).toMatchObject({ node: 'model', code: 'E137' });
    expect(String(err.message)).toContain('wan_2.1_vae.safetensors (in models/vae/)');
    expect(uploads(bare)).toHaveLength(0);
    expect(fs.existsSync(path.join(tmp, 'missing.mp4'))).toBe(false);
  }, 120_000);

  it('a model the server cannot load is one line on the node (exit 1)', async () => {
    const broken = await standin({ unloadable: ['wan_2.1_vae.safetensors'] });
    const r = await run(wanArgs(path.join(tmp, 'broken.mp4'), path.join(tmp, 'cache-broken')), { S2V_COMFYUI_URL: broken.url });
    expect(r.code).toBe(1);
    const err = r.events.find((e) => e.event === 'node-error')!;
    expect(err.node).toBe('model');
    expect(String(err.message)).toMatch(/^E136 .*VAELoader \(node 39 "Load VAE"\) failed: Error while deserializing header: HeaderTooSmall/);
    expect(String(err.message)).not.toContain('\n');
  }, 120_000);
});

describe('retakes and cancel', () => {
  it('with continuity "reference", retaking a middle segment re-runs only that segment', async () => {
    const s = await standin();
    const cache = path.join(tmp, 'cache-ref');
    const args = (extra: string[]) => wanArgs(path.join(tmp, 'ref.mp4'), cache, ['--set', 'model.maxSegmentSec=1', '--set', 'model.continuity=reference', ...extra]);
    const first = await run(args([]), { S2V_COMFYUI_URL: s.url });
    expect(first.code).toBe(0);
    const n = prompts(s).length;
    expect(n).toBeGreaterThanOrEqual(3);
    // Every segment starts from the reference image.
    expect(new Set(s.prompts.map((p) => p['52']!.inputs.image)).size).toBe(1);
    const retake = await run(args(['--set', 'model.segmentSeeds={"2":77}']), { S2V_COMFYUI_URL: s.url });
    expect(retake.code).toBe(0);
    expect(prompts(s).length).toBe(n + 1);
    expect(s.prompts.at(-1)!['3']!.inputs.seed).toBe(77);
  }, 180_000);

  it('Ctrl-C during sampling interrupts the prompt on the server; exit 130, no output', async () => {
    const s = await standin({ stepMs: 300 });
    const out = path.join(tmp, 'cancelled.mp4');
    const { child, ended } = startCli(wanArgs(out, path.join(tmp, 'cache-cancel')), { cwd: tmp, env: env({ S2V_COMFYUI_URL: s.url }) });
    let stdout = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (/KSampler/.test(stdout) && !child.killed) child.kill('SIGINT');
    });
    expect((await ended).code).toBe(130);
    expect(s.requests.some((q) => q.path === '/interrupt' && (q.body as { prompt_id?: string }).prompt_id)).toBe(true);
    expect(fs.existsSync(out)).toBe(false);
  }, 120_000);
});

describe('remote templates against the stand-in', () => {
  it('ltx-a2v renders from audio and prompt alone on the LTX grid (25 fps, 1 + 8n)', async () => {
    const s = await standin({ models: LTX_FILES });
    const out = path.join(tmp, 'ltx-a2v.mp4');
    const r = await run(['run', graph('ltx-a2v.json'), '--input', `audio=${audio}`, '-o', out, '--no-cache', '--json', '--set', 'model.width=256', '--set', 'model.height=160', '--set', 'model.fps=25'], { S2V_COMFYUI_URL: s.url });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(s.prompts[0]!['10']!.inputs.length).toBe(81); // 75 frames of audio → 1 + 8·10
    expect(s.prompts[0]!['20']).toBeUndefined();
    expect(clipInfo(out).frames).toBe(75);
  }, 120_000);

  it('ltx-ia2v on a v0.8.2 server: preflight names the node classes it lacks (exit 2, nothing uploaded)', async () => {
    const s = await standin({ models: LTX_FILES });
    const r = await run(['run', graph('ltx-ia2v.json'), '--input', `image=${image}`, '--input', `audio=${audio}`, '-o', path.join(tmp, 'ia2v.mp4'), '--no-cache'], { S2V_COMFYUI_URL: s.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/E137 .*node classes missing: ComfyMathExpression, TextGenerateLTX2Prompt/);
    expect(uploads(s)).toHaveLength(0);
  }, 120_000);

  it('compare-local-vs-remote puts pulse and Wan 2.2 S2V side by side with one audio track', async () => {
    const s = await standin();
    const out = path.join(tmp, 'compare.mp4');
    const r = await run(['run', graph('compare-local-vs-remote.json'), '--input', `image=${image}`, '--input', `audio=${audio}`, '-o', out, '--no-cache', '--set', 'pulse.width=128', '--set', 'pulse.height=128', '--set', 'remote.width=128', '--set', 'remote.height=128'], { S2V_COMFYUI_URL: s.url });
    expect(r.code).toBe(0);
    const clip = clipInfo(out);
    expect(clip).toMatchObject({ width: 256, height: 128 });
    expect(clip.codecs.filter((c) => c === 'aac')).toHaveLength(1);
  }, 180_000);
});

describe('credentials never reach a file the project writes', () => {
  it('auth header, URL password and Sogni key appear in no graph, cache entry, log line, output or bundle', async () => {
    const secrets = ['hdr-secret-7f3a9', 'url-pw-2b8c1', 'sogni-key-5d4e6'];
    const s = await standin({ requireHeader: { name: 'X-Api-Key', value: secrets[0]! } });
    const url = s.url.replace('http://', `http://user:${secrets[1]}@`);
    const env = { S2V_COMFYUI_URL: url, S2V_COMFYUI_AUTH_HEADER: `X-Api-Key: ${secrets[0]}`, SOGNI_API_KEY: secrets[2]! };
    const work = path.join(tmp, 'creds');
    fs.mkdirSync(work);
    const g = path.join(work, 'wan.json');
    fs.copyFileSync(graph('wan-s2v.json'), g);
    // The graph's own inputs, as a user's project folder has them (a bundle packs these).
    fs.mkdirSync(path.join(work, 'assets'));
    fs.copyFileSync(image, path.join(work, 'assets', 'demo-portrait.jpg'));
    fs.copyFileSync(audio, path.join(work, 'assets', 'demo-speech.wav'));
    const outputs: string[] = [];
    const r1 = await run(['run', g, '-o', path.join(work, 'out.mp4'), '--cache-dir', path.join(work, 'cache'), '--json', '--set', 'model.width=128', '--set', 'model.height=128', '--debug'], env);
    outputs.push(r1.stdout, r1.stderr);
    expect(r1.code, r1.stderr).toBe(0);
    // The server saw the credentials (they work), so their absence below is not an accident.
    expect(s.requests.some((q) => q.headers['x-api-key'] === secrets[0] && String(q.headers.authorization).startsWith('Basic '))).toBe(true);
    // A failing run's error lines, and the status listing.
    const down = await run(['run', g, '--input', `image=${image}`, '--input', `audio=${path.join(work, 'out.mp4')}`, '-o', path.join(work, 'out2.mp4'), '--no-cache', '--debug'], { ...env, S2V_COMFYUI_URL: `http://user:${secrets[1]}@127.0.0.1:9` });
    outputs.push(down.stdout, down.stderr);
    expect(down.code).not.toBe(0);
    const b = await run(['backends', '--json'], { ...env, SOGNI_API_KEY: '' });
    outputs.push(b.stdout, b.stderr);
    const pack = await run(['pack', g, '-o', path.join(work, 'wan.s2vpack'), '--render', path.join(work, 'out.mp4')], env);
    outputs.push(pack.stdout, pack.stderr);
    expect(pack.code, pack.stderr).toBe(0);
    expect(fs.readdirSync(work, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).length).toBeGreaterThan(5);
    expect(filesHolding(work, secrets)).toEqual([]);
    for (const text of outputs) for (const secret of secrets) expect(text).not.toContain(secret);
  }, 240_000);

  it('s2v backends set writes the user config file readable by its owner only', async () => {
    const r = await run(['backends', 'set', 'sogni.api-key=k-0123456789', 'comfyui.url=http://127.0.0.1:8188'], {});
    expect(r.code).toBe(0);
    const file = path.join(tmp, 'config', 'backends.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(r.stdout + r.stderr).not.toContain('k-0123456789');
    // (Sogni credentials from the environment replace the file's as a set; no password → not contacted.)
    const list = await run(['backends'], { SOGNI_USERNAME: 'someone' });
    expect(list.stdout, list.stderr).toMatch(/comfyui .*http:\/\/127\.0\.0\.1:8188/);
    expect(list.stdout).toMatch(/sogni .*username set but no password/);
    expect(list.stdout).not.toContain('k-0123456789');
  }, 120_000);
});
