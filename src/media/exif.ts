/**
 * Reads the EXIF Orientation tag (0x0112) ourselves: ffprobe does not report it reliably
 * for still images, and phone photos depend on it. Handles JPEG (APP1 "Exif") and PNG
 * (eXIf chunk). Anything unreadable means orientation 1 (as stored).
 */
import fs from 'node:fs/promises';

/** Enough for the APP1 segment, which sits right after SOI in practically every camera file. */
const HEAD_BYTES = 256 * 1024;

export async function readOrientation(file: string): Promise<number> {
  let head: Buffer;
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  return orientationFromBytes(head);
}

export function orientationFromBytes(b: Uint8Array): number {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.length > 4 && buf[0] === 0xff && buf[1] === 0xd8) return fromJpeg(buf);
  if (buf.length > 8 && buf.readUInt32BE(0) === 0x89504e47) return fromPng(buf);
  return 1;
}

function fromJpeg(buf: Buffer): number {
  let p = 2;
  while (p + 4 <= buf.length) {
    if (buf[p] !== 0xff) return 1;
    const marker = buf[p + 1]!;
    if (marker === 0xff) { p++; continue; } // fill byte
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { p += 2; continue; }
    if (marker === 0xda || marker === 0xd9) return 1; // image data starts: no EXIF before it
    const len = buf.readUInt16BE(p + 2);
    if (len < 2) return 1;
    const start = p + 4;
    if (marker === 0xe1 && start + 6 <= buf.length && buf.toString('latin1', start, start + 6) === 'Exif\0\0') {
      const o = fromTiff(buf.subarray(start + 6, Math.min(buf.length, p + 2 + len)));
      if (o) return o;
    }
    p += 2 + len;
  }
  return 1;
}

function fromPng(buf: Buffer): number {
  let p = 8;
  while (p + 8 <= buf.length) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    if (type === 'eXIf') return fromTiff(buf.subarray(p + 8, Math.min(buf.length, p + 8 + len))) ?? 1;
    if (type === 'IDAT' || type === 'IEND') return 1;
    p += 12 + len;
  }
  return 1;
}

/** Walk IFD0 of a TIFF structure for tag 0x0112; undefined if absent or malformed. */
export function fromTiff(t: Buffer): number | undefined {
  if (t.length < 8) return undefined;
  const order = t.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return undefined;
  const le = order === 'II';
  const u16 = (o: number) => (le ? t.readUInt16LE(o) : t.readUInt16BE(o));
  const u32 = (o: number) => (le ? t.readUInt32LE(o) : t.readUInt32BE(o));
  if (u16(2) !== 42) return undefined;
  const ifd = u32(4);
  if (ifd + 2 > t.length) return undefined;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > t.length) return undefined;
    if (u16(e) !== 0x0112) continue;
    const type = u16(e + 2);
    // SHORT is the standard; some writers use LONG. The value sits in the first bytes of the field.
    const v = type === 3 ? u16(e + 8) : type === 4 ? u32(e + 8) : 0;
    return v >= 1 && v <= 8 ? v : undefined;
  }
  return undefined;
}
