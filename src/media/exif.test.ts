import { describe, expect, it } from 'vitest';
import { orientationFromBytes } from './exif.js';
import { exifOrientationSegment, withExifOrientation } from '../../test/support/media-testing.js';

/** A JPEG-shaped byte string: SOI, a JFIF APP0, then SOS (no real image data needed). */
const JFIF = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xda, 0x00, 0x02]);

describe('orientationFromBytes', () => {
  it('reads every orientation in big- and little-endian EXIF', () => {
    for (const le of [false, true]) {
      for (let o = 1; o <= 8; o++) expect(orientationFromBytes(withExifOrientation(JFIF, o, le))).toBe(o);
    }
  });

  it('finds APP1 after other segments', () => {
    const app1 = exifOrientationSegment(6);
    const bytes = Buffer.concat([JFIF.subarray(0, 20), app1, JFIF.subarray(20)]);
    expect(orientationFromBytes(bytes)).toBe(6);
  });

  it('no EXIF, a non-JPEG, a truncated segment or a bogus value → 1', () => {
    expect(orientationFromBytes(JFIF)).toBe(1);
    expect(orientationFromBytes(Buffer.from('hello world, not an image'))).toBe(1);
    expect(orientationFromBytes(withExifOrientation(JFIF, 6).subarray(0, 20))).toBe(1);
    expect(orientationFromBytes(withExifOrientation(JFIF, 42))).toBe(1);
  });

  it('reads a PNG eXIf chunk', () => {
    const tiff = exifOrientationSegment(8).subarray(10); // strip marker, length and "Exif\0\0"
    const chunk = Buffer.alloc(12 + tiff.length);
    chunk.writeUInt32BE(tiff.length, 0);
    chunk.write('eXIf', 4, 'latin1');
    tiff.copy(chunk, 8);
    const ihdr = Buffer.alloc(25);
    ihdr.writeUInt32BE(13, 0);
    ihdr.write('IHDR', 4, 'latin1');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, chunk]);
    expect(orientationFromBytes(png)).toBe(8);
  });
});
