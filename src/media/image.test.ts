// Real ffmpeg: fixtures are generated into a temp folder, pixels are checked where it matters.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, probeImage } from './image.js';
import { bins, cmykJpeg, colourName, ffmpegGen, makeTempDir, pixel, quadrantJpeg, withExifOrientation, thrown } from '../../test/support/media-testing.js';

let dir: string;
let cleanup: () => Promise<void>;
const f = (name: string) => path.join(dir, name);

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await quadrantJpeg(f('quad.jpg'), 64, 48);
  const quad = await fs.readFile(f('quad.jpg'));
  for (let o = 1; o <= 8; o++) await fs.writeFile(f(`quad-o${o}.jpg`), withExifOrientation(quad, o, o % 2 === 0));
  await ffmpegGen('-f', 'lavfi', '-i', 'color=0x808080:s=20x10,format=gray', '-frames:v', '1', '-y', f('gray.png'));
  // Left half opaque red, right half fully transparent *white*: compositing must give black, not white.
  await ffmpegGen(
    '-f', 'lavfi', '-i', 'color=red:s=8x8,format=rgba', '-f', 'lavfi', '-i', 'color=white@0.0:s=8x8,format=rgba',
    '-filter_complex', '[0][1]hstack,format=rgba', '-frames:v', '1', '-y', f('alpha.png'),
  );
  await ffmpegGen('-f', 'lavfi', '-i', 'testsrc=s=16x16', '-frames:v', '1', '-y', f('tiny.png'));
  await ffmpegGen('-f', 'lavfi', '-i', 'testsrc=s=333x777', '-frames:v', '1', '-y', f('odd.png'));
  await quadrantJpeg(f('huge.jpg'), 8000, 8000);
  await fs.writeFile(f('huge-o6.jpg'), withExifOrientation(await fs.readFile(f('huge.jpg')), 6));
  await fs.writeFile(f('cmyk.jpg'), cmykJpeg([[255, 0, 0, 255], [255, 0, 0, 255], [0, 0, 255, 255], [0, 0, 255, 255]]));
  await fs.writeFile(f('notes.png'), 'this is a text file, not a PNG\n');
  await ffmpegGen('-f', 'lavfi', '-i', 'sine=d=0.2', '-y', f('tone.wav'));
});
afterAll(() => cleanup());

/** Displayed quadrant colours for each EXIF orientation of the R G / B W test image. */
const DISPLAYED: Record<number, [string, string, string, string]> = {
  1: ['red', 'green', 'blue', 'white'],
  2: ['green', 'red', 'white', 'blue'],
  3: ['white', 'blue', 'green', 'red'],
  4: ['blue', 'white', 'red', 'green'],
  5: ['red', 'blue', 'green', 'white'],
  6: ['blue', 'red', 'white', 'green'],
  7: ['white', 'green', 'blue', 'red'],
  8: ['green', 'white', 'red', 'blue'],
};

function quadrants(img: { width: number; height: number; data: Uint8Array }): string[] {
  const [w, h] = [img.width, img.height];
  return [
    colourName(pixel(img, Math.floor(w / 4), Math.floor(h / 4))),
    colourName(pixel(img, Math.floor((3 * w) / 4), Math.floor(h / 4))),
    colourName(pixel(img, Math.floor(w / 4), Math.floor((3 * h) / 4))),
    colourName(pixel(img, Math.floor((3 * w) / 4), Math.floor((3 * h) / 4))),
  ];
}

describe('probeImage', () => {
  it('reports the displayed size: orientations 5–8 swap width and height', async () => {
    expect(await probeImage(bins, f('quad-o1.jpg'))).toEqual({ width: 64, height: 48, orientation: 1 });
    expect(await probeImage(bins, f('quad-o6.jpg'))).toEqual({ width: 48, height: 64, orientation: 6 });
    expect(await probeImage(bins, f('quad.jpg'))).toEqual({ width: 64, height: 48, orientation: 1 });
  });
});

