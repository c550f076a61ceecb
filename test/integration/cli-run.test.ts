/**
 * The foundation's acceptance, end to end through the real `s2v` process: real ffmpeg,
 * real onnxruntime, real disk cache. Clips are short and small to keep CI quick.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FFMPEG, FFPROBE } from '../support/ffmpeg.js';

const root = path.resolve(import.meta.dirname, '../..');
const s2v = path.join(root, 'bin/s2v.js');
const graph = path.join(root, 'graphs/music-video.json');
let tmp: string;
let cacheDir: string;
const small = ['--set', 'model.width=128', '--set', 'model.height=128'];

function run(args: string[], opts: { cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [s2v, ...args], { cwd: opts.cwd ?? tmp, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function events(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

function probe(file: string) {
  const r = spawnSync(FFPROBE, ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,codec_name,duration,nb_read_frames,pix_fmt', '-of', 'json', file], { encoding: 'utf8' });
  return JSON.parse(r.stdout).streams as Array<Record<string, string>>;
}

function ff(args: string[]) {
  const r = spawnSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-cli-'));
  cacheDir = path.join(tmp, 'cache');
  // A 3 s tone with clicks as "B.mp3" and a generated picture as "A.jpg".
  ff(['-f', 'lavfi', '-i', "aevalsrc='0.3*sin(2*PI*220*t)+if(lt(mod(t,0.5),0.03),0.8*sin(2*PI*1000*t),0)':d=3:s=44100", '-c:a', 'libmp3lame', path.join(tmp, 'B.mp3')]);
  ff(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:duration=1', '-frames:v', '1', path.join(tmp, 'A.jpg')]);
  ff(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2.5', path.join(tmp, 'short.wav')]);
  await fs.writeFile(path.join(tmp, 'notes.mp3'), 'this is not audio');
  await fs.writeFile(path.join(tmp, 'empty.wav'), '');
}, 60_000);
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('s2v run', () => {
  it('renders the template with other files; frame count and durations agree', () => {
    const r = run(['run', graph, '--input', 'image=A.jpg', '--input', 'audio=B.mp3', '-o', 'C.mp4', '--cache-dir', cacheDir, '--json', ...small]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const done = events(r.stdout).at(-1)!;
    expect(done.event).toBe('done');
    expect(done.output).toBe(path.join(tmp, 'C.mp4'));
    const streams = probe(path.join(tmp, 'C.mp4'));
    const v = streams.find((s) => s.codec_type === 'video')!;
    const a = streams.find((s) => s.codec_type === 'audio')!;
    expect(v.codec_name).toBe('h264');
    expect(v.pix_fmt).toBe('yuv420p');
    expect(a.codec_name).toBe('aac');
    // The Audio File node takes the duration ffprobe gives the audio stream (for this MP3,
    // with its encoder padding, ~3.03 s); the video has round(duration × 24) frames — 73,
    // where floor would give 72 — and the .sync.json beside it says the same.
    const streamSec = Number(spawnSync(FFPROBE, ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=duration', '-of', 'csv=p=0', path.join(tmp, 'B.mp3')], { encoding: 'utf8' }).stdout);
    const expected = Math.round(streamSec * 24);
    expect(expected, `audio stream ${streamSec} s`).not.toBe(Math.floor(streamSec * 24));
    expect(Number(v.nb_read_frames)).toBe(expected);
    const sidecar = JSON.parse(readFileSync(path.join(tmp, 'C.sync.json'), 'utf8')) as { frames: number; fps: number };
    expect(sidecar).toMatchObject({ frames: expected, fps: 24 });
    expect(Math.abs(Number(v.duration) - Number(a.duration))).toBeLessThanOrEqual(1 / 24 + 1e-6);
  });

  it('serves everything from cache on an identical re-run', () => {
    const r = run(['run', graph, '--input', 'image=A.jpg', '--input', 'audio=B.mp3', '-o', 'C.mp4', '--cache-dir', cacheDir, '--json', ...small]);
    expect(r.code).toBe(0);
    const done = events(r.stdout).at(-1)!;
    expect(done.ran).toEqual([]);
    expect((done.cached as string[]).sort()).toEqual(['audio', 'features', 'image', 'model', 'output', 'prompt', 'screenwriter']);
  });

  it('the same graph run from two folders writes its Output file in each (the path is in the key)', () => {
    for (const name of ['here', 'there']) {
      const cwd = path.join(tmp, name);
      mkdirSync(cwd);
      const r = run(['run', graph, '--input', `image=${path.join(tmp, 'A.jpg')}`, '--input', `audio=${path.join(tmp, 'B.mp3')}`, '--cache-dir', cacheDir, '--json', ...small], { cwd });
      expect(r.code, r.stderr).toBe(0);
      // The graph's own relative Output path (out/music-video.mp4), in this folder.
      const out = events(r.stdout).at(-1)!.output as string;
      expect(path.dirname(out)).toBe(path.join(cwd, 'out'));
      expect(probe(out).some((s) => s.codec_type === 'video')).toBe(true);
    }
  });

  it('re-runs only what depends on a changed prompt; audio analysis stays cached', () => {
    const r = run(['run', graph, '--input', 'image=A.jpg', '--input', 'audio=B.mp3', '--input', 'prompt=a snowy forest, cold blue', '-o', 'C.mp4', '--cache-dir', cacheDir, '--json', ...small]);
    expect(r.code).toBe(0);
    const ev = events(r.stdout);
    const done = ev.at(-1)!;
    expect((done.ran as string[]).sort()).toEqual(['model', 'output', 'prompt', 'screenwriter']);
    expect(ev.filter((e) => e.event === 'node-cached').map((e) => e.node).sort()).toEqual(['audio', 'features', 'image']);
  });

  it('--to a node before the Output runs only up to it and makes no output folder', () => {
    const cwd = mkdtempSync(path.join(tmp, 'to-'));
    copyFileSync(path.join(tmp, 'B.mp3'), path.join(cwd, 'B.mp3'));
    const r = run(['run', graph, '--input', 'audio=B.mp3', '--to', 'features', '-o', 'deep/C.mp4', '--cache-dir', cacheDir, '--json'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(events(r.stdout).at(-1)!.output).toBeNull();
    expect(readdirSync(cwd)).toEqual(['B.mp3']);
  });

  it('a render killed with SIGKILL midway leaves no output and the next run succeeds', async () => {
    const out = path.join(tmp, 'killed.mp4');
    const args = [s2v, 'run', graph, '--input', 'audio=short.wav', '-o', out, '--cache-dir', cacheDir, '--json', '--set', 'model.width=256', '--set', 'model.height=256', '--set', 'model.fps=60'];
    const child = spawn(process.execPath, args, { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        if (/"event":"node-progress","node":"model"/.test(buf)) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`exited before the model made progress: ${buf}`)));
    });
    await new Promise((r) => child.once('exit', r));
    await expect(fs.stat(out)).rejects.toThrow();
    const r = run(args.slice(1));
    expect(r.code).toBe(0);
    const done = events(r.stdout).at(-1)!;
    expect(done.ran).toContain('model');
    const v = probe(out).find((s) => s.codec_type === 'video')!;
    expect(Number(v.nb_read_frames)).toBe(Math.round(2.5 * 60));
    const leftovers = (await fs.readdir(tmp)).filter((f) => f.includes('.tmp'));
    expect(leftovers).toEqual([]);
  });
});

describe('s2v run — cancel', () => {
  it('Ctrl-C (SIGINT) mid-render cancels cleanly: exit 130, no output, no half cache entry', async () => {
    const out = path.join(tmp, 'cancelled.mp4');
    const cache = path.join(tmp, 'cancel-cache');
    const args = [s2v, 'run', graph, '--input', 'audio=short.wav', '-o', out, '--cache-dir', cache, '--json', '--set', 'model.width=256', '--set', 'model.height=256', '--set', 'model.fps=60'];
    const child = spawn(process.execPath, args, { cwd: tmp, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let sent = false;
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      if (!sent && /"event":"node-progress","node":"model"/.test(buf)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(sent).toBe(true);
    expect(code).toBe(130);
    expect(stderr.trim().split('\n').at(-1)).toBe('error: cancelled');
    await expect(fs.stat(out)).rejects.toThrow();
    expect(await fs.readdir(path.join(cache, 'tmp')).catch(() => [])).toEqual([]);
    const entries = await fs.readdir(path.join(cache, 'entries'));
    for (const e of entries) await fs.access(path.join(cache, 'entries', e, 'meta.json'));
  });
});

describe('s2v run — bad input', () => {
  const cases: Array<[string, () => Promise<string[]> | string[], number, RegExp]> = [
    ['not JSON', async () => { await fs.writeFile(path.join(tmp, 'bad.json'), '{oops'); return ['run', 'bad.json']; }, 2, /E101 .*bad\.json: not valid JSON/],
    ['wrong schema', async () => { await fs.writeFile(path.join(tmp, 'schema.json'), JSON.stringify({ schemaVersion: 1, nodes: [{ id: 'x' }] })); return ['run', 'schema.json']; }, 2, /E102 .*node "x"\.type/],
    ['a cycle', async () => {
      await fs.writeFile(path.join(tmp, 'cycle.json'), JSON.stringify({ schemaVersion: 1, nodes: [{ id: 'p', type: 'prompt' }, { id: 't', type: 'trim' }, { id: 't2', type: 'trim' }], edges: [{ from: { node: 't', port: 'audio' }, to: { node: 't2', port: 'audio' } }, { from: { node: 't2', port: 'audio' }, to: { node: 't', port: 'audio' } }] }));
      return ['run', 'cycle.json'];
    }, 2, /E105 .*cycle/],
    ['unknown node type', async () => { await fs.writeFile(path.join(tmp, 'unknown.json'), JSON.stringify({ schemaVersion: 1, nodes: [{ id: 'w', type: 'warp-drive' }] })); return ['run', 'unknown.json']; }, 2, /E103 node "w": unknown node type "warp-drive"/],
    ['mismatched port types', async () => {
      await fs.writeFile(path.join(tmp, 'mismatch.json'), JSON.stringify({ schemaVersion: 1, nodes: [{ id: 'p', type: 'prompt' }, { id: 'o', type: 'output' }], edges: [{ from: { node: 'p', port: 'text' }, to: { node: 'o', port: 'video' } }] }));
      return ['run', 'mismatch.json'];
    }, 2, /E104 edge #0 \(p\.text → o\.video\): port types differ/],
    ['a missing file', () => ['run', graph, '--input', 'audio=missing.wav', '-o', 'x1.mp4'], 2, /E108 .*missing\.wav: file not found.*input "audio"/],
    ['a corrupt image', async () => { await fs.writeFile(path.join(tmp, 'corrupt.jpg'), Buffer.from('ffd8ffe000104a464946', 'hex')); return ['run', graph, '--input', 'image=corrupt.jpg', '-o', 'x2.mp4', ...small]; }, 2, /corrupt\.jpg/],
    ['a text file named .mp3', () => ['run', graph, '--input', 'audio=notes.mp3', '-o', 'x3.mp4', ...small], 2, /notes\.mp3/],
    ['zero-length audio', () => ['run', graph, '--input', 'audio=empty.wav', '-o', 'x4.mp4', ...small], 2, /empty\.wav/],
    ['an unwritable output path', () => ['run', graph, '-o', 'notes.mp3/out.mp4'], 2, /E109 .*notes\.mp3\/out\.mp4: cannot write/],
    // Even as root (access(W_OK) says yes there): refused before the render, not after it.
    ['an output in a folder no file can be made in', () => ['run', graph, '-o', '/proc/out.mp4'], 2, /E109 \/proc\/out\.mp4: cannot write/],
  ];
  for (const [name, args, code, message] of cases) {
    it(`${name}: one line, exit ${code}, no partial output`, async () => {
      const before = new Set(await fs.readdir(tmp));
      const r = run([...(await args()), '--cache-dir', cacheDir]);
      expect(r.code).toBe(code);
      const lines = r.stderr.trim().split('\n');
      expect(lines.at(-1)).toMatch(message);
      expect(lines.filter((l) => l.startsWith('error:'))).toHaveLength(1);
      const created = (await fs.readdir(tmp)).filter((f) => !before.has(f) && f !== 'out');
      expect(created.filter((f) => f.endsWith('.mp4') || f.includes('.tmp'))).toEqual([]);
    });
  }
});

describe('other commands', () => {
  it('validate, nodes and models answer', () => {
    expect(run(['validate', graph]).stdout).toMatch(/^ok: Music video — 7 nodes/);
    const nodes = JSON.parse(run(['nodes', '--json']).stdout) as Array<{ type: string }>;
    expect(nodes.map((n) => n.type)).toEqual(expect.arrayContaining(['image', 'audio-file', 'trim', 'prompt', 'video-model', 'output']));
    const models = JSON.parse(run(['models', '--json']).stdout) as Array<Record<string, unknown>>;
    expect(models.map((m) => m.id)).toContain('pulse');
    for (const m of models) expect(Object.keys(m)).toEqual(expect.arrayContaining(['id', 'title', 'kind', 'requiresImage']));
  });
  it('cache stats and clear work on a chosen folder', () => {
    expect(run(['cache', 'stats', '--cache-dir', cacheDir]).stdout).toMatch(/\d+ entries/);
    expect(run(['cache', 'clear', '--cache-dir', path.join(tmp, 'other-cache')]).code).toBe(0);
  });
  it('output that cannot be written (a full disk: /dev/full) is one line and exit 1, not a stack trace', () => {
    for (const args of [['--version'], ['nodes', '--json']]) {
      const full = openSync('/dev/full', 'w');
      try {
        const r = spawnSync(process.execPath, [s2v, ...args], { cwd: tmp, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', full, 'pipe'] });
        expect(r.status).toBe(1);
        expect(r.stderr.trim()).toBe('error: cannot write to standard output (ENOSPC)');
      } finally {
        closeSync(full);
      }
    }
  });
  it('usage errors exit 2 with one line', () => {
    const r = run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: E100 s2v: unknown command "frobnicate"/);
    for (const [args, where] of [[['nodes', 'extra'], 'nodes'], [['models', 'extra'], 'models'], [['validate', graph, 'extra'], 'validate']] as const) {
      const x = run([...args]);
      expect(x.code).toBe(2);
      expect(x.stderr.trim()).toBe(`error: E100 ${where}: unexpected argument "extra" (hint: run s2v --help)`);
    }
  });
});
