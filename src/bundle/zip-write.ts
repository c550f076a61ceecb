/**
 * A minimal ZIP writer for S2V bundles: each entry deflated (or stored when deflate does not
 * help, e.g. JPEG/MP3), UTF-8 names, regular-file mode 0644, fixed timestamps so packing the
 * same graph twice gives the same bytes. Written to a temp file and renamed into place.
 */
import fs from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { CENTRAL, DOS_DATE, DOS_TIME, EOCD, FLAG, HOST_UNIX, LOCAL, METHOD, MODE, writeRecord } from './zip-format.js';

export interface ZipInput {
  name: string;
  data: Uint8Array;
}

interface Placed {
  name: Buffer;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/** Deflate only pays when it saves at least 1/32 of the bytes. */
function compress(data: Uint8Array): { method: number; bytes: Uint8Array } {
  if (data.length === 0) return { method: METHOD.stored, bytes: data };
  const deflated = deflateRawSync(data, { level: 9 });
  return deflated.length < data.length - (data.length >> 5) ? { method: METHOD.deflate, bytes: deflated } : { method: METHOD.stored, bytes: data };
}

/** The fields the local and central headers share, as this writer fills them. */
function entryHead(p: Placed) {
  return { versionNeeded: 20, flags: FLAG.utf8, method: p.method, time: DOS_TIME, date: DOS_DATE, crc: p.crc, compressedSize: p.compressedSize, size: p.size, nameLen: p.name.length };
}

const localHeader = (p: Placed): Buffer => writeRecord(LOCAL, entryHead(p));

const centralHeader = (p: Placed): Buffer =>
  writeRecord(CENTRAL, { ...entryHead(p), madeBy: (HOST_UNIX << 8) | 20, external: (MODE.regular | 0o644) << 16, localOffset: p.offset });

const endOfCentralDirectory = (count: number, cdSize: number, cdOffset: number): Buffer => writeRecord(EOCD, { onDisk: count, count, cdSize, cdOffset });

/** The whole archive as chunks (used by the writer and by the test corpus builder). */
export function zipChunks(entries: ZipInput[]): Buffer[] {
  const chunks: Buffer[] = [];
  const placed: Placed[] = [];
  let offset = 0;
  for (const e of entries) {
    const { method, bytes } = compress(e.data);
    const p: Placed = { name: Buffer.from(e.name, 'utf8'), method, crc: crc32(e.data), compressedSize: bytes.length, size: e.data.length, offset };
    const head = localHeader(p);
    chunks.push(head, p.name, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    offset += head.length + p.name.length + bytes.length;
    placed.push(p);
  }
  const cdStart = offset;
  for (const p of placed) {
    const head = centralHeader(p);
    chunks.push(head, p.name);
    offset += head.length + p.name.length;
  }
  chunks.push(endOfCentralDirectory(placed.length, offset - cdStart, cdStart));
  return chunks;
}

/** Write `entries` as a ZIP to `dest` atomically (a temp file beside it, then rename). */
export async function writeZip(dest: string, entries: ZipInput[]): Promise<void> {
  const tmp = `${dest}.${process.pid}.${Date.now()}.tmp`;
  try {
    await fs.writeFile(tmp, zipChunks(entries));
    await fs.rename(tmp, dest);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}
