/**
 * The run memo's reader (bin/run-memo.js) and writer (run-memo.ts) in-process: what keys a memo,
 * which runs may not use one, and that a memo is answered only while everything it lists is
 * as it was. test/integration/run-memo.test.ts runs real `s2v run` processes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript without types: it runs before the bundle is loaded
import * as reader from '../../bin/run-memo.js';
import { defaultCacheDir } from '../engine/index.js';
import { catalog } from '../../nodes/index.js';
import { KNOWN_FINGERPRINTS, KNOWN_STILL_VALID, MEMO_FORMAT, RunWatch, type RunMemoRequest } from './run-memo.js';
import { createCatalog, defineNode } from '../engine/index.js';
import { z } from 'zod';
import { redactUrl } from '../backends/index.js';
// @ts-expect-error plain JavaScript without types
import { FORMAT as BUNDLE_FORMAT, freshBundle as freshBundleUntyped, root as bundleRoot } from '../../bin/fresh-bundle.js';

type Request = RunMemoRequest;
const freshBundle = freshBundleUntyped as (cacheDir: string, variant?: string) => string | undefined;
const { runMemoRequest, replayRun } = reader as {
  runMemoRequest(argv: string[], opts?: { env?: NodeJS.ProcessEnv; cwd?: string; stderr?: { isTTY?: boolean; columns?: number }; currentBundle?: () => string | undefined }): Request | undefined;
  replayRun(req: Request, out?: { stdout(s: string): void; stderr(s: string): void }): Promise<boolean>;
  defaultCacheDir(env?: NodeJS.ProcessEnv): string;
  MEMO_FORMAT: number;
};

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-memo-unit-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const bundle = '/x/node_modules/.cache/s2v/cli-0123456789abcdef.cjs';
const ask = (argv: string[], opts: Parameters<typeof runMemoRequest>[1] = {}) =>
  runMemoRequest(argv, { env: { HOME: '/home/u', S2V_CACHE_DIR: path.join(tmp, 'cache') }, cwd: tmp, stderr: {}, currentBundle: () => bundle, ...opts });

describe('run memo key', () => {
  it('reader and writer agree on the format and on the default cache folder', () => {
    expect((reader as { MEMO_FORMAT: number }).MEMO_FORMAT).toBe(MEMO_FORMAT);
    const saved = { ...process.env };
    try {
      for (const env of [{ S2V_CACHE_DIR: '/a/b' }, { XDG_CACHE_HOME: '/c' }, {}]) {
        delete process.env.S2V_CACHE_DIR;
        delete process.env.XDG_CACHE_HOME;
        Object.assign(process.env, env);
        expect(reader.defaultCacheDir(process.env)).toBe(defaultCacheDir());
      }
    } finally {
      process.env = saved;
    }
  });

  it('no memo for --no-cache, --to, --debug, S2V_NO_RUN_MEMO, S2V_NO_BUNDLE or a stale bundle', () => {
    expect(ask(['g.json'])).toBeDefined();
    for (const argv of [['g.json', '--no-cache'], ['g.json', '--no-cache=1'], ['g.json', '--to', 'model'], ['g.json', '--to=model'], ['g.json', '--debug']]) expect(ask(argv), argv.join(' ')).toBeUndefined();
    expect(ask(['g.json'], { env: { S2V_NO_RUN_MEMO: '1' } })).toBeUndefined();
    expect(ask(['g.json'], { env: { S2V_NO_BUNDLE: '1' } })).toBeUndefined();
    expect(ask(['g.json'], { currentBundle: () => undefined })).toBeUndefined();
  });

  it('finds the cache folder as the run parses it', () => {
    expect(ask(['g.json'])!.cacheDir).toBe(path.join(tmp, 'cache'));
    expect(ask(['g.json', '--cache-dir', 'c1'])!.cacheDir).toBe(path.join(tmp, 'c1'));
    expect(ask(['g.json', '--cache-dir=c2', '--cache-dir', 'c3'])!.cacheDir).toBe(path.join(tmp, 'c3'));
    // A value of another flag, and anything after `--`, is not the flag.
    expect(ask(['g.json', '--set', '--cache-dir', '--', '--cache-dir', 'c4'])!.cacheDir).toBe(path.join(tmp, 'cache'));
    expect(ask(['g.json'])!.file).toBe(path.join(tmp, 'cache', 'run-memos', `${ask(['g.json'])!.key}.json`));
  });

  it('the key follows the arguments, folder, bundle, run-changing environment and terminal width, not unrelated variables or credentials', () => {
    const base = ask(['g.json'])!.key;
    const env = { HOME: '/home/u', S2V_CACHE_DIR: path.join(tmp, 'cache') };
    expect(ask(['g.json'], { env: { ...env, OLDPWD: '/elsewhere', TERM_SESSION_ID: 'x' } })!.key).toBe(base);
    for (const secret of ['SOGNI_API_KEY', 'SOGNI_USERNAME', 'SOGNI_PASSWORD', 'S2V_COMFYUI_AUTH_HEADER']) {
      const req = ask(['g.json'], { env: { ...env, [secret]: 'sekrit' } })!;
      expect(req.key).toBe(base);
      expect(JSON.stringify(req.env)).not.toContain('sekrit');
    }
    const others = [
      ask(['g.json', '-o', 'a.mp4']),
      ask(['g.json'], { cwd: path.join(tmp, 'sub') }),
      ask(['g.json'], { currentBundle: () => bundle.replace('0123', '9999') }),
      ask(['g.json'], { env: { HOME: '/home/u', S2V_CACHE_DIR: path.join(tmp, 'cache'), S2V_PROVIDER: 'cuda' } }),
      ask(['g.json'], { env: { HOME: '/home/u', S2V_CACHE_DIR: path.join(tmp, 'cache'), SOGNI_REST_ENDPOINT: 'https://x' } }),
      ask(['g.json'], { env: { HOME: '/home/u', S2V_CACHE_DIR: path.join(tmp, 'cache'), FFMPEG_PATH: '/opt/ffmpeg' } }),
      ask(['g.json'], { stderr: { isTTY: true, columns: 80 } }),
      ask(['g.json'], { stderr: { isTTY: true, columns: 120 } }),
    ].map((r) => r!.key);
    expect(new Set([base, ...others]).size).toBe(others.length + 1);
  });

  it('keeps no user info, password or token of a server address; another server is another key', async () => {
    const env = { HOME: '/home/u', S2V_CACHE_DIR: path.join(tmp, 'cache') };
    const secretEnv = {
      ...env,
      // A query cut by ';' or ',' (the settings split S2V_COMFYUI_URL on ',' only; an endpoint is one URL).
      S2V_COMFYUI_URL: 'http://alice:pw-4711@gpu:8188/?token=tok-4711,https://gpu2:8188/base/#frag-4711,http://gpu4:8188/?a=1;token=semi-4714',
      SOGNI_REST_ENDPOINT: 'https://bob:pw-4712@api.example/v1?key=k-4712',
      SOGNI_SOCKET_ENDPOINT: 'carol:pw-4713@socket',
      SOGNI_OTHER_ENDPOINT: 'wss://s/?a=1,token=comma-4715',
    };
    const req = ask(['g.json'], { env: secretEnv })!;
    const video = path.join(tmp, 'out.mp4');
    fs.writeFileSync(video, 'video');
    const why = await new RunWatch(req, path.join(tmp, 'models')).write({ cacheDir: req.cacheDir, entries: [], outputs: [video], stdout: 'took 0.01 s — ran 0, cached 0\n', stderr: '', inference: {} as never });
    expect(why).toBeUndefined();
    const files = fs.readdirSync(req.cacheDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(fs.readFileSync(path.join(f.parentPath, f.name), 'utf8')).not.toMatch(/alice|bob|carol|pw-47|tok-4711|k-4712|frag|semi-4714|comma-4715/);
    expect(JSON.stringify(req)).not.toMatch(/alice|bob|carol|pw-47|tok-4711|k-4712|frag|semi-4714|comma-4715/);
    // The redaction is redactUrl's (src/backends/redact.ts).
    expect(fs.statSync(req.file).mode & 0o777).toBe(0o600);
    const kept = new Map(req.env);
    expect(kept.get('S2V_COMFYUI_URL')).toBe(['http://alice:pw-4711@gpu:8188/?token=tok-4711', 'https://gpu2:8188/base/#frag-4711', 'http://gpu4:8188/?a=1;token=semi-4714'].map(redactUrl).join(','));
    expect(kept.get('SOGNI_OTHER_ENDPOINT')).toBe(redactUrl('wss://s/?a=1,token=comma-4715'));
    // Not a scheme:// URL (redactUrl would keep "carol:" as a scheme and the rest as a path).
    expect(kept.get('SOGNI_SOCKET_ENDPOINT')).toBe('<invalid url>');
    // A fully cached run never contacts a server: a new password or token is the same run, another server is not.
    expect(ask(['g.json'], { env: { ...secretEnv, S2V_COMFYUI_URL: secretEnv.S2V_COMFYUI_URL.replace(/4711/g, '9999') } })!.key).toBe(req.key);
    expect(ask(['g.json'], { env: { ...secretEnv, S2V_COMFYUI_URL: secretEnv.S2V_COMFYUI_URL.replace('gpu:', 'gpu3:') } })!.key).not.toBe(req.key);
    expect(ask(['g.json'], { env: { ...secretEnv, SOGNI_REST_ENDPOINT: 'https://bob:pw-4712@api.example/v2?key=k-4712' } })!.key).not.toBe(req.key);
    expect(ask(['g.json'], { env: { ...secretEnv, S2V_COMFYUI_URL: 'not a url://x' } })!.key).not.toBe(req.key);
    // Paths are kept as they are, with or without an `@`.
    for (const dir of ['/home/u/node@20/data', 'cfg@v1', 'C:\\Users\\a@b\\cfg']) {
      expect(new Map(ask(['g.json'], { env: { ...env, S2V_DATA_DIR: dir } })!.env).get('S2V_DATA_DIR')).toBe(dir);
    }
  });

  it('a model manifest naming a file outside its folder leaves no memo (the watch sees only the model folders)', async () => {
    const models = path.join(tmp, 'models');
    const manifests = {
      inside: { id: 'inside', kind: 'onnx', files: [{ name: 'sub/m.onnx', sha256: 'x' }, { name: 'p.onnx', package: 'some-pkg' }] },
      weights: { id: 'weights', kind: 'onnx', files: [{ name: '../../outside.onnx', sha256: 'x' }] },
      workflow: { id: 'workflow', kind: 'comfyui', comfyui: { workflow: '../inside/sub/../../../wf.json' } },
    };
    const old = new Date(Date.now() - 10_000);
    for (const [id, m] of Object.entries(manifests)) {
      fs.mkdirSync(path.join(models, id), { recursive: true });
      fs.writeFileSync(path.join(models, id, 'manifest.json'), JSON.stringify(m));
      fs.utimesSync(path.join(models, id, 'manifest.json'), old, old);
    }
    const req = ask(['g.json'])!;
    const attempt = () => {
      const watch = new RunWatch(req, models);
      (watch as unknown as { started: number }).started = Date.now() + 5_000;
      watch.seeModels();
      return watch.write({ cacheDir: req.cacheDir, entries: [], outputs: [], stdout: 'took 0.01 s — ran 0, cached 0\n', stderr: '', inference: {} as never });
    };
    expect(await attempt()).toBe(`${path.join(models, 'weights', 'manifest.json')} names a file outside its folder ("../../outside.onnx")`);
    fs.rmSync(path.join(models, 'weights'), { recursive: true });
    expect(await attempt()).toContain(`${path.join(models, 'workflow', 'manifest.json')} names a file outside its folder`);
    fs.rmSync(path.join(models, 'workflow'), { recursive: true });
    // Files inside the folder (and in npm packages: checked per model asked for) do not stop it.
    expect(await attempt()).toBeUndefined();
  });

  it('the node types whose keys or validity read outside state are the ones a watch knows how to see', () => {
    // A new fingerprint() or stillValid() must be looked at: until then it leaves no memo (next test).
    expect(catalog.defs.filter((d) => d.fingerprint).map((d) => d.type).sort()).toEqual([...KNOWN_FINGERPRINTS].sort());
    expect(catalog.defs.filter((d) => d.stillValid).map((d) => d.type).sort()).toEqual([...KNOWN_STILL_VALID].sort());
  });

  it('a graph with a node type whose fingerprint it cannot see leaves no memo', async () => {
    const clock = defineNode({ type: 'clock', version: 1, title: 'Clock', description: 'd', category: 'source', inputs: {}, outputs: {}, params: z.object({}), cache: 'fingerprint', fingerprint: async () => String(Date.now()), evaluate: async () => ({}) });
    const watch = new RunWatch(ask(['g.json'])!, tmp);
    watch.checkNodes({ schemaVersion: 1, metadata: { title: 't' }, inputs: [], nodes: [{ id: 'c', type: 'clock', version: 1, params: {} }], edges: [] } as never, createCatalog([clock]));
    const why = await watch.write({ cacheDir: path.join(tmp, 'cache'), entries: [], outputs: [], stdout: 'took 0.01 s — ran 0, cached 1\n', stderr: '', inference: {} as never });
    expect(why).toContain('"clock" has a fingerprint the run memo cannot check');
    expect(fs.existsSync(ask(['g.json'])!.file)).toBe(false);
  });
});

describe('answering from a memo', () => {
  /** A memo as the writer leaves it, for one input file, one cache entry and one exported video. */
  async function written(): Promise<{ req: Request; input: string; video: string; meta: string }> {
    const req = ask(['g.json'])!;
    const input = path.join(tmp, 'in.wav');
    const video = path.join(tmp, 'out.mp4');
    const key = 'a'.repeat(64);
    const meta = path.join(req.cacheDir, 'entries', key, 'meta.json');
    fs.mkdirSync(path.dirname(meta), { recursive: true });
    fs.writeFileSync(meta, '{}');
    fs.writeFileSync(input, 'sound');
    fs.writeFileSync(video, 'video');
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(input, old, old);
    // ctime cannot be set back: the watch starts "later" than it by moving its clock.
    const watch = new RunWatch(req, path.join(tmp, 'models'));
    (watch as unknown as { started: number }).started = Date.now() + 5_000;
    watch.see(input);
    const why = await watch.write({ cacheDir: req.cacheDir, entries: [key], outputs: [video], stdout: 'wrote out.mp4 (1.00 s)\ntook 2.50 s — ran 0, cached 1\n', stderr: 'cached  a (audio-file)\n', inference: {} as never });
    expect(why).toBeUndefined();
    return { req, input, video, meta };
  }

  const replay = async (req: Request) => {
    const out = { stdout: '', stderr: '' };
    const hit = await replayRun(req, { stdout: (s) => (out.stdout += s), stderr: (s) => (out.stderr += s) });
    return { hit, ...out };
  };

  it('prints what the run printed, with the time measured anew', async () => {
    const { req } = await written();
    const r = await replay(req);
    expect(r.hit).toBe(true);
    expect(r.stderr).toBe('cached  a (audio-file)\n');
    expect(r.stdout).toMatch(/^wrote out\.mp4 \(1\.00 s\)\ntook 0\.\d\d s — ran 0, cached 1\n$/);
  });

  it('a memo of another bundle (a source file edited), of another request or with any listed thing changed is a miss', async () => {
    const { req, input } = await written();
    expect((await replay({ ...req, bundle: 'cli-ffffffffffffffff.cjs' })).hit).toBe(false);
    expect((await replay({ ...req, argv: ['other.json'] })).hit).toBe(false);
    expect((await replay({ ...req, cwd: '/' })).hit).toBe(false);
    expect((await replay({ ...req, env: [...req.env, ['S2V_THREADS', '2']] })).hit).toBe(false);
    expect((await replay({ ...req, tty: 80 })).hit).toBe(false);
    expect((await replay(req)).hit).toBe(true);
    // The input's size and mtime kept, its ctime moved by the rewrite.
    const st = fs.statSync(input);
    fs.writeFileSync(input, 'SOUND');
    fs.utimesSync(input, st.atime, st.mtime);
    expect((await replay(req)).hit).toBe(false);
  });

  it('a folder on the way to a file swapped for a link to where it went (same files, same stats) is a miss', async () => {
    // The slow path refuses a graph's file whose real path leaves the graph's folder (E108).
    const req = ask(['g.json'])!;
    const assets = path.join(tmp, 'assets');
    const input = path.join(assets, 'in.wav');
    fs.mkdirSync(assets);
    fs.writeFileSync(input, 'sound');
    const watch = new RunWatch(req, path.join(tmp, 'models'));
    (watch as unknown as { started: number }).started = Date.now() + 5_000;
    watch.see(input);
    expect(await watch.write({ cacheDir: req.cacheDir, entries: [], outputs: [], stdout: 'took 0.01 s — ran 0, cached 0\n', stderr: '', inference: {} as never })).toBeUndefined();
    expect((await replay(req)).hit).toBe(true);
    const before = fs.statSync(input);
    fs.mkdirSync(path.join(tmp, 'elsewhere'));
    fs.renameSync(assets, path.join(tmp, 'elsewhere', 'assets'));
    fs.symlinkSync(path.join(tmp, 'elsewhere', 'assets'), assets);
    const after = fs.statSync(input);
    // The file itself is untouched: only its real path tells.
    expect([after.size, after.mtimeMs, after.ctimeMs, after.ino, after.dev]).toEqual([before.size, before.mtimeMs, before.ctimeMs, before.ino, before.dev]);
    expect((await replay(req)).hit).toBe(false);
  });

  it('an entry replaced under the same key, or a video overwritten, is a miss', async () => {
    const a = await written();
    fs.rmSync(a.meta);
    // A new file as long as the old one, most likely on the same inode, in a later timestamp tick.
    const t = Date.now();
    while (Date.now() < t + 30);
    fs.writeFileSync(a.meta, '[]');
    expect((await replay(a.req)).hit).toBe(false);
    fs.rmSync(path.dirname(a.meta), { recursive: true });
    expect((await replay(a.req)).hit).toBe(false);
    const b = await written();
    fs.writeFileSync(b.video, 'VIDEO');
    expect((await replay(b.req)).hit).toBe(false);
  });

  it('a memo whose closing line cannot be built (a "done" nested past the stack) is a miss that prints and touches nothing', async () => {
    const { req, meta } = await written();
    const memo = JSON.parse(fs.readFileSync(req.file, 'utf8')) as Record<string, unknown>;
    memo.last = { kind: 'json', done: { event: 'done', ran: [], seconds: 1, deep: '__DEEP__' } };
    // JSON.parse reads it (it passes the shape check); JSON.stringify overflows the stack on it.
    const deep = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
    fs.writeFileSync(req.file, JSON.stringify(memo).replace('"__DEEP__"', deep));
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(meta, old, old);
    const before = fs.statSync(meta).mtimeMs;
    const r = await replay(req);
    expect(r).toEqual({ hit: false, stdout: '', stderr: '' });
    expect(fs.statSync(meta).mtimeMs).toBe(before);
  });

  it('a file changed during the run, or not settled before it, leaves no memo', async () => {
    const req = ask(['g.json'])!;
    const input = path.join(tmp, 'in.wav');
    fs.writeFileSync(input, 'sound');
    const fresh = new RunWatch(req, path.join(tmp, 'models'));
    fresh.see(input);
    expect(await fresh.write({ cacheDir: req.cacheDir, entries: [], outputs: [], stdout: 'took 0.01 s — ran 0, cached 0\n', stderr: '', inference: {} as never })).toContain('was modified less than');
    const changed = new RunWatch(req, path.join(tmp, 'models'));
    (changed as unknown as { started: number }).started = Date.now() + 5_000;
    changed.see(input);
    fs.appendFileSync(input, '!');
    expect(await changed.write({ cacheDir: req.cacheDir, entries: [], outputs: [], stdout: 'took 0.01 s — ran 0, cached 0\n', stderr: '', inference: {} as never })).toContain('changed during the run');
    expect(fs.existsSync(req.file)).toBe(false);
  });
});

