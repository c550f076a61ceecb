/**
 * The whole bad-input corpus (test/fixtures/bad/) through the real `s2v` process and the real
 * studio server. Every case: one `error:` line naming what and where (or, for the few inputs
 * that are accepted, the documented warning), the documented exit code, no stack trace, no
 * partial output file, no cache entry for the failed node and no half-written one, in
 * bounded time.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAD_DIR, CASES, makeInputs, type CliCase, type ServerCase } from '../fixtures/bad/corpus.js';
import { startServer, type StudioServer } from '../../src/server/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const S2V = path.join(ROOT, 'bin/s2v.js');
let tmp: string;

const fill = (s: string) => s.replaceAll('{tmp}', tmp).replaceAll('{bad}', BAD_DIR);

function runS2v(args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [S2V, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    // A hang is a failure of its own: kill it and report the time.
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}

/** Entries (committed) and leftovers (tmp) in a disk cache folder. */
async function cacheState(dir: string): Promise<{ entries: number; tmp: string[] }> {
  const entries = await fs.readdir(path.join(dir, 'entries')).catch(() => []);
  const tmpLeft = await fs.readdir(path.join(dir, 'tmp')).catch(() => []);
  return { entries: entries.length, tmp: tmpLeft };
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-bad-'));
  await makeInputs(tmp);
  // Bundle the CLI once up front, so the first case's time limit measures the case, not the build.
  await runS2v(['--version'], tmp, 120_000);
}, 300_000);
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('bad-input corpus', () => {
  it('has at least 30 cases across graphs, images, audio, CLI flags and server requests', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.kind))).toEqual(new Set(['graph', 'image', 'audio', 'cli', 'server']));
  });

  const cli = CASES.filter((c): c is CliCase => c.kind !== 'server');
  it.each(cli.map((c) => [`${c.kind}: ${c.name}`, c] as const))('%s', async (_name, c) => {
    const cache = path.join(tmp, `cache-${cli.indexOf(c)}`);
    const maxSec = c.maxSec ?? 90;
    // --cache-dir right after `run` (not last, where a value-less flag before it would take it).
    const args = c.args.map(fill);
    if (args[0] === 'run' && !args.includes('--cache-dir')) args.splice(1, 0, '--cache-dir', cache);
    const r = await runS2v(args, tmp, maxSec * 1000);
    const lines = r.stderr.trim().split('\n');
    const report = `exit ${r.code} after ${r.seconds}s; stderr:\n${r.stderr}`;
    expect(r.seconds, report).toBeLessThan(maxSec);
    expect(r.code, report).toBe(c.exit);
    expect(r.stderr, 'no stack trace').not.toMatch(/\n\s+at .+:\d+:\d+/);
    const errors = lines.filter((l) => l.startsWith('error:'));
    if (c.exit === 0) {
      expect(errors, report).toEqual([]);
      expect(`${r.stderr}\n${r.stdout}`, report).toMatch(c.line);
    } else {
      expect(errors, report).toHaveLength(1);
      expect(lines.at(-1), report).toMatch(c.line);
      expect(lines.at(-1)!.length).toBeLessThan(400);
    }
    if (c.output) {
      await expect(fs.stat(path.join(tmp, c.output)), `${c.output} must not exist`).rejects.toThrow();
      expect((await fs.readdir(tmp)).filter((f) => f.endsWith('.partial'))).toEqual([]);
    }
    // The failed node left no entry: entries are at most the nodes that finished.
    const st = await cacheState(cache);
    expect(st.tmp).toEqual([]);
    const done = lines.filter((l) => /^done\s/.test(l)).length;
    expect(st.entries).toBeLessThanOrEqual(done);
  }, 240_000);
});

describe('bad-input corpus: studio requests', () => {
  let server: StudioServer;
  let root: string;
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-bad-server-'));
    server = await startServer({ port: 0, cacheDir: path.join(root, 'cache'), dataDir: path.join(root, 'data'), staticDir: path.join(root, 'ui') });
  });
  afterAll(async () => {
    await server?.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  const cases = CASES.filter((c): c is ServerCase => c.kind === 'server');
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    let body = c.body;
    if (body?.startsWith('{bad}')) body = JSON.stringify({ graph: JSON.parse(await fs.readFile(fill(body), 'utf8')) });
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${server.port}${c.path}`, {
      method: c.method,
      headers: { ...(c.token === false ? {} : { 'X-S2V-Token': server.token }), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body,
    });
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(res.status).toBe(c.status);
    const text = await res.text();
    const error = String((JSON.parse(text) as { error?: unknown }).error ?? '');
    expect(error).toMatch(c.error);
    expect(error.split('\n')).toHaveLength(1);
    expect(text).not.toMatch(/\s+at .+:\d+:\d+/);
  });
});
