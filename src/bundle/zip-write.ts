/**
 * A minimal ZIP writer for S2V bundles: each entry deflated (or stored when deflate does not
 * help, e.g. JPEG/MP3), UTF-8 names, regular-file mode 0644, fixed timestamps so packing the
 * same graph twice gives the same bytes. Written to a temp file and renamed into place.
 */
import fs from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import {
  CENTRAL_HEADER_SIZE,
  CENTRAL_SIG,
  DOS_DATE,
  DOS_TIME,
  EOCD_SIG,
  EOCD_SIZE,
  FLAG_UTF8,
  HOST_UNIX,
  LOCAL_HEADER_SIZE,
  LOCAL_SIG,
  METHOD_DEFLATE,
  METHOD_STORED,
  S_IFREG,
} from './zip-format.js';

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
  if (data.length === 0) return { method: METHOD_STORED, bytes: data };
  const deflated = deflateRawSync(data, { level: 9 });
  return deflated.length < data.length - (data.length >> 5) ? { method: METHOD_DEFLATE, bytes: deflated } : { method: METHOD_STORED, bytes: data };
}

function localHeader(p: Placed): Buffer {
  const b = Buffer.alloc(LOCAL_HEADER_SIZE);
  b.writeUInt32LE(LOCAL_SIG, 0);
  b.writeUInt16LE(20, 4);
  b.writeUInt16LE(FLAG_UTF8, 6);
  b.writeUInt16LE(p.method, 8);
  b.writeUInt16LE(DOS_TIME, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  b.writeUInt32LE(p.crc, 14);
  b.writeUInt32LE(p.compressedSize, 18);
  b.writeUInt32LE(p.size, 22);
  b.writeUInt16LE(p.name.length, 26);
  b.writeUInt16LE(0, 28);
  return b;
}

function centralHeader(p: Placed): Buffer {
  const b = Buffer.alloc(CENTRAL_HEADER_SIZE);
  b.writeUInt32LE(CENTRAL_SIG, 0);
  b.writeUInt16LE((HOST_UNIX << 8) | 20, 4);
  b.writeUInt16LE(20, 6);
  b.writeUInt16LE(FLAG_UTF8, 8);
  b.writeUInt16LE(p.method, 10);
  b.writeUInt16LE(DOS_TIME, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(p.crc, 16);
  b.writeUInt32LE(p.compressedSize, 20);
  b.writeUInt32LE(p.size, 24);
  b.writeUInt16LE(p.name.length, 28);
  b.writeUInt16LE(0, 30); // extra
  b.writeUInt16LE(0, 32); // comment
  b.writeUInt16LE(0, 34); // disk
  b.writeUInt16LE(0, 36); // internal attributes
  b.writeUInt32LE(((S_IFREG | 0o644) << 16) >>> 0, 38);
  b.writeUInt32LE(p.offset, 42);
  return b;
}

function endOfCentralDirectory(count: number, size: number, offset: number): Buffer {
  const b = Buffer.alloc(EOCD_SIZE);
  b.writeUInt32LE(EOCD_SIG, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(size, 12);
  b.writeUInt32LE(offset, 16);
  return b;
}

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