describe('the CLI bundle manifest', () => {
  it('one of any other shape is no fresh bundle (the loader builds one), never a throw', () => {
    const dir = path.join(tmp, 'bundle');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'cli-0123.cjs'), '');
    fs.writeFileSync(path.join(tmp, 'src.ts'), 'x');
    const st = fs.statSync(path.join(tmp, 'src.ts'));
    const rel = path.relative(bundleRoot, path.join(tmp, 'src.ts'));
    const good = { format: BUNDLE_FORMAT, root: bundleRoot, bundle: 'cli-0123.cjs', inputs: [[rel, st.size, st.mtimeMs]] };
    const write = (m: unknown) => fs.writeFileSync(path.join(dir, 'cli.json'), JSON.stringify(m));
    write(good);
    expect(freshBundle(dir)).toBe(path.join(dir, 'cli-0123.cjs'));
    for (const bad of [null, 7, 'x', [], { ...good, inputs: [null] }, { ...good, inputs: [7] }, { ...good, inputs: [[null, 1, 2]] }, { ...good, inputs: [[`${rel}\0`, st.size, st.mtimeMs]] }, { ...good, bundle: null }, { ...good, bundle: '../../elsewhere.cjs' }]) {
      write(bad);
      expect(() => freshBundle(dir), JSON.stringify(bad)).not.toThrow();
      expect(freshBundle(dir), JSON.stringify(bad)).toBeUndefined();
      // …so a run asks no memo, and the normal path (which rebuilds the bundle) runs.
      expect(ask(['g.json'], { currentBundle: () => freshBundle(dir) })).toBeUndefined();
    }
  });

  it("a command with a bundle of its own (analyze) gets it, fresh when its own inputs are; any other command, or a malformed entry, the CLI's or none", () => {
    const dir = path.join(tmp, 'bundles');
    fs.mkdirSync(dir);
    const input = (name: string) => {
      fs.writeFileSync(path.join(tmp, name), 'x');
      const st = fs.statSync(path.join(tmp, name));
      return [path.relative(bundleRoot, path.join(tmp, name)), st.size, st.mtimeMs] as const;
    };
    const shared = input('shared.ts');
    const cliOnly = input('cli-only.ts');
    const good = { format: BUNDLE_FORMAT, root: bundleRoot, bundle: 'cli-0123.cjs', inputs: [shared, cliOnly], bundles: { analyze: { bundle: 'cli-4567.cjs', inputs: [shared] } } };
    const write = (m: unknown) => fs.writeFileSync(path.join(dir, 'cli.json'), JSON.stringify(m));
    write(good);
    expect(freshBundle(dir, 'analyze')).toBe(path.join(dir, 'cli-4567.cjs'));
    expect(freshBundle(dir, 'run')).toBe(path.join(dir, 'cli-0123.cjs'));
    expect(freshBundle(dir, 'toString')).toBe(path.join(dir, 'cli-0123.cjs'));
    expect(freshBundle(dir)).toBe(path.join(dir, 'cli-0123.cjs'));
    // A file only the CLI was built from changes: the analysis's bundle is still the one to run.
    fs.writeFileSync(path.join(tmp, 'cli-only.ts'), 'xy');
    expect(freshBundle(dir)).toBeUndefined();
    expect(freshBundle(dir, 'analyze')).toBe(path.join(dir, 'cli-4567.cjs'));
    // One both were built from: neither.
    fs.writeFileSync(path.join(tmp, 'shared.ts'), 'xy');
    expect(freshBundle(dir, 'analyze')).toBeUndefined();
    write({ ...good, inputs: [input('shared.ts')], bundles: { analyze: { bundle: 'cli-4567.cjs', inputs: [input('shared.ts')] } } });
    for (const analyze of [null, 7, 'cli-4567.cjs', { bundle: null, inputs: [] }, { bundle: '../elsewhere.cjs', inputs: [] }, { bundle: 'cli-4567.cjs' }, { bundle: 'cli-4567.cjs', inputs: [7] }]) {
      write({ ...good, inputs: [input('shared.ts')], bundles: { analyze } });
      expect(() => freshBundle(dir, 'analyze'), JSON.stringify(analyze)).not.toThrow();
      expect(freshBundle(dir, 'analyze'), JSON.stringify(analyze)).toBeUndefined();
      expect(freshBundle(dir), JSON.stringify(analyze)).toBe(path.join(dir, 'cli-0123.cjs'));
    }
    for (const bundles of [null, 7, 'x', []]) {
      write({ ...good, inputs: [input('shared.ts')], bundles });
      expect(freshBundle(dir, 'analyze'), JSON.stringify(bundles)).toBe(path.join(dir, 'cli-0123.cjs'));
    }
  });
});
