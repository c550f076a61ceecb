/**
 * Is a still image complete? ffmpeg decodes a truncated JPEG or PNG with exit 0 and fills the
 * missing part with grey, so a photo cut off after 3 kB became a 20 s video of a half-grey
 * picture. The reference image sets the look of every frame, so a partial one is never what
 * the user meant: a truncated image is an error (E110) naming the file and how far it got.
 * The checks walk the container structure only (no pixel decoding), so they are cheap.
 */
import fs from 'node:fs/promises';
import { S2VError } from '../engine/errors.js';

/** Why `bytes` is not a complete JPEG, or undefined when it is (or is not a JPEG at all). */
export function jpegDefect(bytes: Uint8Array): string | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  // Walk the marker segments up to the first scan (SOS); their lengths say where each ends,
  // which also steps over EXIF thumbnails (whose own EOI must not count).
  let i = 2;
  for (;;) {
    while (i < bytes.length && bytes[i] === 0xff && bytes[i + 1] === 0xff) i++; // fill bytes
    if (i + 4 > bytes.length) return `JPEG ends inside its header after ${bytes.length} bytes`;
    if (bytes[i] !== 0xff) return `JPEG header is corrupt at byte ${i}`;
    const marker = bytes[i + 1]!;
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (marker === 0xd9) return 'JPEG has no image data (end marker before any scan)';
    if (i + 2 + length > bytes.length) return `JPEG ends inside its header after ${bytes.length} bytes`;
    if (marker === 0xda) {
      i += 2 + length;
      break;
    }
    i += 2 + length;
  }
  // Entropy-coded data escapes 0xFF as FF 00, so FF D9 after the first scan is the real end.
  for (let j = bytes.length - 2; j >= i; j--) {
    if (bytes[j] === 0xff && bytes[j + 1] === 0xd9) return undefined;
  }
  return `JPEG is truncated: the image data stops after ${bytes.length} bytes with no end marker`;
}

const MAX_CHECKED_BYTES = 256 * 1024 * 1024;
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Why `bytes` is not a complete PNG, or undefined when it is (or is not a PNG at all). */
export function pngDefect(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8 || PNG_SIGNATURE.some((b, k) => bytes[k] !== b)) return undefined;
  let i = 8;
  let sawData = false;
  while (i + 8 <= bytes.length) {
    const length = ((bytes[i]! << 24) >>> 0) + (bytes[i + 1]! << 16) + (bytes[i + 2]! << 8) + bytes[i + 3]!;
    const type = String.fromCharCode(bytes[i + 4]!, bytes[i + 5]!, bytes[i + 6]!, bytes[i + 7]!);
    const end = i + 12 + length;
    if (end > bytes.length) return `PNG is truncated: chunk ${type} needs ${end} bytes, the file has ${bytes.length}`;
    if (type === 'IDAT') sawData = true;
    if (type === 'IEND') return sawData ? undefined : 'PNG has no image data (IEND before any IDAT)';
    i = end;
  }
  return `PNG is truncated: no end chunk (IEND) in its ${bytes.length} bytes`;
}

/** Stored width × height from a PNG's IHDR or a JPEG's frame header, without decoding. */
export function headerSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length >= 24 && PNG_SIGNATURE.every((b, k) => bytes[k] === b)) {
    const u32 = (o: number) => ((bytes[o]! << 24) >>> 0) + (bytes[o + 1]! << 16) + (bytes[o + 2]! << 8) + bytes[o + 3]!;
    return { width: u32(16), height: u32(20) };
  }
  if (bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  for (let i = 2; i + 9 < bytes.length; ) {
    if (bytes[i] !== 0xff) return undefined;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++;
      continue;
    }
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: (bytes[i + 5]! << 8) | bytes[i + 6]!, width: (bytes[i + 7]! << 8) | bytes[i + 8]! };
    }
    i += 2 + ((bytes[i + 2]! << 8) | bytes[i + 3]!);
  }
  return undefined;
}

/** E110 naming `file` when it is a truncated JPEG or PNG; other formats (and unreadable files) are left to ffprobe. */
export async function assertImageComplete(file: string, maxPixels = Infinity): Promise<void> {
  let bytes: Buffer;
  try {
    // Past this size the image is refused by its pixel count anyway; do not read it twice.
    if ((await fs.stat(file)).size > MAX_CHECKED_BYTES) return;
    bytes = await fs.readFile(file);
  } catch {
    return; // missing or unreadable: the probe that follows reports it
  }
  // Checked first: ffmpeg itself refuses pictures this big with only "Invalid image size".
  const size = headerSize(bytes);
  if (size && size.width * size.height > maxPixels) {
    throw new S2VError('E110', `image is ${size.width}×${size.height} (${Math.round((size.width * size.height) / 1e6)} MP); the largest S2V reads is ${maxPixels / 1e6} MP`, {
      where: file,
      hint: 'scale it down first',
    });
  }
  const defect = jpegDefect(bytes) ?? pngDefect(bytes);
  if (defect) throw new S2VError('E110', defect, { where: file, hint: 're-export or re-download the image' });
}
