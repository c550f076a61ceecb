/** Input hashes kept between runs: trusted only while the file is provably the same one, unchanged. */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../test/support/temp-dir.js';
import { createFileService } from '../files.js';
import { DiskCache } from './disk.js';
import { DiskFileHashes } from './file-hashes.js';

const tmp = useTempDir('s2v-hashes-');
const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
/** A new file service on the same store: what the next `s2v run` process starts with. */
const nextRun = (store: DiskFileHashes) => createFileService({ remembered: store });
const PLANTED = 'a'.repeat(64);

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
  const store = new DiskFileHashes(path.join(tmp(), 'cache', 'file-hashes'));
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
    const store = new DiskFileHashes(path.join(blocker, 'file-hashes'));
    expect(await nextRun(store).hashFile(file)).toBe(sha('x'));
    expect(await nextRun(store).hashFile(file)).toBe(sha('x'));
  });

  it('the disk cache keeps them inside its folder and `cache clear` removes them', async () => {
    const cache = new DiskCache(path.join(tmp(), 'cache'));
    const file = path.join(tmp(), 'a.txt');
    await fs.writeFile(file, 'x');
    await createFileService({ remembered: cache.fileHashes }).hashFile(file);
    expect(cache.fileHashes.dir.startsWith(cache.dir + path.sep)).toBe(true);
    expect(await fs.readdir(cache.fileHashes.dir)).toHaveLength(1);
    await cache.clear();
    await expect(fs.stat(cache.fileHashes.dir)).rejects.toThrow();
  });
});
