/**
 * Uploads: the browser sends raw bytes; they are streamed to a temp file in the assets
 * folder (hashing on the way), then renamed to `<id>-<name>` where id is the start of
 * the sha256, so re-uploading the same file reuses it. The kind comes from the extension
 * and must agree with the file's magic bytes: a renamed .exe never becomes an "image".
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { HttpError } from './http.js';
import { safeFileName } from './paths.js';

export type AssetKind = 'image' | 'audio' | 'video';

export interface Asset {
  id: string;
  name: string;
  /** Absolute path; what file params hold. */
  path: string;
  kind: AssetKind;
  /** `/api/files?path=…&token=…`, ready for <img>/<video> src. */
  url: string;
}

const EXT_KIND: Record<string, AssetKind> = {
  png: 'image', jpg: 'image', jpeg: 'image', gif: 'image', webp: 'image', bmp: 'image',
  wav: 'audio', mp3: 'audio', flac: 'audio', ogg: 'audio', oga: 'audio', opus: 'audio', m4a: 'audio', aac: 'audio', weba: 'audio',
  mp4: 'video', m4v: 'video', mov: 'video', webm: 'video', mkv: 'video', avi: 'video', ogv: 'video',
};

/** Which kinds the first bytes allow (containers such as MP4/WebM/Ogg carry several). */
export function sniffKinds(head: Buffer): AssetKind[] {
  const ascii = (start: number, end: number) => head.subarray(start, end).toString('latin1');
  if (head.length >= 8 && head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return ['image'];
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return ['image'];
  if (ascii(0, 4) === 'GIF8') return ['image'];
  if (ascii(0, 2) === 'BM' && head.length >= 14) return ['image'];
  if (ascii(0, 4) === 'RIFF') {
    const form = ascii(8, 12);
    if (form === 'WEBP') return ['image'];
    if (form === 'WAVE') return ['audio'];
    if (form === 'AVI ') return ['video'];
    return [];
  }
  if (ascii(0, 4) === 'fLaC') return ['audio'];
  if (ascii(0, 3) === 'ID3') return ['audio'];
  // MPEG audio frame sync (mp3 without ID3) or ADTS (aac).
  if (head.length >= 2 && head[0] === 0xff && (head[1]! & 0xe0) === 0xe0) return ['audio'];
  if (ascii(0, 4) === 'OggS') return ['audio', 'video'];
  if (ascii(4, 8) === 'ftyp') {
    const brand = ascii(8, 12);
    return brand.startsWith('M4A') || brand.startsWith('M4B') ? ['audio'] : ['video', 'audio'];
  }
  if (head.length >= 4 && head.readUInt32BE(0) === 0x1a45dfa3) return ['video', 'audio'];
  return [];
}

/** The asset kind for a name + first bytes, or an HttpError(415) naming the file. */
export function assetKind(name: string, head: Buffer): AssetKind {
  const ext = path.extname(name).slice(1).toLowerCase();
  const byExt = EXT_KIND[ext];
  if (!byExt) throw new HttpError(415, `${name}: unsupported file type ".${ext}" (use an image, audio or video file)`);
  const sniffed = sniffKinds(head);
  if (!sniffed.includes(byExt)) {
    throw new HttpError(415, `${name}: contents do not look like ${byExt === 'image' ? 'an' : 'a'} ${byExt} file (.${ext})`);
  }
  return byExt;
}

/** Stream the request body into `assetsDir` and return the stored asset (without url). */
export async function receiveAsset(req: IncomingMessage, assetsDir: string, maxBytes: number): Promise<Omit<Asset, 'url'>> {
  const header = req.headers['x-filename'];
  const rawName = Array.isArray(header) ? header[0] : header;
  if (!rawName) throw new HttpError(400, 'missing X-Filename header (e.g. "song.wav")');
  let decoded = rawName;
  try {
    decoded = decodeURIComponent(rawName);
  } catch {
    // A literal % in a name is fine; keep it as sent.
  }
  const name = safeFileName(decoded);
  const hash = createHash('sha256');
  let head = Buffer.alloc(0);
  const tmp = await receiveToTemp(req, assetsDir, maxBytes, name, (chunk) => {
    if (head.length < 64) head = Buffer.concat([head, chunk.subarray(0, 64 - head.length)]);
    hash.update(chunk);
  });
  try {
    const kind = assetKind(name, head);
    const id = hash.digest('hex').slice(0, 16);
    const dest = path.join(assetsDir, `${id}-${name}`);
    await fs.rename(tmp, dest);
    return { id, name, path: dest, kind };
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Stream a request body into a new temp file in `dir` and return its path (the caller owns it).
 * Capped at `maxBytes` (413 before reading when the declared length is over it, else as soon as
 * the stream passes it); an empty or interrupted upload is a 400 naming `what`. `onChunk` sees
 * the bytes as they pass, so a caller can hash or sniff them without reading the file again.
 */
export async function receiveToTemp(req: IncomingMessage, dir: string, maxBytes: number, what: string, onChunk?: (chunk: Buffer) => void): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw new HttpError(413, `${what}: ${declared} bytes is over the upload limit of ${maxBytes} bytes`);
  }
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.upload-${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > maxBytes) return cb(new HttpError(413, `${what}: over the upload limit of ${maxBytes} bytes`));
      onChunk?.(chunk);
      cb(null, chunk);
    },
  });
  try {
    await pipeline(req, meter, createWriteStream(tmp, { flags: 'wx' }));
    if (size === 0) throw new HttpError(400, `${what}: the upload is empty`);
    return tmp;
  } catch (e) {
    await fs.rm(tmp, { force: true });
    if (e instanceof HttpError) throw e;
    if ((e as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE' || (e as NodeJS.ErrnoException).code === 'ECONNRESET') {
      throw new HttpError(400, `${what}: the upload was interrupted`);
    }
    throw e;
  }
}
