/**
 * Test fixtures for the media tests: a temp folder, ffmpeg-generated media (through the same
 * spawn function as production code) and helpers to build EXIF-rotated JPEGs and to read
 * pixels. Not used at runtime.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { QUIET } from '../../src/media/args.js';
import { locateFfmpeg } from '../../src/media/locate.js';
import { runFfmpeg } from '../../src/media/run-ffmpeg.js';

export const bins = () => locateFfmpeg();

export async function makeTempDir(prefix = 's2v-media-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** Run ffmpeg with `args` (quiet prefix added) to generate a fixture. */
export async function ffmpegGen(...args: string[]): Promise<Buffer> {
  return (await runFfmpeg({ bin: bins().ffmpeg, args: [...QUIET, ...args] })).stdout;
}

export async function ffprobeJson(file: string, extra: string[] = []): Promise<{ streams: Array<Record<string, string | number>>; format: Record<string, string> }> {
  const { stdout } = await runFfmpeg({ bin: bins().ffprobe, args: ['-v', 'error', ...extra, '-print_format', 'json', '-show_format', '-show_streams', file] });
  return JSON.parse(stdout.toString('utf8'));
}

/** APP1 segment holding only an Orientation tag. */
export function exifOrientationSegment(orientation: number, littleEndian = false): Buffer {
  const tiff = Buffer.alloc(26);
  const w16 = (v: number, o: number) => (littleEndian ? tiff.writeUInt16LE(v, o) : tiff.writeUInt16BE(v, o));
  const w32 = (v: number, o: number) => (littleEndian ? tiff.writeUInt32LE(v, o) : tiff.writeUInt32BE(v, o));
  tiff.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
  w16(42, 2);
  w32(8, 4); // IFD0 offset
  w16(1, 8); // one entry
  w16(0x0112, 10);
  w16(3, 12); // SHORT
  w32(1, 14);
  w16(orientation, 18);
  w32(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.alloc(4);
  head.writeUInt16BE(0xffe1, 0);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** Insert the EXIF segment right after SOI (before the JFIF APP0 ffmpeg writes, as cameras do). */
export function withExifOrientation(jpeg: Buffer, orientation: number, littleEndian = false): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), exifOrientationSegment(orientation, littleEndian), jpeg.subarray(2)]);
}

/**
 * A JPEG whose four quadrants are red (top-left), green (top-right), blue (bottom-left)
 * and white (bottom-right): enough to tell every orientation apart.
 */
export async function quadrantJpeg(file: string, width: number, height: number): Promise<void> {
  const w = width / 2;
  const h = height / 2;
  await ffmpegGen(
    '-f', 'lavfi', '-i', `color=red:s=${w}x${h}`,
    '-f', 'lavfi', '-i', `color=0x00ff00:s=${w}x${h}`,
    '-f', 'lavfi', '-i', `color=blue:s=${w}x${h}`,
    '-f', 'lavfi', '-i', `color=white:s=${w}x${h}`,
    '-filter_complex', '[0][1][2][3]xstack=inputs=4:layout=0_0|w0_0|0_h0|w0_h0',
    '-frames:v', '1', '-q:v', '2', '-y', file,
  );
}

export type Rgb = [number, number, number];

export function pixel(img: { width: number; data: Uint8Array }, x: number, y: number): Rgb {
  const i = (y * img.width + x) * 3;
  return [img.data[i]!, img.data[i + 1]!, img.data[i + 2]!];
}

/** Name of the closest of a few reference colours (JPEG/YUV make exact values drift). */
export function colourName([r, g, b]: Rgb): string {
  const refs: Record<string, Rgb> = { red: [255, 0, 0], green: [0, 255, 0], blue: [0, 0, 255], white: [255, 255, 255], black: [0, 0, 0], grey: [128, 128, 128] };
  let best = '';
  let bestD = Infinity;
  for (const [name, c] of Object.entries(refs)) {
    const d = (r - c[0]) ** 2 + (g - c[1]) ** 2 + (b - c[2]) ** 2;
    if (d < bestD) [best, bestD] = [name, d];
  }
  return best;
}

/**
 * A baseline Adobe CMYK JPEG made of flat 8×8 blocks (one row of blocks). Each block is
 * given as stored CMYK bytes; Adobe files store inverted ink (255 = no ink), which is what
 * Photoshop writes and what decoders expect. Only DC coefficients are coded, so this tiny
 * encoder stays a few lines: one 4-bit code per DC category, AC = end-of-block.
 */
export function cmykJpeg(blocks: Array<[number, number, number, number]>): Buffer {
  const width = 8 * blocks.length;
  const height = 8;
  const seg = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...body];
  const adobe = seg(0xee, [...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, 0]); // transform 0 = CMYK as stored
  const dqt = seg(0xdb, [0, ...new Array(64).fill(1)]);
  const sof = seg(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 4, ...[1, 2, 3, 4].flatMap((id) => [id, 0x11, 0])]);
  const dcBits = new Array(16).fill(0);
  dcBits[3] = 12; // categories 0..11 all get 4-bit codes 0000..1011
  const dht = seg(0xc4, [0x00, ...dcBits, ...Array.from({ length: 12 }, (_, i) => i), 0x10, 1, ...new Array(15).fill(0), 0x00]);
  const sos = seg(0xda, [4, ...[1, 2, 3, 4].flatMap((id) => [id, 0x00]), 0, 63, 0]);

  const bytes: number[] = [];
  let acc = 0;
  let nbits = 0;
  const put = (value: number, len: number) => {
    for (let i = len - 1; i >= 0; i--) {
      acc = (acc << 1) | ((value >> i) & 1);
      if (++nbits === 8) {
        bytes.push(acc);
        if (acc === 0xff) bytes.push(0); // byte stuffing
        acc = 0;
        nbits = 0;
      }
    }
  };
  const prev = [0, 0, 0, 0];
  for (const block of blocks) {
    for (let c = 0; c < 4; c++) {
      const dc = 8 * (block[c]! - 128); // flat block: DC = 8 × level-shifted value (quantiser 1)
      const diff = dc - prev[c]!;
      prev[c] = dc;
      const cat = diff === 0 ? 0 : Math.floor(Math.log2(Math.abs(diff))) + 1;
      put(cat, 4);
      if (cat) put(diff >= 0 ? diff : diff + (1 << cat) - 1, cat);
      put(0, 1); // EOB
    }
  }
  if (nbits) put((1 << (8 - nbits)) - 1, 8 - nbits); // pad with ones
  return Buffer.from([0xff, 0xd8, ...adobe, ...dqt, ...sof, ...dht, ...sos, ...bytes, 0xff, 0xd9]);
}

export { thrown } from './s2v-error.js';
