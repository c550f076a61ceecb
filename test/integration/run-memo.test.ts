/**
 * The run memo (bin/run-memo.js, src/cli/run-memo.ts) through real `s2v run` processes: a run
 * in which nothing changed is answered without loading the engine and prints what the normal
 * path prints; every change the normal path would notice makes it fall back, and the fallback
 * renders and caches as always. S2V_DEBUG_RUN_MEMO=1 makes bin/s2v.js say when it answered from
 * a memo (only that branch skips loadCli) and the writer say whether it left one.
 *
 * Each test has its own folder with the same picture, clip and graph, and renders them once at
 * 64×64 (a source node's key holds its file's path). The files are made once and left to
 * settle: a memo lists only files whose last change is over SETTLE_MS old.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTLE_MS } from '../../src/engine/index.js';
// @ts-expect-error plain JS module without types
import { freshBundle } from '../../bin/fresh-bundle.js';
import { FFMPEG } from '../support/ffmpeg.js';

const root = path.resolve(import.meta.dirname, '../..');
const s2v = path.join(root, 'bin/s2v.js');
const TESTS = ['hit', 'render', 'json', 'tty', 'audio', 'image', 'graph', 'set', 'output', 'deleted', 'sync', 'truncated', 'clear', 'entry', 'corrupt', 'hostile', 'off', 'settle', 'secret', 'streams'];
let tmp: string;
let cache: string;
let firstRender: Ran;
const dirOf = (name: string) => path.join(tmp, name);

interface Ran {
  code: number | null;
  stdout: string;
  /** stderr without the debug lines */
  stderr: string;
  hit: boolean;
  written: boolean;
  /** The CLI bundle was out of date (another test file touched a source): no memo could be read or left. */
  stale: boolean;
  why?: string;
  done?: { ran: string[]; cached: string[]; output: string };
}

function run(name: string, extra: string[] = [], opts: { env?: Record<string, string>; cacheDir?: string; json?: boolean; shell?: string } = {}): Ran {
  const args = ['run', 'g.json', '--input', 'image=A.jpg', '--input', 'audio=B.wav', '-o', 'out.mp4', '--cache-dir', opts.cacheDir ?? cache, '--set', 'model.width=64', '--set', 'model.height=64'];
  if (opts.json !== false) args.push('--json');
  const env: NodeJS.ProcessEnv = { ...process.env, S2V_DEBUG_RUN_MEMO: '1', ...opts.env };
  delete env.S2V_NO_RUN_MEMO;
  if (opts.env?.S2V_NO_RUN_MEMO) env.S2V_NO_RUN_MEMO = opts.env.S2V_NO_RUN_MEMO;
  waitForFreshBundle();
  const argv = [process.execPath, s2v, ...args, ...extra];
  // `shell`: what follows the command in bash (a pipe, a redirection); the exit code is s2v's.
  const r = opts.shell
    ? spawnSync('bash', ['-c', `set -o pipefail; ${argv.map((a) => JSON.stringify(a)).join(' ')} ${opts.shell}`], { cwd: dirOf(name), encoding: 'utf8', timeout: 120_000, env })
    : spawnSync(process.execPath, argv.slice(1), { cwd: dirOf(name), encoding: 'utf8', timeout: 120_000, env });
  const debug = r.stderr.split('\n').filter((l) => l.startsWith('s2v: '));
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr.split('\n').filter((l) => !l.startsWith('s2v: ')).join('\n'),
    hit: debug.includes('s2v: answered from the run memo'),
    written: debug.includes('s2v: run memo written'),
    stale: debug.some((l) => l.includes('bundle was out of date') || l.includes('sources changed')),
    why: debug.find((l) => l.startsWith('s2v: no run memo: ')),
    done: last.startsWith('{') ? (JSON.parse(last) as Ran['done']) : undefined,
  };
}

/**
 * cli-loader.test.ts, which may run beside this file, touches a source to see the bundle rebuilt:
 * for a moment no bundle is fresh. Runs start once one is (`s2v --version` builds it).
 */
function waitForFreshBundle(): void {
  for (let i = 0; i < 20 && !freshBundle(); i++) {
    spawnSync(process.execPath, [s2v, '--version']);
    if (!freshBundle()) spawnSync('sleep', ['0.5']);
  }
}

/**
 * A run of a folder in which nothing changed since its last run (so running it again changes
 * nothing): repeated when another test made the bundle stale meanwhile, until it `wants` it.
 */
