/**
 * ZIP record layouts we read and write (PKWARE APPNOTE 6.3.x, sections 4.3.7, 4.3.12, 4.3.16).
 * Only what S2V bundles need: stored (0) and deflate (8), no ZIP64, no encryption, one disk.
 */
export const LOCAL_SIG = 0x04034b50;
export const CENTRAL_SIG = 0x02014b50;
export const EOCD_SIG = 0x06054b50;
export const ZIP64_EOCD_LOCATOR_SIG = 0x07064b50;

export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const EOCD_SIZE = 22;
/** The EOCD comment may be up to 65535 bytes, so the record sits in the last 64 KiB + 22. */
export const EOCD_SEARCH = EOCD_SIZE + 0xffff;

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;

/** General purpose flag bits. */
export const FLAG_ENCRYPTED = 0x0001;
export const FLAG_DATA_DESCRIPTOR = 0x0008;
export const FLAG_STRONG_ENCRYPTION = 0x0040;
export const FLAG_UTF8 = 0x0800;

/** "Version made by" high byte: 3 = UNIX, where the top 16 bits of the external attributes are st_mode. */
export const HOST_UNIX = 3;
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

/** 1980-01-01 00:00 in DOS time/date: a fixed stamp keeps bundles byte-reproducible. */
export const DOS_TIME = 0;
export const DOS_DATE = (0 << 9) | (1 << 5) | 1;
