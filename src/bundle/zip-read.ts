/**
 * A small, strict ZIP reader for bundles that arrive from other people. It trusts nothing:
 * the central directory must be where the end record says, every local header must agree
 * with its central entry, entries may not overlap (the "overlapping files" zip bomb), sizes
 * and compression ratios are capped before anything is inflated, and inflating stops at the
 * declared size and checks the CRC. No ZIP64, no encryption, no multi-disk, methods 0 and 8.
 * Policy about names and file kinds lives in entry-rules.ts; this file is the format.
 */
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import { crc32, inflateRaw } from 'node:zlib';
import { refuse } from './refusal.js';
import { CENTRAL, EOCD, EOCD_SEARCH, FLAG, HOST_UNIX, LOCAL, METHOD, readRecord, ZIP64_EOCD_LOCATOR_SIG } from './zip-format.js';

const inflateRawAsync = promisify(inflateRaw);

export interface ZipLimits {
  /** Size of the .s2vpack file itself. */
  maxArchiveBytes: number;
  maxEntries: number;
  /** Uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Uncompressed size of all entries together. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio for entries bigger than `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
}

export const DEFAULT_LIMITS: ZipLimits = {
  maxArchiveBytes: 2 * 1024 ** 3,
  maxEntries: 500,
  maxEntryBytes: 512 * 1024 ** 2,
  maxTotalBytes: 1024 ** 3,
  maxRatio: 100,
  ratioFloorBytes: 1024 ** 2,
};

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  /** First byte of the entry's data (after its local header). */
  dataStart: number;
  /** st_mode when the entry was made on UNIX (version-made-by host 3), else undefined. */
  unixMode?: number;
  /** MS-DOS attribute byte (low 8 bits of the external attributes). */
  dosAttributes: number;
}

