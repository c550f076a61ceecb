/**
 * What the cache must never get wrong, on a real disk: a file edited in place (same path,
 * same size, same mtime second) or a new model is never served stale; a commit is one
 * rename, not a copy; opening the cache never sweeps away another live process's build.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnChild } from '../../test/support/processes.js';
import { z } from 'zod';
import { testNode } from '../../test/support/test-node.js';
import { DiskCache, createCatalog, createFileService, fileSource, parseGraph, runGraph, type Services } from './index.js';
import { fakeServices } from '../../test/support/fake-services.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-cache-int-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

let reads = 0;
/** Reads the picked file's text; keyed by its bytes like Image / Audio File. */
const fileText = testNode('test-file-text', 'source', {
  ...fileSource('image', 'File'),
  outputs: { text: { type: 'text' } },
  async evaluate({ params }) {
    reads++;
    return { text: await fs.readFile(params.path, 'utf8') };
  },
});

let modelHash = 'model-v1';
let modelRuns = 0;
/** Fingerprinted by its model's hash, like Video Model. */
const modelNode = testNode('test-model', 'model', {
  outputs: { text: { type: 'text' } },
  params: z.object({ model: z.string().default('m') }),
  cache: 'fingerprint',
  fingerprint: async (p, ctx) => `${p.model}:${await ctx.services.inference.modelHash(p.model)}`,
  async evaluate() {
    modelRuns++;
    return { text: `made by ${modelHash}` };
  },
});

const catalog = createCatalog([fileText, modelNode]);

function services(): Services {
  return fakeServices({ files: createFileService(), inference: { modelHash: async () => modelHash } });
}

const oneNode = (type: string, params: Record<string, unknown>) => parseGraph({ schemaVersion: 1, nodes: [{ id: 'n', type, params }], edges: [] });

describe('cache key follows outside state (fingerprint)', () => {
  it('an image edited in place at the same path, same size and same mtime second, is read again — never served stale', async () => {
    const file = path.join(dir, 'picture.txt');
    await fs.writeFile(file, 'AAAA-original');
    const st = await fs.stat(file);
    const g = oneNode('test-file-text', { path: file });
    const svc = services();
    const first = await runGraph(g, { catalog, services: svc, cache: new DiskCache(dir) });
    expect(first.nodes.get('n')!.outputs!.text).toBe('AAAA-original');
    // Same length, same whole second of mtime: only the bytes (and sub-second mtime) differ.
    await fs.writeFile(file, 'BBBB-repaints');
    const sec = Math.floor(st.mtimeMs / 1000);
    await fs.utimes(file, sec + 0.5, sec + 0.5);
    expect((await fs.stat(file)).size).toBe(st.size);
    reads = 0;
    const second = await runGraph(g, { catalog, services: svc, cache: new DiskCache(dir) });
    expect(second.ran, 'the edited file must be read again').toEqual(['n']);
    expect(second.nodes.get('n')!.outputs!.text).toBe('BBBB-repaints');
    expect(reads).toBe(1);
    // Unchanged bytes: served from the cache, not read.
    reads = 0;
    const third = await runGraph(g, { catalog, services: services(), cache: new DiskCache(dir) });
    expect(third.cached).toEqual(['n']);
    expect(reads).toBe(0);
  });

  it('a new model file under the same model id runs the node again', async () => {
    const g = oneNode('test-model', {});
    modelHash = 'model-v1';
    modelRuns = 0;
    await runGraph(g, { catalog, services: services(), cache: new DiskCache(dir) });
    modelHash = 'model-v2';
    const r = await runGraph(g, { catalog, services: services(), cache: new DiskCache(dir) });
    expect(r.ran, 'a changed model hash must miss the cache').toEqual(['n']);
    expect(r.nodes.get('n')!.outputs!.text).toBe('made by model-v2');
    expect(modelRuns).toBe(2);
  });
});

describe('disk cache commit is atomic', () => {
  it('commit moves the built entry into place with one rename (same inode), never a copy a reader could see half-done', async () => {
    const cache = new DiskCache(dir);
    const pending = await cache.begin('k-atomic');
    const blob = path.join(pending.dir, 'frames.bin');
    await fs.writeFile(blob, Buffer.alloc(256 * 1024, 7));
    const before = { dir: (await fs.stat(pending.dir)).ino, blob: (await fs.stat(blob)).ino };
    const entry = await pending.commit({ file: blob }, []);
    const moved = entry.outputs.file as string;
    expect(moved.startsWith(path.join(dir, 'entries', 'k-atomic'))).toBe(true);
    expect((await fs.stat(path.dirname(moved))).ino, 'the entry folder must be the build folder renamed').toBe(before.dir);
    expect((await fs.stat(moved)).ino, 'artifacts must be renamed with it, not copied').toBe(before.blob);
    // The build folder is gone (moved), and nothing else is left in tmp/.
    await expect(fs.stat(pending.dir)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
    expect((await new DiskCache(dir).get('k-atomic'))!.outputs.file).toBe(moved);
  });
});

/** A real process that stays alive until killed. */
function liveProcess(): Promise<{ pid: number; stop: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('spawn', () => resolve({ pid: child.pid!, stop: () => child.kill() }));
  });
}

function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(child.pid!));
  });
}

describe('disk cache sweep on open', () => {
  it('keeps the temp folders of other live processes, removes those of dead ones and very old ones', async () => {
    const live = await liveProcess();
    try {
      const tmp = path.join(dir, 'tmp');
      const mk = async (name: string, ageMs = 0) => {
        const d = path.join(tmp, name);
        await fs.mkdir(d, { recursive: true });
        await fs.writeFile(path.join(d, 'part.bin'), 'building');
        if (ageMs) {
          const t = (Date.now() - ageMs) / 1000;
          await fs.utimes(d, t, t);
        }
        return d;
      };
      const otherLive = await mk(`aaaaaaaaaaaaaaaa-${live.pid}-0001`);
      const dead = await mk(`bbbbbbbbbbbbbbbb-${await deadPid()}-0002`);
      const ancient = await mk(`cccccccccccccccc-${live.pid}-0003`, 7 * 3600_000);
      // Opening the cache and starting a build sweeps tmp/.
      const p = await new DiskCache(dir).begin('mine');
      await expect(fs.readFile(path.join(otherLive, 'part.bin'), 'utf8'), 'a live process is still building this').resolves.toBe('building');
      await expect(fs.stat(dead)).rejects.toMatchObject({ code: 'ENOENT' });
      await expect(fs.stat(ancient)).rejects.toMatchObject({ code: 'ENOENT' });
      await p.discard();
    } finally {
      live.stop();
    }
  });
});
