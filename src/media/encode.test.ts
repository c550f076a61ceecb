// Real ffmpeg: frames streamed through stdin, results checked with ffprobe.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeVideo, ffmpegEncodeOnly } from './encode.js';
import { bins, ffmpegGen, ffprobeJson, makeTempDir, thrown } from '../../test/support/media-testing.js';

let dir: string;
let cleanup: () => Promise<void>;
const f = (name: string) => path.join(dir, name);

beforeAll(async () => {
  ({ dir, cleanup } = await makeTempDir());
  await ffmpegGen('-f', 'lavfi', '-i', 'sine=f=440:d=5', '-y', f('long.wav'));
  await ffmpegGen('-f', 'lavfi', '-i', 'sine=f=440:d=0.5', '-ac', '2', '-y', f('short.wav'));
});
afterAll(() => cleanup());

/** A frame whose colour depends on its index, so frames differ. */
function frame(w: number, h: number, i: number, into = new Uint8Array(w * h * 3)): Uint8Array {
  for (let p = 0; p < w * h; p++) {
    into[3 * p] = (i * 10) & 255;
    into[3 * p + 1] = (p % w) & 255;
    into[3 * p + 2] = 128;
  }
  return into;
}

async function streams(file: string) {
  const j = await ffprobeJson(file, ['-count_frames']);
  const v = j.streams.find((s) => s.codec_type === 'video')!;
  const a = j.streams.find((s) => s.codec_type === 'audio');
  return { v, a, format: j.format };
}

const leftovers = async () => (await fs.readdir(dir)).filter((n) => n.endsWith('.partial'));

describe('encodeVideo', () => {
  it('exact frame count, H.264 yuv420p + AAC, audio cut to the video length, faststart', async () => {
    const [w, h, fps, frames] = [64, 48, 24, 36];
    const enc = await encodeVideo(bins, { outPath: f('cut.mp4'), width: w, height: h, fps, frames, audioPath: f('long.wav'), audioStartSec: 1 });
    const buf = new Uint8Array(w * h * 3);
    for (let i = 0; i < frames; i++) await enc.write(frame(w, h, i, buf)); // reusing one buffer must be safe
    await enc.finish();
    const { v, a } = await streams(f('cut.mp4'));
    expect(v).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', width: w, height: h, nb_read_frames: String(frames) });
    expect(a).toMatchObject({ codec_name: 'aac' });
    expect(Number(v.duration)).toBeCloseTo(frames / fps, 3);
    expect(Math.abs(Number(a!.duration) - frames / fps)).toBeLessThan(1 / fps);
    const bytes = await fs.readFile(f('cut.mp4'));
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
    expect(await leftovers()).toEqual([]);
  });

  it('pads short audio with silence so both streams last frames/fps; WebM preview ≤ 360 px', async () => {
    const [w, h, fps, frames] = [800, 450, 12, 12];
    const enc = await encodeVideo(bins, { outPath: f('pad.mp4'), previewPath: f('pad.webm'), width: w, height: h, fps, frames, audioPath: f('short.wav') });
    for (let i = 0; i < frames; i++) await enc.write(frame(w, h, i));
    await enc.finish();
    const { v, a } = await streams(f('pad.mp4'));
    expect(v.nb_read_frames).toBe(String(frames));
    expect(Math.abs(Number(a!.duration) - 1)).toBeLessThan(1 / fps);
    const p = await streams(f('pad.webm'));
    expect(p.v).toMatchObject({ codec_name: 'vp9', width: 360, height: 202, nb_read_frames: String(frames) });
    expect(p.a).toMatchObject({ codec_name: 'opus' });
    expect(Math.abs(Number(p.format.duration) - 1)).toBeLessThan(2 / fps);
    expect(await leftovers()).toEqual([]);
  });

  it('cancelling the signal mid-stream kills ffmpeg and leaves no file', async () => {
    const ac = new AbortController();
    const [w, h] = [320, 240];
    const enc = await encodeVideo(bins, { outPath: f('cancelled.mp4'), previewPath: f('cancelled.webm'), width: w, height: h, fps: 24, frames: 500, audioPath: f('long.wav'), signal: ac.signal });
    for (let i = 0; i < 10; i++) await enc.write(frame(w, h, i));
    ac.abort();
    expect((await thrown(enc.write(frame(w, h, 10)))).code).toBe('E121');
    expect((await thrown(enc.finish())).code).toBe('E121');
    const names = await fs.readdir(dir);
    expect(names.filter((n) => n.includes('cancelled'))).toEqual([]);
  });

  it('abort() and caller mistakes remove partial output', async () => {
    const [w, h] = [64, 64];
    const a = await encodeVideo(bins, { outPath: f('aborted.mp4'), width: w, height: h, fps: 24, frames: 100 });
    await a.write(frame(w, h, 0));
    await a.abort();
    const short = await encodeVideo(bins, { outPath: f('short.mp4'), width: w, height: h, fps: 24, frames: 5 });
    await short.write(frame(w, h, 0));
    expect((await thrown(short.finish())).oneLine()).toMatch(/only 1 of 5 frames/);
    const wrong = await encodeVideo(bins, { outPath: f('wrong.mp4'), width: w, height: h, fps: 24, frames: 5 });
    expect((await thrown(wrong.write(new Uint8Array(10)))).oneLine()).toMatch(/expected 12288/);
    const names = await fs.readdir(dir);
    expect(names.filter((n) => /aborted|short\.mp4|wrong/.test(n) || n.endsWith('.partial'))).toEqual([]);
  });

  it('rejects odd sizes (callers round to even) and a missing audio file before spawning', async () => {
    const odd = await thrown(encodeVideo(bins, { outPath: f('odd.mp4'), width: 65, height: 48, fps: 24, frames: 1 }));
    expect(odd.code).toBe('E110');
    expect(odd.oneLine()).toMatch(/even/);
    expect((await thrown(encodeVideo(bins, { outPath: f('x.mp4'), width: 64, height: 48, fps: 24, frames: 1, audioPath: f('nope.wav') }))).code).toBe('E108');
    expect((await thrown(encodeVideo(bins, { outPath: f('missing-dir/x.mp4'), width: 64, height: 48, fps: 24, frames: 1 }))).code).toBe('E109');
  });

  it('memory stays flat while streaming: writes wait for ffmpeg instead of queueing frames', async () => {
    const [w, h, frames] = [640, 360, 100]; // 69 MB of RGB in total
    const enc = await encodeVideo(bins, { outPath: f('long.mp4'), width: w, height: h, fps: 30, frames });
    const buf = new Uint8Array(w * h * 3);
    const before = process.memoryUsage().rss;
    let peak = before;
    for (let i = 0; i < frames; i++) {
      await enc.write(frame(w, h, i, buf));
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    await enc.finish();
    expect(peak - before).toBeLessThan(40 * 1024 * 1024);
    expect((await streams(f('long.mp4'))).v.nb_read_frames).toBe(String(frames));
  });
});

describe('ffmpegEncodeOnly', () => {
  it('encodes the requested number of synthetic frames with the same settings', async () => {
    const r = await ffmpegEncodeOnly(bins, { width: 64, height: 64, fps: 24, frames: 12, outPath: f('baseline.mp4') });
    expect(r.seconds).toBeGreaterThan(0);
    const { v } = await streams(f('baseline.mp4'));
    expect(v).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p', nb_read_frames: '12' });
  });
});
