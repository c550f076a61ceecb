/** Input hashes kept between runs: trusted only while the file is provably the same one, unchanged. */
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { createFileService } from '../files.js';
import { DiskCache } from './disk.js';
import { DiskFileHashes, SETTLE_MS, type FileHashStore } from './file-hashes.js';

const tmp = useTempDir('s2v-hashes-');
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
/** A new file service on the same store: what the next `s2v run` process starts with. */
const nextRun = (store: DiskFileHashes) => createFileService({ remembered: store });
const PLANTED = 'a'.repeat(64);
/** The store's clock a minute on: files written by a test are long settled, so their hashes are kept. */
const settled = (dir: string) => new DiskFileHashes(dir, { now: () => Date.now() + 60_000 });

/** Replaces the remembered hash of `file` with PLANTED, keeping its identity: a hash returned as PLANTED was not re-read. */
async function plant(store: DiskFileHashes, file: string): Promise<void> {
  const [name] = await fs.readdir(store.dir);
  const rec = path.join(store.dir, name!);
  const json = JSON.parse(await fs.readFile(rec, 'utf8')) as { id: string; sha256: string };
  expect(json.id.startsWith(`${file}\0`)).toBe(true);
  await fs.writeFile(rec, JSON.stringify({ ...json, sha256: PLANTED }));
}

async function setUp(content: string, mtimeSec?: number) {
  const file = path.join(tmp(), 'track.wav');
  await fs.writeFile(file, content);
  if (mtimeSec !== undefined) await fs.utimes(file, mtimeSec, mtimeSec);
  const store = settled(path.join(tmp(), 'cache', 'file-hashes'));
  expect(await nextRun(store).hashFile(file)).toBe(sha(content));
  await plant(store, file);
  return { file, store };
}

