/**
 * Writes that land whole or not at all: fill a hidden temp file in the destination's folder
 * (same file system, so the rename is atomic), then rename it over the destination. Whatever
 * fails, the temp file is removed. src/media/atomic.ts builds its outputs on these; the cache's
 * small records use `replaceFile` directly.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Temp path beside `dest`; keeps the extension last so tools that sniff names still work. */
export function tempPathFor(dest: string): string {
  return path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}-${randomBytes(4).toString('hex')}.partial`);
}

/** Removes each path that is set, ignoring ones already gone. */
export async function discard(...paths: Array<string | undefined>): Promise<void> {
  await Promise.all(paths.map((p) => (p ? fs.rm(p, { force: true }).catch(() => {}) : undefined)));
}

/** Writes `data` to `dest` atomically; when the write or the rename fails, the temp file is removed and the error rethrown. */
export async function replaceFile(dest: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const temp = tempPathFor(dest);
  try {
    await fs.writeFile(temp, data, mode === undefined ? undefined : { mode });
    await fs.rename(temp, dest);
  } catch (e) {
    await discard(temp);
    throw e;
  }
}
