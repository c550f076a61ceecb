/**
 * Input files' sha256, remembered across runs: a cached re-run of a 10-minute track would
 * otherwise read all of its ~100 MB again just to learn nothing changed. A record is trusted
 * only while the file has the same path, size, mtime, ctime, inode and device — ctime moves on
 * every write and cannot be set back (utimes changes it too), so an edit that keeps the size and
 * restores the mtime is still noticed. One small JSON file per path, replaced atomically.
 *
 * Timestamps are only as fine as the file system keeps them (FAT: 2 s, some network mounts:
 * 1 s): an edit inside the same tick leaves mtime and ctime as they were. So a file modified
 * (mtime or ctime, whichever is newer) within SETTLE_MS of the moment its reading starts is not
 * remembered, and is read again next time.
 */
import type { Stats } from 'node:fs';
import path from 'node:path';
import { sha256 } from './key.js';
import { makeDirs, readSmallText } from '../files.js';
import { replaceFile } from '../temp-file.js';

export interface FileHashStore {
  get(file: string, st: Stats): Promise<string | undefined>;
  /**
   * Whether a hash read from now on may be kept for a file with these stats: false while its mtime
   * or ctime is within a timestamp tick of now. Asked before reading, since an edit during a long read
   * inside that tick would leave the stats as they were.
   */
  settled(st: Stats): boolean;
  set(file: string, st: Stats, digest: string): Promise<void>;
}

/** The coarsest timestamp tick among the file systems a track may sit on (FAT's 2 s). */
export const SETTLE_MS = 2000;

/** What must be unchanged for a remembered hash to hold. */
function identity(file: string, st: Stats): string {
  return [file, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.dev].join('\0');
}

export class DiskFileHashes implements FileHashStore {
  private readonly now: () => number;

  /** `now`: the clock (ms since the epoch) that tells whether a file has settled; injectable for tests. */
  constructor(readonly dir: string, opts: { now?: () => number } = {}) {
    this.now = opts.now ?? Date.now;
  }

  private recordPath(file: string): string {
    return path.join(this.dir, `${sha256(file).slice(0, 32)}.json`);
  }

  async get(file: string, st: Stats): Promise<string | undefined> {
    try {
      const rec = JSON.parse(readSmallText(this.recordPath(file)) ?? 'null') as { id?: unknown; sha256?: unknown };
      return rec.id === identity(file, st) && typeof rec.sha256 === 'string' && /^[0-9a-f]{64}$/.test(rec.sha256) ? rec.sha256 : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Changed more than SETTLE_MS ago by this clock, counting the newer of mtime and ctime: an edit
   * whose mtime was set back (utimes) leaves ctime at the edit, and a second edit inside that tick
   * would move neither. A timestamp ahead of the clock, from a skewed mount, is not settled.
   */
  settled(st: Stats): boolean {
    return Math.max(st.mtimeMs, st.ctimeMs) <= this.now() - SETTLE_MS;
  }

  async set(file: string, st: Stats, digest: string): Promise<void> {
    if (!this.settled(st)) return;
    // Remembering is only a speed-up: a folder we cannot write means hashing again next time.
    try {
      await makeDirs(this.dir);
      await replaceFile(this.recordPath(file), JSON.stringify({ id: identity(file, st), sha256: digest }));
    } catch {
      // (see above)
    }
  }
}
