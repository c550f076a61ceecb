// A truncated photo must fail naming the file, never render as a half-grey picture.
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, probeImage } from './image.js';
import { jpegDefect, pngDefect } from './image-integrity.js';
import { bins, ffmpegGen, makeTempDir, thrown, withExifOrientation } from '../../test/support/media-testing.js';

const PHOTO = fileURLToPath(new URL('../../test/fixtures/images/face_grace_hopper.jpg', import.meta.url));
let dir: string;
let cleanup: () => Promise<void>;
let photo: Buffer;
let png: Buffer;
const f = (name: string) => path.join(dir, name);

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  photo = await fs.readFile(PHOTO);
  await ffmpegGen('-f', 'lavfi', '-i', 'testsrc=s=64x48', '-frames:v', '1', '-y', f('card.png'));
  png = await fs.readFile(f('card.png'));
});
afterAll(() => cleanup());

describe('truncated images', () => {
  it('a complete JPEG and PNG pass; one with trailing bytes after its end marker passes too', () => {
    expect(jpegDefect(photo)).toBeUndefined();
    expect(pngDefect(png)).toBeUndefined();
    expect(jpegDefect(Buffer.concat([photo, Buffer.alloc(100)]))).toBeUndefined();
  });

  it('an EXIF thumbnail end marker inside the header does not hide a truncated main image', () => {
    // An APP1 segment that contains FF D9 (as an embedded thumbnail does), then the photo cut short.
    const app1Body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), Buffer.from([0xff, 0xd8, 0x00, 0xff, 0xd9])]);
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (app1Body.length + 2) >> 8, (app1Body.length + 2) & 0xff]), app1Body]);
    const withThumb = Buffer.concat([photo.subarray(0, 2), app1, photo.subarray(2)]);
    expect(jpegDefect(withThumb)).toBeUndefined();
    expect(jpegDefect(withThumb.subarray(0, withThumb.length - 2000))).toMatch(/truncated/);
  });

  it.each([3000, 20_000, 61_000])('the first %i bytes of a photo are reported as truncated', (n) => {
    expect(jpegDefect(photo.subarray(0, n))).toMatch(new RegExp(`truncated.*${n} bytes`));
  });

  it('cut inside the JPEG header or the PNG chunks: truncated, with the byte count', () => {
    expect(jpegDefect(photo.subarray(0, 300))).toMatch(/ends inside its header after 300 bytes/);
    expect(pngDefect(png.subarray(0, 60))).toMatch(/PNG is truncated/);
    expect(pngDefect(png.subarray(0, png.length - 12))).toMatch(/no end chunk/);
  });

  it('decodeImage and probeImage refuse the first 3 kB of a photo with E110 naming the file (exit 2)', async () => {
    await fs.writeFile(f('cut.jpg'), photo.subarray(0, 3000));
    // Each started only when awaited: started together, the second could reject before anything
    // listened to it (an unhandled rejection that fails the whole run).
    for (const start of [() => decodeImage(bins, f('cut.jpg'), { width: 64, height: 64, fit: 'fill' }), () => probeImage(bins, f('cut.jpg'))]) {
      const e = await thrown(start());
      expect(e.code).toBe('E110');
      expect(e.where).toBe(f('cut.jpg'));
      expect(e.exitCode).toBe(2);
      expect(e.oneLine()).toMatch(/JPEG is truncated.*3000 bytes/);
    }
  });

  it('a truncated PNG is refused the same way; the complete files still decode', async () => {
    await fs.writeFile(f('cut.png'), png.subarray(0, Math.floor(png.length / 2)));
    expect((await thrown(decodeImage(bins, f('cut.png'), { width: 32, height: 32, fit: 'fit' }))).oneLine()).toMatch(/cut\.png: PNG is truncated/);
    await fs.writeFile(f('rotated.jpg'), withExifOrientation(photo, 6));
    expect((await decodeImage(bins, f('rotated.jpg'), { width: 32, height: 32, fit: 'fill' })).data.length).toBe(32 * 32 * 3);
    expect((await decodeImage(bins, f('card.png'), { width: 32, height: 32, fit: 'fill' })).data.length).toBe(32 * 32 * 3);
  });
});
