/** File fingerprints: sha256 of the bytes, memoised by path + size + mtime (and on disk, see cache/file-hashes.ts). */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, type Stats } from 'node:fs';
import fs from 'node:fs/promises';
import { dirname as pathDirname, resolve as pathResolve } from 'node:path';
import { S2VError } from './errors.js';
import type { FileService } from './services/index.js';
import type { FileHashStore } from './cache/file-hashes.js';

/** The file's stats; E108 naming it when it is missing or not a regular file. */
export async function statRegularFile(path: string): Promise<Stats> {
  const st = await fs.stat(path).catch(() => {
    throw new S2VError('E108', 'file not found', { where: path, hint: 'check the path' });
  });
  if (!st.isFile()) throw new S2VError('E108', 'not a regular file', { where: path });
  return st;
}

/** `remembered`: hashes kept between runs (the runtime passes one inside the disk cache). */
export function createFileService(opts: { remembered?: FileHashStore } = {}): FileService {
  const memo = new Map<string, string>();
  const { remembered } = opts;
  return {
    async hashFile(path: string) {
      const st = await statRegularFile(path);
      const memoKey = `${path}\0${st.size}\0${st.mtimeMs}`;
      const known = memo.get(memoKey) ?? (await remembered?.get(path, st));
      if (known) {
        memo.set(memoKey, known);
        return known;
      }
      // Asked before reading: see FileHashStore.settled.
      const keep = remembered?.settled(st) ?? false;
      const hash = createHash('sha256');
      try {
        for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      } catch (e) {
        throw new S2VError('E108', `cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { where: path });
      }
      const digest = hash.digest('hex');
      memo.set(memoKey, digest);
      // Kept only when the file did not change while it was read.
      if (remembered && keep) {
        const after = await fs.stat(path).catch(() => undefined);
        if (after && after.mtimeMs === st.mtimeMs && after.ctimeMs === st.ctimeMs && after.size === st.size) await remembered.set(path, st, digest);
      }
      return digest;
    },
  };
}

/**
 * A small file's text, or undefined when it cannot be read. Synchronous on purpose: an awaited
 * read is four trips through the event loop (open, stat, read, close), ~0.2 ms of CPU and more
 * of waiting each, and a cached re-run reads some forty manifests and cache records.
 */
export function readSmallText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * `mkdir -p` that always settles. Node's `fs.mkdir(…, { recursive: true })` spins forever on
 * paths such as /proc/x (mkdir says ENOENT, the parent exists, so it retries), which hung
 * `s2v run -o /proc/x/out.mp4`. Here each missing folder is made once, top-down, and the
 * first failure is thrown as an E109 naming `dir`.
 */
export async function makeDirs(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = pathResolve(dir);
  for (;;) {
    const st = await fs.stat(at).catch(() => undefined);
    if (st) {
      if (!st.isDirectory()) throw new S2VError('E109', 'folder path runs through a file', { where: at, hint: 'choose a writable folder' });
      break;
    }
    missing.unshift(at);
    const up = pathDirname(at);
    if (up === at) break;
    at = up;
  }
  for (const d of missing) {
    try {
      await fs.mkdir(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && (await fs.stat(d).catch(() => undefined))?.isDirectory()) continue;
      throw new S2VError('E109', `cannot create folder (${code ?? 'error'})`, { where: d, hint: 'choose a writable folder' });
    }
  }
}
