// Real ffmpeg: short generated clips laid out side by side.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareVideos, LABEL_FONT, planCells } from './compare.js';
import { decodeImage } from './image.js';
import { decodeAudio } from './audio.js';
import { rmsDb, toneHz } from '../../test/support/audio-checks.js';
import { bins, colourName, ffmpegGen, ffprobeJson, makeTempDir, pixel, thrown } from '../../test/support/media-testing.js';

let dir: string;
let cleanup: () => Promise<void>;
const f = (name: string) => path.join(dir, name);

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await ffmpegGen('-f', 'lavfi', '-i', 'color=0x303030:s=320x240:d=1:r=24', '-f', 'lavfi', '-i', 'sine=d=1', '-shortest', '-y', f('a.mp4'));
  await ffmpegGen('-f', 'lavfi', '-i', 'color=0x303030:s=160x90:d=1:r=24', '-y', f('b.mp4'));
  await ffmpegGen('-f', 'lavfi', '-i', 'color=0x303030:s=240x240:d=1:r=24', '-y', f('c.mp4'));
  await ffmpegGen('-f', 'lavfi', '-i', 'sine=f=220:d=3', '-y', f('music.wav'));
});
afterAll(() => cleanup());

async function info(file: string) {
  const j = await ffprobeJson(file);
  return { v: j.streams.find((s) => s.codec_type === 'video')!, a: j.streams.find((s) => s.codec_type === 'audio'), format: j.format };
}

describe('planCells', () => {
  it('row: same even height, widths keep aspect; grid: equal cells', () => {
    const row = planCells([{ width: 320, height: 240 }, { width: 160, height: 90 }], 'row');
    expect(row.cells.map((c) => [c.cellWidth, c.cellHeight])).toEqual([[120, 90], [160, 90]]);
    expect([row.totalWidth, row.totalHeight]).toEqual([280, 90]);
    const grid = planCells([{ width: 1920, height: 1080 }, { width: 1080, height: 1080 }, { width: 1280, height: 720 }], 'grid');
    expect(grid.cells.every((c) => c.cellWidth === 1280 && c.cellHeight === 720)).toBe(true);
    expect(grid.cells[1]!.scaleWidth).toBe(720);
    expect([grid.totalWidth, grid.totalHeight]).toEqual([2560, 1440]);
  });
});

describe('compareVideos', () => {
  it('row: one H.264 file, cells at the same height, labels burned in, audio from the first input', async () => {
    expect(await fs.stat(LABEL_FONT).then(() => true, () => false)).toBe(true);
    const inputs = [{ path: f('a.mp4'), label: 'Model A' }, { path: f('b.mp4'), label: 'B, with: odd chars \\ %{n}' }];
    const r = await compareVideos(bins, { inputs, output: f('row.mp4'), layout: 'row' });
    expect(r.warnings).toEqual([]);
    const { v, a, format } = await info(f('row.mp4'));
    expect(v).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: 280, height: 90 });
    expect(a).toMatchObject({ codec_name: 'aac' });
    expect(Number(format.duration)).toBeCloseTo(1, 1);

    // Same layout without a font: no labels and a warning. The label corner must differ.
    const plain = await compareVideos(bins, { inputs, output: f('plain.mp4'), layout: 'row', fontFile: f('no-font.ttf') });
    expect(plain.warnings.join()).toMatch(/labels skipped/);
    const labelled = await decodeImage(bins, f('row.mp4'), { width: 280, height: 90, fit: 'fill' });
    const bare = await decodeImage(bins, f('plain.mp4'), { width: 280, height: 90, fit: 'fill' });
    let changed = 0;
    for (let y = 0; y < 20; y++) for (let x = 0; x < 60; x++) if (pixel(labelled, x, y)[0] !== pixel(bare, x, y)[0]) changed++;
    expect(changed).toBeGreaterThan(50);
    expect(colourName(pixel(bare, 60, 60))).toBe('black'); // 0x303030 is closest to black
  });

  it('grid of three with a separate audio file and a WebM preview; the empty cell is black', async () => {
    const inputs = ['a', 'b', 'c'].map((n) => ({ path: f(`${n}.mp4`), label: n.toUpperCase() }));
    await compareVideos(bins, { inputs, output: f('grid.mp4'), layout: 'grid', audioPath: f('music.wav'), previewPath: f('grid.webm') });
    const { v, a, format } = await info(f('grid.mp4'));
    // Cell height 90; widest scaled picture is b (160) → 2×2 of 160×90.
    expect([v.width, v.height]).toEqual([320, 180]);
    expect(a).toMatchObject({ codec_name: 'aac' });
    // The separate file's 220 Hz tone, not a.mp4's own 440 Hz sine.
    const pcm = await decodeAudio(bins, f('grid.mp4'), { sampleRate: 16000, channels: 1 });
    expect(toneHz(pcm, 16000)).toBeCloseTo(220, -1);
    expect(rmsDb(pcm)).toBeGreaterThan(-25);
    expect(Number(format.duration)).toBeCloseTo(1, 1); // music is 3 s: cut to the videos
    const p = await info(f('grid.webm'));
    expect(p.v).toMatchObject({ codec_name: 'vp9', width: 320, height: 180 });
    expect(p.a).toMatchObject({ codec_name: 'opus' });
    const img = await decodeImage(bins, f('grid.mp4'), { width: 320, height: 180, fit: 'fill' });
    expect(pixel(img, 240, 135).every((c) => c < 20)).toBe(true);
    expect(pixel(img, 80, 60).every((c) => c > 30)).toBe(true);
    expect((await fs.readdir(dir)).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('bad requests fail with one line and leave nothing behind', async () => {
    expect((await thrown(compareVideos(bins, { inputs: [{ path: f('a.mp4'), label: 'a' }], output: f('one.mp4'), layout: 'row' }))).code).toBe('E106');
    const noVideo = await thrown(compareVideos(bins, { inputs: [{ path: f('a.mp4'), label: 'a' }, { path: f('music.wav'), label: 'm' }], output: f('nv.mp4'), layout: 'row' }));
    expect(noVideo.code).toBe('E110');
    expect(noVideo.oneLine()).toContain('music.wav');
    const names = await fs.readdir(dir);
    expect(names.filter((n) => n === 'one.mp4' || n === 'nv.mp4' || n.endsWith('.partial'))).toEqual([]);
  });

  it('cancelling stops ffmpeg and leaves no output', async () => {
    const ac = new AbortController();
    const run = compareVideos(bins, { inputs: [{ path: f('a.mp4'), label: 'a' }, { path: f('c.mp4'), label: 'c' }], output: f('cancel.mp4'), layout: 'row', signal: ac.signal });
    ac.abort();
    expect((await thrown(run)).code).toBe('E121');
    expect((await fs.readdir(dir)).filter((n) => n.includes('cancel') || n.endsWith('.partial'))).toEqual([]);
  });
});
