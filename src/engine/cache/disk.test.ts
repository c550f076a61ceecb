/**
 * The disk cache's own contract, file by file: where it lives, how entries are stored
 * (paths relative to the entry so it can move), what a damaged entry does, the size cap and
 * LRU, stats, clear; and the two wrappers (ScratchCache for --no-cache, LayeredCache).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DiskCache, LayeredCache, ScratchCache, defaultCacheDir } from './disk.js';
import type { CacheEntry, CacheStore } from './store.js';
import { platformSandbox } from '../../../test/support/platform.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-disk-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

async function put(cache: CacheStore, key: string, bytes = 100, warnings: string[] = []): Promise<CacheEntry> {
  const p = await cache.begin(key);
  const f = path.join(p.dir, 'blob.bin');
  await fs.writeFile(f, Buffer.alloc(bytes, 1));
  return p.commit({ file: f }, warnings);
}

describe('defaultCacheDir', () => {
  const setPlatform = platformSandbox();
  it('S2V_CACHE_DIR wins; otherwise each platform’s cache folder', () => {
    process.env.S2V_CACHE_DIR = '/custom/cache';
    expect(defaultCacheDir()).toBe('/custom/cache');
    delete process.env.S2V_CACHE_DIR;
    delete process.env.XDG_CACHE_HOME;
    delete process.env.LOCALAPPDATA;
    setPlatform('linux');
    expect(defaultCacheDir()).toBe(path.join(os.homedir(), '.cache', 's2v-studio'));
    process.env.XDG_CACHE_HOME = '/xdg-cache';
    expect(defaultCacheDir()).toBe(path.join('/xdg-cache', 's2v-studio'));
    setPlatform('darwin');
    expect(defaultCacheDir()).toBe(path.join(os.homedir(), 'Library', 'Caches', 's2v-studio'));
    setPlatform('win32');
    expect(defaultCacheDir()).toBe(path.join(os.homedir(), 's2v-studio', 'cache'));
    process.env.LOCALAPPDATA = '/local';
    expect(defaultCacheDir()).toBe(path.join('/local', 's2v-studio', 'cache'));
  });
  it('the size cap is 10 GiB unless S2V_CACHE_CAP_BYTES or the option says otherwise', () => {
    delete process.env.S2V_CACHE_CAP_BYTES;
    expect(new DiskCache(dir).capBytes).toBe(10 * 1024 ** 3);
    process.env.S2V_CACHE_CAP_BYTES = '12345';
    expect(new DiskCache(dir).capBytes).toBe(12345);
    expect(new DiskCache(dir, { capBytes: 7 }).capBytes).toBe(7);
    expect(new DiskCache('rel-cache').dir).toBe(path.resolve('rel-cache'));
  });
});

describe('DiskCache entries', () => {
  it('stores paths inside the entry relative to it, so a moved cache folder still serves working paths', async () => {
    const cache = new DiskCache(path.join(dir, 'a'));
    const p = await cache.begin('k');
    const f = path.join(p.dir, 'sub', 'x.txt');
    await fs.mkdir(path.dirname(f), { recursive: true });
    await fs.writeFile(f, 'payload');
    const outside = `${p.dir}-sibling/y.txt`;
    const e = await p.commit({ nested: { list: [f, 'plain text', 3, null], dirItself: p.dir }, outside }, ['w1']);
    const final = path.join(dir, 'a', 'entries', 'k');
    expect(e.outputs).toEqual({ nested: { list: [path.join(final, 'sub', 'x.txt'), 'plain text', 3, null], dirItself: final }, outside });
    expect(e.warnings).toEqual(['w1']);
    const meta = JSON.parse(await fs.readFile(path.join(final, 'meta.json'), 'utf8'));
    expect(meta.outputs.nested.list[0]).toBe('@entry/sub/x.txt');
    expect(meta.key).toBe('k');
    // Move the whole cache folder: the entry still resolves to files that exist.
    await fs.rename(path.join(dir, 'a'), path.join(dir, 'b'));
    const moved = await new DiskCache(path.join(dir, 'b')).get('k');
    expect(moved!.outputs.nested).toMatchObject({ list: [path.join(dir, 'b', 'entries', 'k', 'sub', 'x.txt'), 'plain text', 3, null] });
    expect(await fs.readFile((moved!.outputs.nested as { list: string[] }).list[0]!, 'utf8')).toBe('payload');
    expect(moved!.warnings).toEqual(['w1']);
  });

  it('a damaged meta.json is a miss and the entry is removed; a meta.json for another key is a miss', async () => {
    const cache = new DiskCache(dir);
    await put(cache, 'broken');
    await fs.writeFile(path.join(dir, 'entries', 'broken', 'meta.json'), '{not json');
    expect(await cache.get('broken')).toBeUndefined();
    await expect(fs.stat(path.join(dir, 'entries', 'broken'))).rejects.toMatchObject({ code: 'ENOENT' });
    await put(cache, 'real');
    await fs.rename(path.join(dir, 'entries', 'real'), path.join(dir, 'entries', 'impostor'));
    expect(await cache.get('impostor')).toBeUndefined();
    expect(await cache.get('never-written')).toBeUndefined();
  });

  it('meta.json without warnings reads as no warnings', async () => {
    const cache = new DiskCache(dir);
    await put(cache, 'k');
    const meta = path.join(dir, 'entries', 'k', 'meta.json');
    const m = JSON.parse(await fs.readFile(meta, 'utf8'));
    delete m.warnings;
    await fs.writeFile(meta, JSON.stringify(m));
    expect((await cache.get('k'))!.warnings).toEqual([]);
  });

  it('committing a key again replaces the old entry whole (no stale files left in it)', async () => {
    const cache = new DiskCache(dir);
    const p1 = await cache.begin('k');
    await fs.writeFile(path.join(p1.dir, 'old-only.txt'), 'old');
    await p1.commit({ v: 1 }, []);
    const p2 = await cache.begin('k');
    await fs.writeFile(path.join(p2.dir, 'new.txt'), 'new');
    await p2.commit({ v: 2 }, []);
    expect((await cache.get('k'))!.outputs).toEqual({ v: 2 });
    expect((await fs.readdir(path.join(dir, 'entries', 'k'))).sort()).toEqual(['meta.json', 'new.txt']);
  });

  it('discard throws a build away; delete drops an entry', async () => {
    const cache = new DiskCache(dir);
    const p = await cache.begin('gone');
    await fs.writeFile(path.join(p.dir, 'x'), 'x');
    await p.discard();
    await expect(fs.stat(p.dir)).rejects.toMatchObject({ code: 'ENOENT' });
    await put(cache, 'k');
    await cache.delete('k');
    expect(await cache.get('k')).toBeUndefined();
  });

  it('stats and clear on a cache folder that is a file, or runs through one, answer E109 in one line', async () => {
    const file = path.join(dir, 'a-file');
    await fs.writeFile(file, 'x');
    for (const [at, why] of [[file, 'cache folder is a file'], [path.join(file, 'sub'), 'folder path runs through a file']] as const) {
      const cache = new DiskCache(at);
      for (const op of [() => cache.stats(), () => cache.clear()]) {
        await expect(op()).rejects.toMatchObject({ code: 'E109', where: at, message: why, exitCode: 2 });
      }
    }
    expect(await fs.readFile(file, 'utf8')).toBe('x');
  });

  it('the temp sweep runs once per cache object, when the first build starts', async () => {
    const cache = new DiskCache(dir);
    await (await cache.begin('first')).discard();
    const dead = path.join(dir, 'tmp', 'aaaaaaaaaaaaaaaa-999999999-dead');
    await fs.mkdir(dead, { recursive: true });
    await (await cache.begin('second')).discard();
    expect(await fs.stat(dead).then(() => 'kept')).toBe('kept');
    await (await new DiskCache(dir).begin('third')).discard();
    await expect(fs.stat(dead)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('DiskCache size: stats, LRU eviction, clear', () => {
  it('stats counts committed entries and all their bytes (nested folders too), not builds in progress', async () => {
    const cache = new DiskCache(dir, { capBytes: 999 });
    await put(cache, 'a', 1000);
    const p = await cache.begin('b');
    await fs.mkdir(path.join(p.dir, 'deep', 'er'), { recursive: true });
    await fs.writeFile(path.join(p.dir, 'deep', 'er', 'f'), Buffer.alloc(500));
    await p.commit({}, []);
    const pending = await cache.begin('c');
    await fs.writeFile(path.join(pending.dir, 'f'), Buffer.alloc(4000));
    const s = await cache.stats();
    expect(s.entries).toBe(2);
    const metaBytes = (await fs.stat(path.join(dir, 'entries', 'a', 'meta.json'))).size + (await fs.stat(path.join(dir, 'entries', 'b', 'meta.json'))).size;
    expect(s.bytes).toBe(1500 + metaBytes);
    expect(s).toMatchObject({ dir, capBytes: 999 });
    // An entry folder without meta.json (mid-replace) is not an entry.
    await fs.mkdir(path.join(dir, 'entries', 'half'), { recursive: true });
    expect((await cache.stats()).entries).toBe(2);
  });

  it('evict does nothing under the cap, and removes least recently READ entries until under it', async () => {
    const cache = new DiskCache(dir, { capBytes: 10_000 });
    for (const k of ['e1', 'e2', 'e3', 'e4']) {
      await put(cache, k, 1000);
      const t = new Date(Date.now() - 60_000 * (5 - Number(k[1])));
      await fs.utimes(path.join(dir, 'entries', k, 'meta.json'), t, t);
    }
    await cache.evict();
    expect((await cache.stats()).entries).toBe(4);
    await cache.get('e1'); // read: now the most recently used
    const tight = new DiskCache(dir, { capBytes: 2500 });
    await tight.evict();
    const left = (await fs.readdir(path.join(dir, 'entries'))).sort();
    expect(left).toEqual(['e1', 'e4']);
  });

  it('stats counts the run memos (their bytes against the cap); evict over the cap removes them first', async () => {
    const cache = new DiskCache(dir, { capBytes: 2500 });
    await put(cache, 'e1', 1000);
    await put(cache, 'e2', 1000);
    const entryBytes = (await cache.stats()).bytes;
    await fs.mkdir(path.join(dir, 'run-memos'));
    for (const m of ['0123456789abcdef', 'fedcba9876543210']) await fs.writeFile(path.join(dir, 'run-memos', `${m}.json`), Buffer.alloc(300));
    // A memo being written (its temp file) is not one yet.
    await fs.writeFile(path.join(dir, 'run-memos', '.0123456789abcdef.json.77-0a0b0c0d.partial'), Buffer.alloc(300));
    expect(await cache.stats()).toMatchObject({ entries: 2, memos: 2, bytes: entryBytes + 600 });
    // 2 × ~1000 + 600 is over 2500: the memos go, and that is enough.
    await cache.evict();
    expect(await cache.stats()).toMatchObject({ entries: 2, memos: 0, bytes: entryBytes });
    await expect(fs.readdir(path.join(dir, 'run-memos'))).rejects.toThrow();
  });

  it('memos that cannot be removed stay counted, and the entries are still trimmed to the cap', async () => {
    const cache = new DiskCache(dir, { capBytes: 1800 });
    for (const k of ['e1', 'e2']) {
      await put(cache, k, 1000);
      const t = new Date(Date.now() - 60_000 * (3 - Number(k[1])));
      await fs.utimes(path.join(dir, 'entries', k, 'meta.json'), t, t);
    }
    await fs.mkdir(path.join(dir, 'run-memos'));
    await fs.writeFile(path.join(dir, 'run-memos', '0123456789abcdef.json'), Buffer.alloc(300));
    const memos = path.join(dir, 'run-memos');
    const rm = fs.rm.bind(fs);
    const refuse = vi.spyOn(fs, 'rm').mockImplementation(async (p, o) => {
      if (p === memos) throw Object.assign(new Error('EBUSY'), { code: 'EBUSY' });
      return rm(p, o);
    });
    try {
      await cache.evict();
    } finally {
      refuse.mockRestore();
    }
    expect(await fs.readdir(path.join(dir, 'entries'))).toEqual(['e2']);
    expect((await cache.stats()).memos).toBe(1);
  });

  it('clear removes every entry and every build folder', async () => {
    const cache = new DiskCache(dir);
    await put(cache, 'a');
    await cache.begin('b');
    await cache.clear();
    expect(await fs.readdir(dir)).toEqual([]);
    expect((await cache.stats()).entries).toBe(0);
  });
});

describe('ScratchCache (--no-cache)', () => {
  it('never hits, hands out fresh folders, returns outputs as given, and disposes of everything', async () => {
    const s = new ScratchCache(path.join(dir, 'scratch'));
    const p = await s.begin('0123456789abcdefXYZ');
    expect(path.basename(p.dir).startsWith('0123456789abcdef-')).toBe(true);
    expect((await fs.stat(p.dir)).isDirectory()).toBe(true);
    const f = path.join(p.dir, 'x');
    const e = await p.commit({ f }, ['w']);
    expect(e).toEqual({ key: '0123456789abcdefXYZ', outputs: { f }, warnings: ['w'] });
    expect(await s.get()).toBeUndefined();
    await s.delete();
    await s.clear();
    expect(await s.stats()).toEqual({ entries: 0, bytes: 0, dir: path.join(dir, 'scratch') });
    const q = await s.begin('k');
    await q.discard();
    await expect(fs.stat(q.dir)).rejects.toMatchObject({ code: 'ENOENT' });
    await s.dispose();
    await expect(fs.stat(path.join(dir, 'scratch'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(new ScratchCache().dir.startsWith(path.join(os.tmpdir(), `s2v-scratch-${process.pid}-`))).toBe(true);
  });
});

describe('LayeredCache', () => {
  function counting(inner: CacheStore) {
    const n = { get: 0, evict: 0 };
    const store: CacheStore = {
      get: (k) => (n.get++, inner.get(k)),
      begin: (k) => inner.begin(k),
      delete: (k) => inner.delete(k),
      stats: () => inner.stats(),
      clear: () => inner.clear(),
      evict: async () => {
        n.evict++;
        await inner.evict!();
      },
    };
    return { store, n };
  }

  it('serves repeated reads from memory, keeps at most maxEntries (least recently used go first)', async () => {
    const { store, n } = counting(new DiskCache(dir));
    const mem = new LayeredCache(store, 2);
    await put(mem, 'a');
    await put(mem, 'b');
    expect((await mem.get('a'))!.key).toBe('a'); // from memory
    expect(n.get).toBe(0);
    await put(mem, 'c'); // evicts b, the least recently used
    await mem.get('a');
    await mem.get('c');
    expect(n.get).toBe(0);
    expect((await mem.get('b'))!.key).toBe('b'); // from disk, then remembered
    expect(n.get).toBe(1);
    await mem.get('b');
    expect(n.get).toBe(1);
  });

  it('delete, clear and evict reach both layers; a miss stays a miss', async () => {
    const { store, n } = counting(new DiskCache(dir));
    const mem = new LayeredCache(store);
    await put(mem, 'a');
    await mem.delete('a');
    expect(await mem.get('a')).toBeUndefined();
    await put(mem, 'b');
    await mem.clear();
    expect(await mem.get('b')).toBeUndefined();
    await put(mem, 'c');
    await mem.evict();
    expect(n.evict).toBe(1);
    const before = n.get;
    expect((await mem.get('c'))!.key).toBe('c'); // memory was dropped: read from disk again
    expect(n.get).toBe(before + 1);
    expect((await mem.stats()).entries).toBe(1);
    const p = await mem.begin('d');
    await p.discard();
    expect(await mem.get('d')).toBeUndefined();
  });

  it('tells where its files live: the folder of the store it wraps (none for a store without one)', () => {
    expect(new LayeredCache(new DiskCache(dir)).dir).toBe(path.resolve(dir));
    expect(new LayeredCache(new ScratchCache(path.join(dir, 's'))).dir).toBe(path.join(dir, 's'));
    const { store } = counting(new DiskCache(dir));
    expect(new LayeredCache(store).dir).toBeUndefined();
  });
});