describe('decodeImage', () => {
  it('applies all eight EXIF orientations (after 6 the top-left red is top-right)', async () => {
    // A square 'fill' output keeps every quadrant centre inside its quadrant, whatever the rotation.
    const orientations = [1, 2, 3, 4, 5, 6, 7, 8];
    const images = await Promise.all(orientations.map((o) => decodeImage(bins, f(`quad-o${o}.jpg`), { width: 32, height: 32, fit: 'fill' })));
    expect(images.map((img, i) => ({ o: i + 1, q: quadrants(img) }))).toEqual(orientations.map((o) => ({ o, q: DISPLAYED[o] })));
  });

  it('fit/letterbox pad with centred black bars; fill crops the centre', async () => {
    // 64×48 into 32×32: fit scales to 32×24 with 4-pixel bars top and bottom.
    for (const fit of ['fit', 'letterbox'] as const) {
      const img = await decodeImage(bins, f('quad.jpg'), { width: 32, height: 32, fit });
      expect(img.data.length).toBe(32 * 32 * 3);
      expect(colourName(pixel(img, 16, 1))).toBe('black');
      expect(colourName(pixel(img, 16, 30))).toBe('black');
      expect(colourName(pixel(img, 6, 8))).toBe('red');
      expect(colourName(pixel(img, 26, 24))).toBe('white');
    }
    // fill scales to 43×32 and crops x 5..37: no black anywhere, corners keep their quadrant colours.
    const fill = await decodeImage(bins, f('quad.jpg'), { width: 32, height: 32, fit: 'fill' });
    expect(quadrants(fill)).toEqual(['red', 'green', 'blue', 'white']);
    expect(colourName(pixel(fill, 0, 0))).toBe('red');
    expect(colourName(pixel(fill, 31, 31))).toBe('white');
  });

  it('grayscale input becomes neutral grey RGB', async () => {
    const img = await decodeImage(bins, f('gray.png'), { width: 20, height: 10, fit: 'fill' });
    const [r, g, b] = pixel(img, 10, 5);
    expect(Math.abs(r - 128)).toBeLessThanOrEqual(2);
    expect(r).toBe(g);
    expect(g).toBe(b);
  });

  it('composites alpha on black (transparent white → black)', async () => {
    const img = await decodeImage(bins, f('alpha.png'), { width: 16, height: 8, fit: 'fill' });
    expect(pixel(img, 2, 4)).toEqual([255, 0, 0]);
    expect(pixel(img, 13, 4)).toEqual([0, 0, 0]);
  });

  it('decodes an Adobe CMYK JPEG to the right colours', async () => {
    expect(await probeImage(bins, f('cmyk.jpg'))).toEqual({ width: 32, height: 8, orientation: 1 });
    const img = await decodeImage(bins, f('cmyk.jpg'), { width: 32, height: 8, fit: 'fill' });
    expect(colourName(pixel(img, 4, 4))).toBe('red');
    expect(colourName(pixel(img, 28, 4))).toBe('blue');
  });

  it('handles 16×16 upscaling, odd sizes and an 8000×8000 input', async () => {
    const tiny = await decodeImage(bins, f('tiny.png'), { width: 256, height: 256, fit: 'fit' });
    expect(tiny.data.length).toBe(256 * 256 * 3);
    const odd = await decodeImage(bins, f('odd.png'), { width: 101, height: 57, fit: 'letterbox' });
    expect(odd.data.length).toBe(101 * 57 * 3);
    expect(colourName(pixel(odd, 0, 28))).toBe('black'); // portrait into landscape: side bars
    expect(await probeImage(bins, f('huge.jpg'))).toEqual({ width: 8000, height: 8000, orientation: 1 });
    // Decoded at 1/8 size (JPEG lowres) and rotated: geometry must still be right.
    const huge = await decodeImage(bins, f('huge-o6.jpg'), { width: 64, height: 64, fit: 'fill' });
    expect(quadrants(huge)).toEqual(DISPLAYED[6]);
  });

  it('a text file named .png, a WAV and a missing file fail with one line naming the file', async () => {
    const text = await thrown(decodeImage(bins, f('notes.png'), { width: 8, height: 8, fit: 'fit' }));
    expect(text.code).toBe('E110');
    expect(text.where).toBe(f('notes.png'));
    expect(text.oneLine()).not.toMatch(/\n/);
    const wav = await thrown(probeImage(bins, f('tone.wav')));
    expect(wav.code).toBe('E110');
    expect(wav.oneLine()).toContain('tone.wav');
    const missing = await thrown(probeImage(bins, f('nope.jpg')));
    expect(missing.code).toBe('E108');
    expect(missing.oneLine()).toContain('nope.jpg');
  });

  it('rejects a bad output size before running ffmpeg', async () => {
    expect((await thrown(decodeImage(bins, f('quad.jpg'), { width: 0, height: 8, fit: 'fit' }))).code).toBe('E106');
  });
});
