/**
 * What may be inside an S2V bundle, decided before anything is written. A bundle holds only
 * index.json, graph.json, an optional thumbnail, assets/<hash>-<name> media files and
 * models/<id>.json manifests; every other name is refused — and the dangerous ones are
 * refused with their specific reason first, so the one-line message says what was wrong.
 */
import { refuse } from './refusal.js';
import { MODE } from './zip-format.js';
import type { ZipEntry } from './zip-read.js';

/** Media an asset may be (lower-case extensions). */
export const ASSET_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'webp', 'gif', 'bmp', 'tif', 'tiff', 'wav', 'mp3', 'm4a', 'aac', 'flac', 'ogg', 'opus', 'webm', 'mp4', 'mov']);
const ARCHIVE_EXTENSIONS = /\.(zip|s2vpack|jar|war|apk|tar|tgz|gz|bz2|xz|zst|7z|rar|cab|iso|dmg|cpio|lz|lzma|z)$/i;
const EXECUTABLE_EXTENSIONS = /\.(exe|dll|so|dylib|bin|com|scr|msi|bat|cmd|ps1|vbs|sh|bash|zsh|command|app|js|mjs|cjs|py|pl|rb|php|lnk|desktop|jse|wsf|hta|reg)$/i;

export const ASSET_NAME = /^assets\/[0-9a-f]{16}-[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const MODEL_NAME = /^models\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}\.json$/;
const FIXED = new Set(['index.json', 'graph.json', 'thumbnail.png']);

function extension(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Name-level refusal reason, or undefined when the name is a safe relative path. */
export function unsafeNameReason(name: string): string | undefined {
  if (name === '') return 'empty name';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'control character in name';
  if (name.includes('\\')) return 'backslash in name (a Windows path separator)';
  if (name.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'drive letter in name';
  const segments = name.split('/');
  if (segments.includes('..')) return 'path traversal ("..")';
  if (name.endsWith('/')) return 'directory entry (bundles hold files only)';
  if (segments.some((s) => s === '' || s === '.')) return 'empty or "." path segment';
  if (segments.some((s) => /[. ]$/.test(s))) return 'path segment ends in a dot or space';
  if (name.length > 200) return 'name longer than 200 characters';
  return undefined;
}

/** Refusal reason from the entry's stored file mode, or undefined for a plain file. */
export function unsafeModeReason(e: ZipEntry): string | undefined {
  if (e.dosAttributes & 0x10) return 'directory entry (bundles hold files only)';
  if (e.unixMode === undefined || e.unixMode === 0) return undefined;
  const type = e.unixMode & MODE.typeMask;
  if (type === MODE.symlink) return 'symbolic link';
  if (type === MODE.directory) return 'directory entry (bundles hold files only)';
  if (type !== 0 && type !== MODE.regular) return `device or special file (mode ${(e.unixMode >>> 0).toString(8)})`;
  if (e.unixMode & 0o111) return 'executable permission bits set';
  if (e.unixMode & 0o6000) return 'setuid/setgid bits set';
  return undefined;
}

/** Check every entry's name and mode, then the set of names; throws E150 on the first problem. */
export function checkEntries(bundle: string, entries: ZipEntry[]): void {
  const seen = new Map<string, string>();
  for (const e of entries) {
    const nameReason = unsafeNameReason(e.name);
    if (nameReason) refuse(bundle, e.name, nameReason);
    const modeReason = unsafeModeReason(e);
    if (modeReason) refuse(bundle, e.name, modeReason);
    if (ARCHIVE_EXTENSIONS.test(e.name)) refuse(bundle, e.name, 'nested archive');
    if (EXECUTABLE_EXTENSIONS.test(e.name)) refuse(bundle, e.name, 'executable or script file');
    const folded = e.name.normalize('NFC').toLowerCase();
    const other = seen.get(folded);
    if (other === e.name) refuse(bundle, e.name, 'duplicate name');
    if (other !== undefined) refuse(bundle, e.name, `differs from "${other}" only by case or Unicode form`);
    seen.set(folded, e.name);
    if (!(FIXED.has(e.name) || ASSET_NAME.test(e.name) || MODEL_NAME.test(e.name))) refuse(bundle, e.name, 'not part of the S2V bundle layout');
    if (ASSET_NAME.test(e.name) && !ASSET_EXTENSIONS.has(extension(e.name))) refuse(bundle, e.name, `asset type ".${extension(e.name)}" is not an image, audio or video format`);
  }
  for (const required of ['index.json', 'graph.json']) if (!seen.has(required)) refuse(bundle, required, 'missing (not an S2V bundle?)');
}

/** Content sniffing: a renamed archive or program inside an asset is refused all the same. */
export function unsafeContentReason(data: Uint8Array): string | undefined {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const starts = (...sig: number[]) => sig.every((v, i) => b[i] === v);
  if (starts(0x50, 0x4b, 0x03, 0x04) || starts(0x50, 0x4b, 0x05, 0x06) || starts(0x50, 0x4b, 0x07, 0x08)) return 'nested archive (ZIP data)';
  if (starts(0x1f, 0x8b)) return 'nested archive (gzip data)';
  if (starts(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c)) return 'nested archive (7z data)';
  if (starts(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07)) return 'nested archive (RAR data)';
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'nested archive (xz data)';
  if (starts(0x42, 0x5a, 0x68)) return 'nested archive (bzip2 data)';
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'nested archive (zstd data)';
  if (b.length > 262 && b.toString('latin1', 257, 262) === 'ustar') return 'nested archive (tar data)';
  if (starts(0x7f, 0x45, 0x4c, 0x46)) return 'executable (ELF program)';
  if (starts(0x4d, 0x5a)) return 'executable (Windows program)';
  if (starts(0xcf, 0xfa, 0xed, 0xfe) || starts(0xce, 0xfa, 0xed, 0xfe) || starts(0xca, 0xfe, 0xba, 0xbe) || starts(0xfe, 0xed, 0xfa, 0xcf)) return 'executable (Mach-O program)';
  if (starts(0x23, 0x21)) return 'executable (script with #!)';
  return undefined;
}