function settledRun(name: string, wants: (r: Ran) => boolean, extra: string[] = [], opts: Parameters<typeof run>[2] = {}): Ran {
  let r = run(name, extra, opts);
  for (let i = 0; i < 3 && !wants(r) && r.stale; i++) r = run(name, extra, opts);
  return r;
}

/** A first run, then a re-run answered from the memo (the state each invalidation starts from). */
function memoised(name: string, opts: Parameters<typeof run>[2] = {}): void {
  const first = run(name, [], opts);
  expect(first.code, first.stderr).toBe(0);
  const written = first.written ? first : settledRun(name, (r) => r.written, [], opts);
  expect(written.written, written.why).toBe(true);
  const hit = settledRun(name, (r) => r.hit, [], opts);
  expect(hit.code, hit.stderr).toBe(0);
  expect(hit.hit).toBe(true);
}

/** The run fell back to the normal path, succeeded, ran `nodes` (and only them) and left a new memo when `rewritten`. */
function fellBack(r: Ran, nodes: string[]): void {
  expect(r.code, r.stderr).toBe(0);
  expect(r.hit).toBe(false);
  expect([...r.done!.ran].sort()).toEqual([...nodes].sort());
}

function ff(args: string[]) {
  const r = spawnSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
}

const memoFiles = (dir = cache) => (fs.existsSync(path.join(dir, 'run-memos')) ? fs.readdirSync(path.join(dir, 'run-memos')).map((f) => path.join(dir, 'run-memos', f)) : []);

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-run-memo-'));
  cache = path.join(tmp, 'cache');
  const src = path.join(tmp, 'src');
  fs.mkdirSync(src);
  ff(['-f', 'lavfi', '-i', "aevalsrc='0.3*sin(2*PI*220*t)+if(lt(mod(t,0.5),0.03),0.8*sin(2*PI*1000*t),0)':d=1.5:s=22050", path.join(src, 'B.wav')]);
  ff(['-f', 'lavfi', '-i', 'testsrc2=size=96x96:duration=1', '-frames:v', '1', path.join(src, 'A.jpg')]);
  ff(['-f', 'lavfi', '-i', 'mandelbrot=size=96x96', '-frames:v', '1', path.join(src, 'other.jpg')]);
  for (const name of TESTS) {
    fs.mkdirSync(dirOf(name));
    for (const f of ['A.jpg', 'B.wav', 'other.jpg']) fs.copyFileSync(path.join(src, f), path.join(dirOf(name), f));
    fs.copyFileSync(path.join(root, 'graphs/music-video.json'), path.join(dirOf(name), 'g.json'));
  }
  // Settled: older than SETTLE_MS by mtime and ctime alike.
  await new Promise((r) => setTimeout(r, SETTLE_MS + 200));
  // The first render fills the shared cache; every later first run only exports.
  firstRender = run('hit');
  expect(firstRender.code, firstRender.stderr).toBe(0);
}, 180_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('s2v run answered from its memo', () => {
  it('a run that rendered leaves a memo (checked by evaluating once more with nodes that may not run), so the first re-run is answered', () => {
    expect(firstRender.done!.ran).toHaveLength(7);
    // A render at another frame rate; another one if another test
    // file had the bundle rebuilt under it (no memo can be left then).
    let rendered: Ran | undefined;
    let fps = 8;
    for (; fps < 11; fps++) {
      rendered = run('render', ['--set', `model.fps=${fps}`]);
      expect(rendered.done!.ran, rendered.stderr).toContain('model');
      if (rendered.written || !rendered.stale) break;
    }
    expect(rendered!.written, rendered!.why).toBe(true);
    const again = settledRun('render', (r) => r.hit, ['--set', `model.fps=${fps}`]);
    expect(again.hit).toBe(true);
    expect(again.done!.cached).toHaveLength(7);
  });

  it('a re-run in which nothing changed does not load the engine and prints what the normal path prints', () => {
    const slow = run('hit', [], { json: false, env: { S2V_NO_RUN_MEMO: '1' } });
    expect(slow.hit).toBe(false);
    const first = settledRun('hit', (r) => r.written, [], { json: false });
    expect(first.written, first.why).toBe(true);
    // One of this run's entries (the cache holds every folder's).
    const memo = memoFiles()
      .map((f) => JSON.parse(fs.readFileSync(f, 'utf8')) as { cwd: string; argv: string[]; entries: Array<[string]> })
      .find((m) => m.cwd === dirOf('hit') && !m.argv.includes('--json'))!;
    const meta = path.join(cache, 'entries', memo.entries[0]![0], 'meta.json');
    fs.utimesSync(meta, new Date(2000, 0, 1), new Date(2000, 0, 1));
    const hit = settledRun('hit', (r) => r.hit, [], { json: false });
    expect(hit.code).toBe(0);
    expect(hit.hit).toBe(true);
    // Lines of the same run: the order in which two nodes' "cached" lines come may vary.
    const lines = (s: string) => s.split('\n').filter(Boolean).sort();
    expect(lines(hit.stderr)).toEqual(lines(slow.stderr));
    expect(lines(hit.stderr).filter((l) => l.startsWith('cached '))).toHaveLength(7);
    const [body, took] = [hit.stdout.split('\n').slice(0, -2), hit.stdout.split('\n').at(-2)!];
    expect(body).toEqual(slow.stdout.split('\n').slice(0, -2));
    expect(body[0]).toMatch(/^wrote out\.mp4 \(1\.50 s, 36 frames @ 24 fps, 64×64\)/);
    expect(took).toMatch(/^took \d+\.\d\d s — ran 0, cached 7$/);
    // Used, as a cache read marks an entry (eviction goes by it).
    expect(fs.statSync(meta).mtimeMs).toBeGreaterThan(Date.now() - 60_000);
  });

  it('--json: the same events and "done" line, seconds measured anew', () => {
    const first = settledRun('json', (r) => r.written);
    expect(first.written, first.why).toBe(true);
    const slow = run('json', [], { env: { S2V_NO_RUN_MEMO: '1' } });
    const hit = settledRun('json', (r) => r.hit);
    expect(hit.hit).toBe(true);
    const events = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const [h, n] = [events(hit.stdout), events(slow.stdout)];
    const sorted = (e: Array<Record<string, unknown>>) => e.slice(0, -1).map((x) => JSON.stringify(x)).sort();
    expect(sorted(h)).toEqual(sorted(n));
    expect(Object.keys(h.at(-1)!)).toEqual(Object.keys(n.at(-1)!));
    // "cached" lists nodes as they finished: image and audio, run side by side, come in either order.
    const done = (e: Record<string, unknown>) => ({ ...e, seconds: 0, cached: [...(e.cached as string[])].sort() });
    expect(done(h.at(-1)!)).toEqual(done(n.at(-1)!));
    expect(h.at(-1)!.cached).toHaveLength(7);
  });

  it.skipIf(!fs.existsSync('/usr/bin/script'))('on a terminal: the same progress bar and lines, byte for byte (script(1) gives the run a terminal)', () => {
    const cmd = (env: string) =>
      `env ${env} S2V_DEBUG_RUN_MEMO=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(s2v)} run g.json --input image=A.jpg --input audio=B.wav -o out.mp4 --cache-dir ${JSON.stringify(cache)} --set model.width=64 --set model.height=64`;
    const onTerminal = (env = '') => {
      waitForFreshBundle();
      const r = spawnSync('/usr/bin/script', ['-qec', cmd(env), '/dev/null'], { cwd: dirOf('tty'), encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stdout).toBe(0);
      return r.stdout;
    };
    // The same arguments answered off a terminal first: a terminal run must not replay those lines.
    memoised('tty', { json: false });
    const slow = onTerminal('S2V_NO_RUN_MEMO=1');
    // The bar was drawn (and cleared) over the seven cached nodes.
    expect(slow).toContain('100%');
    let hit = '';
    for (let i = 0; i < 4 && !hit.includes('answered from the run memo'); i++) hit = onTerminal();
    expect(hit).toContain('s2v: answered from the run memo');
    const body = (s: string) => s.replace(/took \d+\.\d\d s/, 'took').replace(/s2v: [^\r\n]*\r?\n/g, '');
    expect(body(hit)).toBe(body(slow));
  });

  it('falls back when the input audio was edited in place, keeping its size and mtime', () => {
    memoised('audio');
    const file = path.join(dirOf('audio'), 'B.wav');
    const st = fs.statSync(file);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x55;
    fs.writeFileSync(file, bytes);
    fs.utimesSync(file, st.atime, st.mtime);
    expect(fs.statSync(file).size).toBe(st.size);
    // The clip's content changed: everything downstream of it runs.
    fellBack(run('audio'), ['audio', 'features', 'screenwriter', 'model', 'output']);
  });

  it('falls back when the image was replaced', () => {
    memoised('image');
    fs.renameSync(path.join(dirOf('image'), 'other.jpg'), path.join(dirOf('image'), 'A.jpg'));
    fellBack(run('image'), ['image', 'model', 'output']);
  });

  it('falls back when the graph file was edited', () => {
    memoised('graph');
    const g = path.join(dirOf('graph'), 'g.json');
    fs.writeFileSync(g, fs.readFileSync(g, 'utf8').replace('warm light', 'cold light'));
    fellBack(run('graph'), ['prompt', 'screenwriter', 'model', 'output']);
  });

  it('falls back when --set changes, and the new arguments get their own memo', () => {
    memoised('set');
    const other = run('set', ['--set', 'model.fps=12']);
    fellBack(other, ['model', 'output']);
    const written = other.written || !other.stale ? other : settledRun('set', (r) => r.written, ['--set', 'model.fps=12']);
    expect(written.written, written.why).toBe(true);
    expect(settledRun('set', (r) => r.hit, ['--set', 'model.fps=12']).hit).toBe(true);
    // That run wrote another video to out.mp4: the first arguments' memo no longer holds.
    fellBack(run('set'), ['output']);
  });

  it('falls back when -o changes', () => {
    memoised('output');
    const r = run('output', ['-o', 'other.mp4']);
    fellBack(r, ['output']);
    expect(fs.statSync(path.join(dirOf('output'), 'other.mp4')).size).toBeGreaterThan(1000);
  });

  it('falls back when the exported video was deleted, and writes it again', () => {
    memoised('deleted');
    fs.rmSync(path.join(dirOf('deleted'), 'out.mp4'));
    fellBack(run('deleted'), ['output']);
    expect(fs.statSync(path.join(dirOf('deleted'), 'out.mp4')).size).toBeGreaterThan(1000);
  });

  it('falls back when the sync report written beside the video was deleted, and writes it again', () => {
    memoised('sync');
    const report = path.join(dirOf('sync'), 'out.sync.json');
    expect(JSON.parse(fs.readFileSync(report, 'utf8'))).toHaveProperty('sync');
    fs.rmSync(report);
    fellBack(run('sync'), ['output']);
    expect(JSON.parse(fs.readFileSync(report, 'utf8'))).toHaveProperty('sync');
  });

  it('falls back when the exported video was truncated', () => {
    memoised('truncated');
    const out = path.join(dirOf('truncated'), 'out.mp4');
    const size = fs.statSync(out).size;
    fs.truncateSync(out, 100);
    fellBack(run('truncated'), ['output']);
    expect(fs.statSync(out).size).toBe(size);
  });

  it('falls back after `s2v cache clear`, which removes the memos too', () => {
    const own = path.join(dirOf('clear'), 'cache');
    memoised('clear', { cacheDir: own });
    expect(memoFiles(own)).toHaveLength(1);
    expect(spawnSync(process.execPath, [s2v, 'cache', 'stats', '--cache-dir', own], { encoding: 'utf8' }).stdout).toMatch(/: 7 entries, 1 run memo, /);
    const cleared = spawnSync(process.execPath, [s2v, 'cache', 'clear', '--cache-dir', own], { encoding: 'utf8' });
    expect(cleared.status, cleared.stderr).toBe(0);
    expect(memoFiles(own)).toHaveLength(0);
    fellBack(run('clear', [], { cacheDir: own }), ['image', 'audio', 'prompt', 'features', 'screenwriter', 'model', 'output']);
  });

  it('falls back when a node\'s cache entry is gone', () => {
    memoised('entry');
    const memo = JSON.parse(fs.readFileSync(memoFiles().find((f) => fs.readFileSync(f, 'utf8').includes(dirOf('entry')))!, 'utf8')) as { entries: Array<[string]> };
    const outputs = memo.entries.map(([key]) => JSON.parse(fs.readFileSync(path.join(cache, 'entries', key, 'meta.json'), 'utf8')) as { outputs: Record<string, unknown> });
    // The Output node's entry: the one whose video was exported into this test's folder.
    const i = outputs.findIndex((o) => JSON.stringify(o.outputs).includes(path.join(dirOf('entry'), 'out.mp4')));
    expect(i).toBeGreaterThanOrEqual(0);
    fs.rmSync(path.join(cache, 'entries', memo.entries[i]![0]), { recursive: true });
    fellBack(run('entry'), ['output']);
  });

  it('a corrupt memo is a miss, and the run replaces it', () => {
    const own = path.join(dirOf('corrupt'), 'cache');
    memoised('corrupt', { cacheDir: own });
    const [file] = memoFiles(own);
    fs.writeFileSync(file!, '{"format":1,"key":');
    const r = run('corrupt', [], { cacheDir: own });
    fellBack(r, []);
    const written = r.written || !r.stale ? r : settledRun('corrupt', (x) => x.written, [], { cacheDir: own });
    expect(written.written, written.why).toBe(true);
    expect(settledRun('corrupt', (x) => x.hit, [], { cacheDir: own }).hit).toBe(true);
  });

  it('a memo pointing outside its cache folder, or of an unknown shape, is a miss and changes nothing', () => {
    // Each case is the good memo with one thing a guard in run-memo.js refuses, and everything it
    // points at really there with the stats it lists: without that one guard it would be a hit.
    const own = path.join(dirOf('hostile'), 'cache');
    memoised('hostile', { cacheDir: own });
    const [file] = memoFiles(own);
    const good = fs.readFileSync(file!, 'utf8');
    type Memo = Record<string, unknown> & { entries: Array<[string, ...Array<number | string>]>; files: unknown[][] };
    const memo = JSON.parse(good) as Memo;
    // Another cache folder whose entries are the same files (hard links: same size, inode, birth time).
    const other = path.join(dirOf('hostile'), 'other-cache');
    for (const [key] of memo.entries) {
      fs.mkdirSync(path.join(other, 'entries', key), { recursive: true });
      fs.linkSync(path.join(own, 'entries', key, 'meta.json'), path.join(other, 'entries', key, 'meta.json'));
    }
    // A meta.json outside the cache, named by an entry key that climbs out of entries/.
    const victim = path.join(dirOf('hostile'), 'outside', 'meta.json');
    fs.mkdirSync(path.dirname(victim));
    fs.writeFileSync(victim, '{}');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(victim, old, old);
    const v = fs.statSync(victim);
    const made = memo.entries[0]![4];
    const climbing = ['../../outside', v.size, v.ino, v.dev, typeof made === 'number' ? v.birthtimeMs : createHash('sha256').update('{}').digest('hex')];
    // A relative path that names, from the run's folder, a file with the stats listed.
    const g = fs.statSync(path.join(dirOf('hostile'), 'g.json'));
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    for (const [what, bad] of [
      ['another cache folder', JSON.stringify({ ...memo, cacheDir: other })],
      ['an entry key climbing out of the cache', JSON.stringify({ ...memo, entries: [...memo.entries, climbing] })],
      ['a relative file path', JSON.stringify({ ...memo, files: [...memo.files, ['g.json', g.size, g.mtimeMs, g.ctimeMs, g.ino, g.dev, fs.realpathSync(path.join(dirOf('hostile'), 'g.json'))]] })],
      ['a closing line of an unknown kind', JSON.stringify({ ...memo, last: { kind: 'shell', command: 'touch /tmp/x' } })],
      ['another format', JSON.stringify({ ...memo, format: 99 })],
      ['a "done" nested past the stack', JSON.stringify({ ...memo, last: { kind: 'json', done: { event: 'done', deep: 0 } } }).replace('"deep":0', `"deep":${deep}`)],
    ] as const) {
      fs.writeFileSync(file!, bad);
      const r = run('hostile', [], { cacheDir: own });
      expect(r.code, `${what}: ${r.stderr}`).toBe(0);
      expect(r.hit, what).toBe(false);
      expect(r.stderr, what).not.toMatch(/RangeError|TypeError|at .*run-memo\.js/);
      expect(fs.statSync(victim).mtimeMs, what).toBe(v.mtimeMs);
    }
    // The good memo, put back, is answered: each case above differs from it in its one thing.
    fs.writeFileSync(file!, good);
    expect(settledRun('hostile', (r) => r.hit, [], { cacheDir: own }).hit).toBe(true);
  });

  it('S2V_NO_RUN_MEMO=1 turns it off', () => {
    memoised('off');
    fellBack(run('off', [], { env: { S2V_NO_RUN_MEMO: '1' } }), []);
  });

  it('leaves no memo while an input file has not settled', () => {
    const file = path.join(dirOf('settle'), 'B.wav');
    fs.writeFileSync(file, fs.readFileSync(file));
    // Dated a minute ahead: on a busy machine the run may begin more than the 2 s window after
    // the write (the test then saw a settled file and a memo written).
    fs.utimesSync(file, new Date(), new Date(Date.now() + 60_000));
    const r = run('settle');
    expect(r.code, r.stderr).toBe(0);
    expect(r.written).toBe(false);
    expect(r.why).toContain(`${file} was modified less than`);
    expect(run('settle').hit).toBe(false);
  });

  it("answers without process.stdout's stream (nor net, tty, perf_hooks, node:stream), and a closed or full standard output ends it as the CLI would", () => {
    const dump = path.join(dirOf('streams'), 'modules.json');
    const preload = path.join(dirOf('streams'), 'dump.cjs');
    fs.writeFileSync(preload, `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(dump)}, JSON.stringify(process.moduleLoadList)));`);
    const env = { NODE_OPTIONS: `--require ${preload}` };
    memoised('streams', { env });
    const hit = settledRun('streams', (r) => r.hit, [], { env });
    expect(hit.hit).toBe(true);
    expect(hit.done?.cached.length).toBe(7);
    const loaded = JSON.parse(fs.readFileSync(dump, 'utf8')) as string[];
    // Standard output here is a pipe: process.stdout would have loaded `net`; and node:fs taken by an
    // import (its ES module view reads the stream getters) would have loaded node:stream.
    expect(loaded.filter((m) => /^NativeModule (?:net|perf_hooks|tty|stream|internal\/fs\/streams)$/.test(m))).toEqual([]);
    // The reader gone (`| true`): exit 0, nothing on stderr but the debug line.
    const closed = settledRun('streams', (r) => r.hit, [], { env, shell: '| true' });
    expect([closed.hit, closed.code, closed.stderr.trim()]).toEqual([true, 0, '']);
    // A full disk: exit 1 and one line.
    const full = settledRun('streams', (r) => r.hit, [], { env, shell: '> /dev/full' });
    expect([full.hit, full.code, full.stderr.trim()]).toEqual([true, 1, 'error: cannot write to standard output (ENOSPC)']);
  });

  it('keeps no credentials in the memo; another value of a run-changing variable is another memo', () => {
    const own = path.join(dirOf('secret'), 'cache');
    const urls = { S2V_COMFYUI_URL: 'http://alice-4711:pw-4711@gpu:8188/?token=tok-4712', SOGNI_REST_ENDPOINT: 'https://bob-4713:pw-4713@api.example/v1?key=k-4714' };
    memoised('secret', { cacheDir: own, env: { SOGNI_API_KEY: 'sekrit-4711', S2V_COMFYUI_AUTH_HEADER: 'Authorization: Bearer tok-4711', ...urls } });
    const everyFile = fs.readdirSync(own, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(everyFile.some((e) => e.parentPath.endsWith('run-memos'))).toBe(true);
    for (const e of everyFile) expect(fs.readFileSync(path.join(e.parentPath, e.name)).toString('latin1')).not.toMatch(/sekrit-4711|tok-471\d|alice-4711|bob-4713|pw-471\d|k-4714/);
    // Another server is another run (the memo keys on the address without its credentials).
    fellBack(run('secret', [], { cacheDir: own, env: { SOGNI_API_KEY: 'sekrit-4711', S2V_COMFYUI_AUTH_HEADER: 'Authorization: Bearer tok-4711', ...urls, S2V_COMFYUI_URL: 'http://alice-4711:pw-4711@gpu2:8188/?token=tok-4712' } }), []);
    // Credentials are used only when a remote model runs: a fully cached run does not depend on them.
    // So is a server's password or token (never stored, so never compared).
    expect(settledRun('secret', (r) => r.hit, [], { cacheDir: own, env: { SOGNI_API_KEY: 'other-4712', ...urls, S2V_COMFYUI_URL: 'http://alice-4711:other@gpu:8188/?token=other' } }).hit).toBe(true);
    fellBack(run('secret', [], { cacheDir: own, env: { SOGNI_API_KEY: 'sekrit-4711', S2V_COMFYUI_AUTH_HEADER: 'Authorization: Bearer tok-4711', ...urls, S2V_THREADS: '2' } }), []);
  });
});