describe('input file hashes remembered between runs', () => {
  it('the next run takes the remembered hash of an unchanged file without reading it', async () => {
    const { file, store } = await setUp('the same bytes');
    expect(await nextRun(store).hashFile(file)).toBe(PLANTED);
  });

  it('an edit of the same size with a new mtime is hashed again', async () => {
    const { file, store } = await setUp('AAAA');
    const st = await fs.stat(file);
    await fs.writeFile(file, 'BBBB');
    await fs.utimes(file, st.atime, new Date(st.mtimeMs + 2000));
    expect(await nextRun(store).hashFile(file)).toBe(sha('BBBB'));
  });

  it('an edit of the same size whose mtime was set back is still hashed again (its ctime moved)', async () => {
    // A whole-second mtime, so setting it back is exact.
    const { file, store } = await setUp('AAAA', 1_700_000_000);
    const st = await fs.stat(file);
    await new Promise((r) => setTimeout(r, 20));
    await fs.writeFile(file, 'BBBB');
    await fs.utimes(file, 1_700_000_000, 1_700_000_000);
    expect((await fs.stat(file)).mtimeMs).toBe(st.mtimeMs);
    expect(await nextRun(store).hashFile(file)).toBe(sha('BBBB'));
  });

  it('another file moved into its place (same size and mtime) is hashed again', async () => {
    const { file, store } = await setUp('AAAA');
    const st = await fs.stat(file);
    const other = path.join(tmp(), 'other.wav');
    await fs.writeFile(other, 'CCCC');
    await fs.utimes(other, st.atime, st.mtime);
    await fs.rename(other, file);
    expect(await nextRun(store).hashFile(file)).toBe(sha('CCCC'));
  });

  it('a damaged record is ignored and rewritten', async () => {
    const { file, store } = await setUp('AAAA');
    const [name] = await fs.readdir(store.dir);
    await fs.writeFile(path.join(store.dir, name!), '{"id": 3');
    expect(await nextRun(store).hashFile(file)).toBe(sha('AAAA'));
    expect(JSON.parse(await fs.readFile(path.join(store.dir, name!), 'utf8')).sha256).toBe(sha('AAAA'));
  });

  it('a store it cannot write to costs nothing but the speed-up', async () => {
    const file = path.join(tmp(), 'a.txt');
    await fs.writeFile(file, 'x');
    const blocker = path.join(tmp(), 'not-a-folder');
    await fs.writeFile(blocker, '');
    const store = settled(path.join(blocker, 'file-hashes'));
    expect(await nextRun(store).hashFile(file)).toBe(sha('x'));
    expect(await nextRun(store).hashFile(file)).toBe(sha('x'));
  });

  it('a record that cannot be moved into place leaves no temp file behind', async () => {
    const { file, store } = await setUp('AAAA', 1_700_000_000);
    const [name] = await fs.readdir(store.dir);
    // A folder where the record goes: writing the temp file works, renaming it over the folder fails.
    await fs.rm(path.join(store.dir, name!));
    await fs.mkdir(path.join(store.dir, name!, 'in-the-way'), { recursive: true });
    expect(await nextRun(store).hashFile(file)).toBe(sha('AAAA'));
    expect(await fs.readdir(store.dir)).toEqual([name]);
  });

  it('the disk cache keeps them inside its folder and `cache clear` removes them', async () => {
    const file = path.join(tmp(), 'a.txt');
    await fs.writeFile(file, 'x');
    // The file was just written (its ctime is now): run the cache's clock a minute on, so it has settled.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 60_000);
    const cache = new DiskCache(path.join(tmp(), 'cache'));
    try {
      await createFileService({ remembered: cache.fileHashes }).hashFile(file);
    } finally {
      vi.useRealTimers();
    }
    expect(cache.fileHashes.dir.startsWith(cache.dir + path.sep)).toBe(true);
    expect(await fs.readdir(cache.fileHashes.dir)).toHaveLength(1);
    await cache.clear();
    await expect(fs.stat(cache.fileHashes.dir)).rejects.toThrow();
  });

  describe('a file modified within one timestamp tick of being hashed (FAT keeps 2 s, some network mounts 1 s)', () => {
    const T = 1_700_000_000_000;

    it('is not remembered, so a same-size edit that leaves every timestamp as it was is still seen', async () => {
      // On a coarse file system an edit inside the same tick leaves mtime and ctime unchanged:
      // the stats after the edit are the stats before it.
      const file = path.join(tmp(), 'track.wav');
      const coarse = { size: 4, mtimeMs: T, ctimeMs: T, ino: 7, dev: 1 } as Stats;
      const store = new DiskFileHashes(path.join(tmp(), 'hashes'), { now: () => T + 1500 });
      await store.set(file, coarse, sha('AAAA'));
      expect(await store.get(file, coarse)).toBeUndefined();
      expect(await fs.readdir(store.dir).catch(() => [])).toEqual([]);
    });

    it('is remembered once the clock has moved more than the window past its mtime', async () => {
      const file = path.join(tmp(), 'track.wav');
      const coarse = { size: 4, mtimeMs: T, ctimeMs: T, ino: 7, dev: 1 } as Stats;
      const store = new DiskFileHashes(path.join(tmp(), 'hashes'), { now: () => T + 2001 });
      await store.set(file, coarse, sha('AAAA'));
      expect(await store.get(file, coarse)).toBe(sha('AAAA'));
    });

    it('counts the newer of mtime and ctime: an edit within the tick whose mtime was set back (utimes) is not remembered', async () => {
      // Restoring an old mtime after an edit leaves ctime at the moment of the edit; on a coarse
      // file system a second edit in that same tick would change neither timestamp.
      const file = path.join(tmp(), 'track.wav');
      const restored = { size: 4, mtimeMs: T - 3_600_000, ctimeMs: T, ino: 7, dev: 1 } as Stats;
      const store = new DiskFileHashes(path.join(tmp(), 'hashes'), { now: () => T + 1500 });
      expect(store.settled(restored)).toBe(false);
      await store.set(file, restored, sha('AAAA'));
      expect(await store.get(file, restored)).toBeUndefined();
      expect(new DiskFileHashes(store.dir, { now: () => T + 2001 }).settled(restored)).toBe(true);
    });

    it('a file whose mtime is ahead of the clock (a skewed network mount) is not remembered either', async () => {
      const file = path.join(tmp(), 'track.wav');
      const ahead = { size: 4, mtimeMs: T + 60_000, ctimeMs: T + 60_000, ino: 7, dev: 1 } as Stats;
      const store = new DiskFileHashes(path.join(tmp(), 'hashes'), { now: () => T });
      await store.set(file, ahead, sha('AAAA'));
      expect(await store.get(file, ahead)).toBeUndefined();
    });

    it('is judged when the read starts (a read can outlast the window): a store that says "not settled" then is never asked to keep it', async () => {
      const file = path.join(tmp(), 'long.wav');
      await fs.writeFile(file, 'AAAA');
      await fs.utimes(file, 1_700_000_000, 1_700_000_000);
      for (const settled of [false, true]) {
        const asked: string[] = [];
        const store: FileHashStore = {
          get: async () => (asked.push('get'), undefined),
          settled: () => (asked.push('settled'), settled),
          set: async () => void asked.push('set'),
        };
        expect(await createFileService({ remembered: store }).hashFile(file)).toBe(sha('AAAA'));
        expect(asked).toEqual(settled ? ['get', 'settled', 'set'] : ['get', 'settled']);
      }
    });

    it('the default clock is the system clock in ms: a file is kept from SETTLE_MS after its newer timestamp, not before', async () => {
      // The system clock is pinned relative to the stats read, so the machine's speed does not matter.
      const file = path.join(tmp(), 'fresh.wav');
      await fs.writeFile(file, 'AAAA');
      const st = await fs.stat(file);
      const newest = Math.max(st.mtimeMs, st.ctimeMs);
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        vi.setSystemTime(newest + SETTLE_MS - 1);
        const early = new DiskFileHashes(path.join(tmp(), 'early'));
        expect(await nextRun(early).hashFile(file)).toBe(sha('AAAA'));
        expect(await early.get(file, st)).toBeUndefined();
        vi.setSystemTime(newest + SETTLE_MS + 1);
        const later = new DiskFileHashes(path.join(tmp(), 'later'));
        expect(await nextRun(later).hashFile(file)).toBe(sha('AAAA'));
        expect(await later.get(file, st)).toBe(sha('AAAA'));
      } finally {
        vi.useRealTimers();
      }
    });
  });
});
