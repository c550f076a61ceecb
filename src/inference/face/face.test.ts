import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../../engine/index.js';
import { createMediaService } from '../../media/index.js';
import { cropResize, rgbToGray } from './gray.js';
import { faceCascades } from './cascades.js';
import { detectMultiScale } from './haar.js';
import { detectFace, type Box } from './index.js';
import { FFMPEG } from '../../../test/support/ffmpeg.js';
import { run } from '../../../test/support/processes.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/images/face_grace_hopper.jpg', import.meta.url));

/** Decode through the media layer when it exists; until then, ffmpeg straight (test-only shortcut). */
async function decode(path: string, width: number, height: number): Promise<RgbImage> {
  try {
    return await createMediaService().decodeImage(path, { width, height, fit: 'fill' });
  } catch {
    return ffmpegRgb(['-i', path, '-vf', `scale=${width}:${height}`], width, height);
  }
}

async function ffmpegRgb(input: string[], width: number, height: number): Promise<RgbImage> {
  const { stdout } = await run(FFMPEG, ['-v', 'error', ...input, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
  expect(stdout.length).toBe(width * height * 3);
  return { width, height, data: new Uint8Array(stdout) };
}

function mirror(img: RgbImage): RgbImage {
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const s = (y * img.width + x) * 3;
      const d = (y * img.width + img.width - 1 - x) * 3;
      out[d] = img.data[s]!;
      out[d + 1] = img.data[s + 1]!;
      out[d + 2] = img.data[s + 2]!;
    }
  }
  return { width: img.width, height: img.height, data: out };
}

const contains = (b: Box, [px, py]: readonly [number, number]): boolean => px >= b.x && px <= b.x + b.w && py >= b.y && py <= b.y + b.h;
const centre = (b: Box): [number, number] => [b.x + b.w / 2, b.y + b.h / 2];
function iou(a: Box, b: Box): number {
  const ix = Math.max(0, Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y));
  return (ix * iy) / (a.w * a.h + b.w * b.h - ix * iy);
}

/** Read off the 512×600 portrait by eye (see test/fixtures/images/README.md): brow-to-chin face, eyes, mouth. */
const TRUTH = { face: { x: 170, y: 150, w: 190, h: 185 }, eyes: [[215, 195], [310, 192]] as const, mouth: [262, 285] as const };

function expectMouthInLowerHalf(d: { face: Box; mouth: Box }): void {
  const { face, mouth } = d;
  expect(mouth.y).toBeGreaterThanOrEqual(face.y + face.h / 2);
  expect(mouth.y + mouth.h).toBeLessThanOrEqual(face.y + face.h);
  expect(mouth.x).toBeGreaterThanOrEqual(face.x);
  expect(mouth.x + mouth.w).toBeLessThanOrEqual(face.x + face.w);
}

