/**
 * Fetch a result (or a preview) into the node's artifact folder: streamed to a temp file and
 * renamed, so a cancelled or failed download never leaves a half file under the real name.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export class HttpStatusError extends Error {
  constructor(readonly status: number, what: string) {
    super(`HTTP ${status} while downloading ${what}`);
    this.name = 'HttpStatusError';
  }
}

/** Download `url` to `dest` atomically; returns the byte count. Throws on HTTP errors and empty bodies. */
export async function downloadTo(url: string, dest: string, signal?: AbortSignal, timeoutMs = 600_000): Promise<number> {
  const tmp = path.join(path.dirname(dest), `.${path.basename(dest)}.${process.pid}.${Date.now()}.part`);
  const signals = [AbortSignal.timeout(timeoutMs), ...(signal ? [signal] : [])];
  try {
    const res = await fetch(url, { signal: AbortSignal.any(signals) });
    if (!res.ok || !res.body) throw new HttpStatusError(res.status, path.basename(dest));
    await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), createWriteStream(tmp));
    const { size } = await stat(tmp);
    if (size === 0) throw new Error(`empty download for ${path.basename(dest)}`);
    await rename(tmp, dest);
    return size;
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
