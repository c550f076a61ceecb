/**
 * ZIP record layouts we read and write (PKWARE APPNOTE 6.3.x, sections 4.3.7, 4.3.12, 4.3.16).
 * Only what S2V bundles need: stored (0) and deflate (8), no ZIP64, no encryption, one disk.
 * Each record is declared once as its fields in order (name and byte width), so the reader and
 * the writer cannot disagree about an offset.
 */

type Width = 2 | 4;

export interface RecordLayout<F extends string> {
  signature: number;
  /** Fixed part of the record in bytes (names, extras and comments follow it). */
  size: number;
  offsets: Record<F, readonly [offset: number, width: Width]>;
}

function layout<F extends string>(signature: number, fields: ReadonlyArray<readonly [F, Width]>): RecordLayout<F | 'signature'> {
  const offsets = { signature: [0, 4] } as Record<F | 'signature', readonly [number, Width]>;
  let size = 4;
  for (const [name, width] of fields) {
    offsets[name] = [size, width];
    size += width;
  }
  return { signature, size, offsets };
}

/** One record's fields as numbers, read little-endian at `at` (the caller checks the buffer is long enough). */
export function readRecord<F extends string>(buf: Buffer, at: number, rec: RecordLayout<F>): Record<F, number> {
  const out = {} as Record<F, number>;
  for (const [name, [offset, width]] of Object.entries(rec.offsets) as Array<[F, readonly [number, Width]]>) {
    out[name] = width === 2 ? buf.readUInt16LE(at + offset) : buf.readUInt32LE(at + offset);
  }
  return out;
}

/** One record with its signature; fields not given are zero. */
export function writeRecord<F extends string>(rec: RecordLayout<F>, values: Partial<Record<F, number>>): Buffer {
  const b = Buffer.alloc(rec.size);
  const all = { ...values, signature: rec.signature } as Partial<Record<F, number>>;
  for (const [name, [offset, width]] of Object.entries(rec.offsets) as Array<[F, readonly [number, Width]]>) {
    const v = all[name] ?? 0;
    if (width === 2) b.writeUInt16LE(v, offset);
    else b.writeUInt32LE(v >>> 0, offset);
  }
  return b;
}

const ENTRY_HEAD = [['versionNeeded', 2], ['flags', 2], ['method', 2], ['time', 2], ['date', 2], ['crc', 4], ['compressedSize', 4], ['size', 4], ['nameLen', 2], ['extraLen', 2]] as const;
export const LOCAL = layout(0x04034b50, ENTRY_HEAD);
export const CENTRAL = layout(0x02014b50, [['madeBy', 2], ...ENTRY_HEAD, ['commentLen', 2], ['diskStart', 2], ['internal', 2], ['external', 4], ['localOffset', 4]]);
export const EOCD = layout(0x06054b50, [['disk', 2], ['cdDisk', 2], ['onDisk', 2], ['count', 2], ['cdSize', 4], ['cdOffset', 4], ['commentLen', 2]]);
export const ZIP64_EOCD_LOCATOR_SIG = 0x07064b50;
/** The EOCD comment may be up to 65535 bytes, so the record sits in the last 64 KiB + 22. */
export const EOCD_SEARCH = EOCD.size + 0xffff;

export const METHOD = { stored: 0, deflate: 8 } as const;
/** General purpose flag bits. */
export const FLAG = { encrypted: 0x0001, dataDescriptor: 0x0008, strongEncryption: 0x0040, utf8: 0x0800 } as const;

/** "Version made by" high byte: 3 = UNIX, where the top 16 bits of the external attributes are st_mode. */
export const HOST_UNIX = 3;
export const MODE = { typeMask: 0o170000, regular: 0o100000, directory: 0o040000, symlink: 0o120000 } as const;

/** 1980-01-01 00:00 in DOS time/date: a fixed stamp keeps bundles byte-reproducible. */
export const DOS_TIME = 0;
export const DOS_DATE = (0 << 9) | (1 << 5) | 1;
