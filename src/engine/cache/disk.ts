/**
 * Persistent cache on disk. Layout:
 *   <dir>/entries/<key>/meta.json   written last; an entry exists iff meta.json exists
 *   <dir>/entries/<key>/*           the node's artifacts
 *   <dir>/tmp/<key>-<rand>/         entries being built; renamed into entries/ on commit
 *   <dir>/file-hashes/              input files' sha256 between runs (file-hashes.ts)
 *   <dir>/run-memos/                what fully cached `s2v run`s printed (src/cli/run-memo.ts)
 * A crash or cancel leaves only tmp/ folders, which are swept on open. Paths inside the
 * entry are stored relative (`@entry/…`) so an entry can move. LRU: reads touch meta.json's
 * mtime; `evict()` removes the least recently used entries above the size cap.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { CacheEntry, CacheStore, PendingEntry } from './store.js';
import { makeDirs, readSmallText } from '../files.js';
import { DiskFileHashes } from './file-hashes.js';
import { S2VError } from '../errors.js';

const ENTRY_TOKEN = '@entry';
const TMP_MAX_AGE_MS = 6 * 3600_000;

export function defaultCacheDir(): string {
  if (process.env.S2V_CACHE_DIR) return process.env.S2V_CACHE_DIR;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 's2v-studio');
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA ?? os.homedir(), 's2v-studio', 'cache');
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 's2v-studio');
}

function replacePrefix(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value === from || value.startsWith(from + path.sep) || value.startsWith(from + '/') ? to + value.slice(from.length) : value;
  if (Array.isArray(value)) return value.map((v) => replacePrefix(v, from, to));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replacePrefix(v, from, to);
    return out;
  }
  return value;
}

async function dirSize(dir: string): Promise<number> {
  let total = 0;
  const items = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const it of items) {
    const p = path.join(dir, it.name);
    if (it.isDirectory()) total += await dirSize(p);
    else total += (await fs.stat(p).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

export class DiskCache implements CacheStore {
  readonly dir: string;
  readonly capBytes: number;
  /** Input files' hashes, kept beside the entries (for createFileService). */
  readonly fileHashes: DiskFileHashes;
  private swept = false;

  constructor(dir: string = defaultCacheDir(), opts: { capBytes?: number } = {}) {
    this.dir = path.resolve(dir);
    this.capBytes = opts.capBytes ?? Number(process.env.S2V_CACHE_CAP_BYTES ?? 10 * 1024 ** 3);
    this.fileHashes = new DiskFileHashes(path.join(this.dir, 'file-hashes'));
  }

  private entryDir(key: string): string {
    return path.join(this.dir, 'entries', key);
  }

  private async sweep(): Promise<void> {
    if (this.swept) return;
    this.swept = true;
    const tmp = path.join(this.dir, 'tmp');
    const items = await fs.readdir(tmp).catch(() => [] as string[]);
    const now = Date.now();
    for (const name of items) {
      const p = path.join(tmp, name);
      const st = await fs.stat(p).catch(() => undefined);
      // Another process may be building this one right now; only sweep what is clearly abandoned.
      const pid = Number(name.split('-')[1]);
      const alive = Number.isFinite(pid) && pidAlive(pid);
      if (st && (!alive || now - st.mtimeMs > TMP_MAX_AGE_MS)) await fs.rm(p, { recursive: true, force: true });
    }
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const dir = this.entryDir(key);
    const metaPath = path.join(dir, 'meta.json');
    const text = readSmallText(metaPath);
    if (text === undefined) return undefined;
    try {
      const meta = JSON.parse(text) as { key: string; outputs: Record<string, unknown>; warnings?: string[] };
      if (meta.key !== key) return undefined;
      const now = new Date();
      await fs.utimes(metaPath, now, now).catch(() => undefined);
      // Most entries hold no files (features: ~130 KB of numbers); only those with paths are walked.
      const outputs = text.includes(ENTRY_TOKEN) ? replacePrefix(meta.outputs, ENTRY_TOKEN, dir) : meta.outputs;
      return { key, outputs: outputs as Record<string, unknown>, warnings: meta.warnings ?? [] };
    } catch {
      // Unreadable meta: treat as a miss and drop the entry.
      await fs.rm(dir, { recursive: true, force: true });
      return undefined;
    }
  }

  async begin(key: string): Promise<PendingEntry> {
    await this.sweep();
    const tmpDir = path.join(this.dir, 'tmp', `${key.slice(0, 16)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    await makeDirs(tmpDir);
    const final = this.entryDir(key);
    return {
      dir: tmpDir,
      commit: async (outputs, warnings) => {
        const stored = replacePrefix(outputs, tmpDir, ENTRY_TOKEN);
        const metaTmp = path.join(tmpDir, 'meta.json.tmp');
        await fs.writeFile(metaTmp, JSON.stringify({ key, createdAt: new Date().toISOString(), outputs: stored, warnings }));
        await fs.rename(metaTmp, path.join(tmpDir, 'meta.json'));
        await fs.mkdir(path.dirname(final), { recursive: true });
        // An older/dead copy of the same key is replaced whole.
        await fs.rm(final, { recursive: true, force: true });
        try {
          await fs.rename(tmpDir, final);
        } catch (e) {
          // Lost a race with another process committing the same key: theirs is as good.
          if (!(await fs.stat(path.join(final, 'meta.json')).catch(() => undefined))) throw e;
          await fs.rm(tmpDir, { recursive: true, force: true });
        }
        return { key, outputs: replacePrefix(stored, ENTRY_TOKEN, final) as Record<string, unknown>, warnings };
      },
      discard: async () => {
        await fs.rm(tmpDir, { recursive: true, force: true });
      },
    };
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.entryDir(key), { recursive: true, force: true });
  }

  private async listEntries(): Promise<Array<{ key: string; bytes: number; used: number }>> {
    const root = path.join(this.dir, 'entries');
    const names = await fs.readdir(root).catch(() => [] as string[]);
    const out: Array<{ key: string; bytes: number; used: number }> = [];
    for (const key of names) {
      const st = await fs.stat(path.join(root, key, 'meta.json')).catch(() => undefined);
      if (!st) continue;
      out.push({ key, bytes: await dirSize(path.join(root, key)), used: st.mtimeMs });
    }
    return out;
  }

  /** The run memos (src/cli/run-memo.ts writes them): how many and their bytes, counted against the cap. */
  private async listMemos(): Promise<{ count: number; bytes: number }> {
    const root = path.join(this.dir, 'run-memos');
    const names = await fs.readdir(root).catch(() => [] as string[]);
    const out = { count: 0, bytes: 0 };
    for (const name of names) {
      // A memo's own name (not a temp file of one being written).
      if (!/^[0-9a-f]+\.json$/.test(name)) continue;
      const st = await fs.stat(path.join(root, name)).catch(() => undefined);
      if (!st?.isFile()) continue;
      out.count++;
      out.bytes += st.size;
    }
    return out;
  }

  /** `cache stats`/`clear` on a path that is a file (or runs through one): one line, not "0 entries" or a raw ENOTDIR. */
  private async refuseFileAsFolder(): Promise<void> {
    const why = await fs.stat(this.dir).then(
      (st) => (st.isDirectory() ? undefined : 'cache folder is a file'),
      (e: NodeJS.ErrnoException) => (e.code === 'ENOTDIR' ? 'folder path runs through a file' : undefined),
    );
    if (why) throw new S2VError('E109', why, { where: this.dir, hint: 'choose a folder with --cache-dir' });
  }

  async stats() {
    await this.refuseFileAsFolder();
    const list = await this.listEntries();
    const memos = await this.listMemos();
    return { entries: list.length, memos: memos.count, bytes: list.reduce((a, b) => a + b.bytes, 0) + memos.bytes, dir: this.dir, capBytes: this.capBytes };
  }

  async clear(): Promise<void> {
    await this.refuseFileAsFolder();
    await fs.rm(path.join(this.dir, 'entries'), { recursive: true, force: true });
    await fs.rm(path.join(this.dir, 'tmp'), { recursive: true, force: true });
    await fs.rm(this.fileHashes.dir, { recursive: true, force: true });
    // A memo finds its entries gone anyway; cleared, it cannot even be read.
    await fs.rm(path.join(this.dir, 'run-memos'), { recursive: true, force: true });
  }

  async evict(): Promise<void> {
    const list = await this.listEntries();
    const memos = await this.listMemos();
    let total = list.reduce((a, b) => a + b.bytes, 0) + memos.bytes;
    if (total <= this.capBytes) return;
    // Over the cap, the memos go first, all of them: the next fully cached run leaves its own again
    // (and a memo whose entries are evicted could only miss).
    // (Memos that cannot be removed — a read-only folder, a reader holding one on Windows — stay
    // counted, and the entries are trimmed as ever.)
    if (memos.count) {
      const removed = await fs.rm(path.join(this.dir, 'run-memos'), { recursive: true, force: true }).then(
        () => true,
        () => false,
      );
      if (removed) total -= memos.bytes;
    }
    list.sort((a, b) => a.used - b.used);
    for (const e of list) {
      if (total <= this.capBytes) break;
      await this.delete(e.key);
      total -= e.bytes;
    }
  }
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A cache that keeps nothing between runs (`--no-cache`): artifacts go to a scratch dir. */
export class ScratchCache implements CacheStore {
  readonly dir: string;
  constructor(dir: string = path.join(os.tmpdir(), `s2v-scratch-${process.pid}-${randomBytes(3).toString('hex')}`)) {
    this.dir = dir;
  }
  async get(): Promise<undefined> {
    return undefined;
  }
  async begin(key: string): Promise<PendingEntry> {
    const dir = path.join(this.dir, `${key.slice(0, 16)}-${randomBytes(4).toString('hex')}`);
    await fs.mkdir(dir, { recursive: true });
    return {
      dir,
      commit: async (outputs, warnings) => ({ key, outputs, warnings }),
      discard: () => fs.rm(dir, { recursive: true, force: true }),
    };
  }
  async delete(): Promise<void> {}
  async stats() {
    return { entries: 0, bytes: 0, dir: this.dir };
  }
  async clear(): Promise<void> {}
  /** Remove the scratch dir (call once outputs were exported). */
  async dispose(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}

/** Small in-memory LRU over another store, so repeated runs in one process skip disk reads. */
export class LayeredCache implements CacheStore {
  private mem = new Map<string, CacheEntry>();
  constructor(readonly inner: CacheStore, private readonly maxEntries = 256) {}
  get dir(): string | undefined {
    return this.inner.dir;
  }
  async get(key: string) {
    const hit = this.mem.get(key);
    if (hit) {
      this.mem.delete(key);
      this.mem.set(key, hit);
      return hit;
    }
    const e = await this.inner.get(key);
    if (e) this.remember(e);
    return e;
  }
  private remember(e: CacheEntry) {
    this.mem.set(e.key, e);
    while (this.mem.size > this.maxEntries) this.mem.delete(this.mem.keys().next().value!);
  }
  async begin(key: string) {
    const p = await this.inner.begin(key);
    return {
      dir: p.dir,
      commit: async (o: Record<string, unknown>, w: string[]) => {
        const e = await p.commit(o, w);
        this.remember(e);
        return e;
      },
      discard: () => p.discard(),
    };
  }
  async delete(key: string) {
    this.mem.delete(key);
    await this.inner.delete(key);
  }
  stats() {
    return this.inner.stats();
  }
  async clear() {
    this.mem.clear();
    await this.inner.clear();
  }
  async evict() {
    this.mem.clear();
    await this.inner.evict?.();
  }
}