describe('detectFace on a real portrait', () => {
  it('finds Grace Hopper\'s face, eyes inside it and the mouth where it is', async () => {
    const img = await decode(FIXTURE, 512, 600);
    const d = await detectFace(img);
    expect(d).toBeDefined();
    const { face, mouth, eyes } = d!;
    expect(iou(face, TRUTH.face)).toBeGreaterThan(0.5);
    for (const p of [...TRUTH.eyes, TRUTH.mouth]) expect(contains(face, p), `face box holds (${p})`).toBe(true);
    expect(face.w).toBeGreaterThan(150);
    expect(face.w).toBeLessThan(300);
    expectMouthInLowerHalf(d!);
    const [mx, my] = centre(mouth);
    expect(Math.hypot(mx - TRUTH.mouth[0], my - TRUTH.mouth[1])).toBeLessThan(25);
    // Every eye found sits on one of the two real eyes (glasses make the second one optional,
    // but at least one must be found: an empty list would pass the loop below).
    expect(eyes.length).toBeGreaterThanOrEqual(1);
    expect(eyes.length).toBeLessThanOrEqual(2);
    for (const e of eyes) expect(TRUTH.eyes.some((p) => contains(e, p)), JSON.stringify(e)).toBe(true);
    // Two eyes are two different eyes, not the same one twice.
    if (eyes.length === 2) expect(TRUTH.eyes.filter((p) => eyes.some((e) => contains(e, p)))).toHaveLength(2);
    expect(d!.score).toBeGreaterThanOrEqual(4);
  });

  it('finds the mirrored face at the mirrored place', async () => {
    const img = await decode(FIXTURE, 512, 600);
    const [a, b] = await Promise.all([detectFace(img), detectFace(mirror(img))]);
    expect(b).toBeDefined();
    const [ax, ay] = centre(a!.face);
    const [bx, by] = centre(b!.face);
    expect(Math.abs(bx - (512 - ax))).toBeLessThan(12);
    expect(Math.abs(by - ay)).toBeLessThan(12);
    expect(Math.abs(b!.face.w - a!.face.w)).toBeLessThan(0.1 * a!.face.w);
    expectMouthInLowerHalf(b!);
    expect(contains(b!.mouth, [512 - TRUTH.mouth[0], TRUTH.mouth[1]])).toBe(true);
  });

  it('maps boxes back to the caller\'s pixels when it works on a shrunk copy', async () => {
    const img = await decode(FIXTURE, 1024, 1200);
    const d = await detectFace(img);
    expect(d).toBeDefined();
    const face = { x: d!.face.x / 2, y: d!.face.y / 2, w: d!.face.w / 2, h: d!.face.h / 2 };
    expect(iou(face, TRUTH.face)).toBeGreaterThan(0.5);
    expectMouthInLowerHalf(d!);
  });
});

describe('detectFace without a face', () => {
  it('returns undefined for noise, a gradient and ffmpeg\'s test card', async () => {
    let s = 12345;
    const noise = Uint8Array.from({ length: 256 * 256 * 3 }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 24));
    const gradient = Uint8Array.from({ length: 320 * 240 * 3 }, (_v, i) => Math.floor(i / 3 / 320) + (i % 3) * 10);
    const card = await ffmpegRgb(['-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=1'], 320, 240);
    expect(await detectFace({ width: 256, height: 256, data: noise })).toBeUndefined();
    expect(await detectFace({ width: 320, height: 240, data: gradient })).toBeUndefined();
    expect(await detectFace(card)).toBeUndefined();
  });

  it('returns undefined for a 16×16 image without throwing', async () => {
    await expect(detectFace({ width: 16, height: 16, data: new Uint8Array(16 * 16 * 3).fill(90) })).resolves.toBeUndefined();
  });

  it('rejects pixel data that does not match the stated size with E110', async () => {
    await expect(detectFace({ width: 10, height: 10, data: new Uint8Array(299) })).rejects.toMatchObject({ code: 'E110' });
  });
});

describe('parity with OpenCV', () => {
  it('detectMultiScale(gray, 1.1, 3) on the portrait gives OpenCV 4.6\'s boxes', async () => {
    // Reference: cv2 4.6.0 (Debian python3-opencv) CascadeClassifier(haarcascade_frontalface_alt2.xml)
    // .detectMultiScale(cvtColor(rgb, RGB2GRAY), 1.1, 3) on the same ffmpeg-decoded pixels →
    // [[259,28,52,52] (cap badge), [145,98,240,240] (face)]. JPEG decoders may differ by a level here
    // and there, so allow a few pixels.
    const img = await ffmpegRgb(['-i', FIXTURE], 512, 600);
    const { face } = await faceCascades();
    const found = detectMultiScale(face, rgbToGray(512, 600, img.data), { scaleFactor: 1.1, minNeighbors: 3 }).sort((a, b) => a.w - b.w);
    expect(found).toHaveLength(2);
    const want = [[259, 28, 52, 52], [145, 98, 240, 240]];
    found.forEach((r, i) => [r.x, r.y, r.w, r.h].forEach((v, k) => expect(Math.abs(v - want[i]![k]!)).toBeLessThanOrEqual(3)));
  });

  it('cropResize to the same size is a plain crop', () => {
    const g = { width: 4, height: 3, data: Uint8Array.from({ length: 12 }, (_v, i) => i * 10) };
    expect([...cropResize(g, { x: 1, y: 1, w: 2, h: 2 }, 2, 2).data]).toEqual([50, 60, 90, 100]);
  });
});