export interface ZipArchive {
  file: string;
  entries: ZipEntry[];
  /** Inflate one entry (capped at its declared size) and check its CRC-32. */
  read(entry: ZipEntry): Promise<Buffer>;
  close(): Promise<void>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeName(raw: Buffer, flags: number): string | undefined {
  // Without the UTF-8 flag the name is CP437; we accept only its ASCII subset there.
  if (!(flags & FLAG.utf8) && raw.some((b) => b > 0x7e)) return undefined;
  try {
    return utf8.decode(raw);
  } catch {
    return undefined;
  }
}

async function readAt(fh: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  const { bytesRead } = await fh.read(buf, 0, length, position);
  return bytesRead === length ? buf : buf.subarray(0, bytesRead);
}

/** Open a ZIP and check its whole structure; throws a one-line E150 refusal on the first problem. */
export async function openZip(file: string, limits: ZipLimits = DEFAULT_LIMITS): Promise<ZipArchive> {
  let fh: fs.FileHandle;
  try {
    // Without blocking: opening a named pipe waits for a writer, forever if none comes; readDirectory then refuses it.
    fh = await fs.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    refuse(file, undefined, `cannot open (${(e as NodeJS.ErrnoException).code ?? 'error'})`, 'E108');
  }
  try {
    const entries = await readDirectory(fh, file, limits);
    return {
      file,
      entries,
      read: (entry) => readEntry(fh, file, entry),
      close: () => fh.close(),
    };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

async function readDirectory(fh: fs.FileHandle, file: string, limits: ZipLimits): Promise<ZipEntry[]> {
  const st = await fh.stat();
  if (!st.isFile()) refuse(file, undefined, 'not a regular file');
  const fileSize = st.size;
  if (fileSize > limits.maxArchiveBytes) refuse(file, undefined, `archive is ${fileSize} bytes, more than the ${limits.maxArchiveBytes}-byte cap`);
  if (fileSize < EOCD.size) refuse(file, undefined, 'not a ZIP archive (too short)');

  const tailStart = Math.max(0, fileSize - EOCD_SEARCH);
  const tail = await readAt(fh, tailStart, fileSize - tailStart);
  let eocd = -1;
  for (let i = tail.length - EOCD.size; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD.signature && i + EOCD.size + readRecord(tail, i, EOCD).commentLen === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) refuse(file, undefined, 'not a ZIP archive (no end-of-central-directory record)');
  if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === ZIP64_EOCD_LOCATOR_SIG) refuse(file, undefined, 'ZIP64 archives are not accepted');
  const { disk, cdDisk, onDisk, count, cdSize, cdOffset } = readRecord(tail, eocd, EOCD);
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) refuse(file, undefined, 'multi-disk archives are not accepted');
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) refuse(file, undefined, 'ZIP64 archives are not accepted');
  if (count > limits.maxEntries) refuse(file, undefined, `${count} entries, more than the ${limits.maxEntries}-entry cap`);
  const eocdOffset = tailStart + eocd;
  if (cdOffset + cdSize !== eocdOffset) refuse(file, undefined, 'central directory is not where the end record says (data hidden before it, or a truncated file)');

  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let pos = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    if (pos + CENTRAL.size > cd.length || cd.readUInt32LE(pos) !== CENTRAL.signature) refuse(file, `#${i}`, 'central directory entry is damaged');
    const { madeBy, flags, method, crc, compressedSize, size, nameLen, extraLen, commentLen, diskStart, external, localOffset } = readRecord(cd, pos, CENTRAL);
    const end = pos + CENTRAL.size + nameLen + extraLen + commentLen;
    if (end > cd.length) refuse(file, `#${i}`, 'central directory entry runs past the directory');
    const rawName = cd.subarray(pos + CENTRAL.size, pos + CENTRAL.size + nameLen);
    const name = decodeName(rawName, flags);
    const label = name ?? `#${i}`;
    if (name === undefined) refuse(file, label, 'name is not valid UTF-8 (or non-ASCII without the UTF-8 flag)');
    if (flags & (FLAG.encrypted | FLAG.strongEncryption)) refuse(file, label, 'entry is encrypted');
    if (method !== METHOD.stored && method !== METHOD.deflate) refuse(file, label, `compression method ${method} is not accepted (only stored and deflate)`);
    if (diskStart !== 0) refuse(file, label, 'entry on another disk');
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) refuse(file, label, 'ZIP64 entries are not accepted');
    if (method === METHOD.stored && size !== compressedSize) refuse(file, label, 'stored entry whose sizes differ');
    if (size > limits.maxEntryBytes) refuse(file, label, `unpacks to ${size} bytes, more than the ${limits.maxEntryBytes}-byte cap per entry`);
    total += size;
    if (total > limits.maxTotalBytes) refuse(file, label, `bundle unpacks to more than the ${limits.maxTotalBytes}-byte cap in total (zip bomb?)`);
    if (size > limits.ratioFloorBytes && size > compressedSize * limits.maxRatio) {
      refuse(file, label, `compression ratio ${(size / Math.max(1, compressedSize)).toFixed(0)}:1 is above the ${limits.maxRatio}:1 cap (zip bomb?)`);
    }
    const unixMode = madeBy >> 8 === HOST_UNIX ? external >>> 16 : undefined;
    entries.push({ name: name!, method, flags, crc, compressedSize, size, localOffset, dataStart: -1, unixMode, dosAttributes: external & 0xff });
    pos = end;
  }
  if (pos !== cd.length) refuse(file, undefined, 'central directory has trailing bytes');

  // Local headers: each must match its central entry, and the data ranges must not overlap
  // each other or the central directory.
  for (const e of entries) {
    if (e.localOffset + LOCAL.size > cdOffset) refuse(file, e.name, 'local header points into the central directory');
    const head = await readAt(fh, e.localOffset, LOCAL.size);
    if (head.length < LOCAL.size || head.readUInt32LE(0) !== LOCAL.signature) refuse(file, e.name, 'local header missing or damaged');
    const local = readRecord(head, 0, LOCAL);
    if ((local.flags & (FLAG.encrypted | FLAG.strongEncryption)) !== 0) refuse(file, e.name, 'entry is encrypted');
    if (local.method !== e.method) refuse(file, e.name, 'local header disagrees with the central directory (method)');
    // With a data descriptor the local sizes and CRC may be zero; the central entry is the truth.
    if (!(e.flags & FLAG.dataDescriptor) && (local.crc !== e.crc || local.compressedSize !== e.compressedSize || local.size !== e.size)) {
      refuse(file, e.name, 'local header disagrees with the central directory (sizes or CRC)');
    }
    const lName = await readAt(fh, e.localOffset + LOCAL.size, local.nameLen);
    if (decodeName(lName, local.flags) !== e.name) refuse(file, e.name, 'local header names a different file');
    e.dataStart = e.localOffset + LOCAL.size + local.nameLen + local.extraLen;
    if (e.dataStart + e.compressedSize > cdOffset) refuse(file, e.name, 'entry data runs into the central directory');
  }
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1]!;
    if (byOffset[i]!.localOffset < prev.dataStart + prev.compressedSize) refuse(file, byOffset[i]!.name, `overlaps entry "${prev.name}" (zip bomb?)`);
  }
  return entries;
}

async function readEntry(fh: fs.FileHandle, file: string, e: ZipEntry): Promise<Buffer> {
  const raw = await readAt(fh, e.dataStart, e.compressedSize);
  if (raw.length !== e.compressedSize) refuse(file, e.name, 'entry data is truncated');
  let data: Buffer;
  if (e.method === METHOD.stored) data = raw;
  else {
    try {
      // One byte more than declared: if inflate fills it, the entry lies about its size.
      data = await inflateRawAsync(raw, { maxOutputLength: Math.max(1, e.size + 1) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      refuse(file, e.name, code === 'ERR_BUFFER_TOO_LARGE' ? 'inflates to more than its declared size (zip bomb?)' : 'deflate data is corrupt');
    }
  }
  if (data.length !== e.size) refuse(file, e.name, `inflates to ${data.length} bytes, not the declared ${e.size}`);
  if (crc32(data) !== e.crc) refuse(file, e.name, 'CRC-32 does not match (corrupt or altered)');
  return data;
}
