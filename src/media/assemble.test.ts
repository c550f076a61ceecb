import { runSync } from '../../test/support/processes.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { assembleArgs, extractFrameArgs } from './assemble.js';
import { createMediaService } from './index.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-assemble-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const media = createMediaService();
const ff = (...args: string[]) => runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', ...args, '-y']);

/** A clip of solid colours at 16 fps, as a remote model might deliver it (its own size, its own audio). */
function clip(name: string, colours: Array<[string, number]>): string {
  const out = path.join(dir, name);
  const inputs = colours.flatMap(([c, n]) => ['-f', 'lavfi', '-i', `color=c=${c}:s=200x120:r=16:d=${n / 16}`]);
  const concat = colours.map((_, i) => `[${i}:v]`).join('') + `concat=n=${colours.length}:v=1:a=0,format=yuv420p[v]`;
  ff(...inputs, '-f', 'lavfi', '-i', 'sine=f=300:d=9', '-filter_complex', concat, '-map', '[v]', '-map', `${colours.length}:a`, '-shortest', '-c:v', 'libx264', '-c:a', 'aac', out);
  return out;
}

/** Mean RGB of every frame of a video at 8×8. */
function frameColours(file: string): Array<[number, number, number]> {
  const raw = runSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-i', file, '-vf', 'scale=8:8', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1']);
  const out: Array<[number, number, number]> = [];
  for (let f = 0; f < raw.length / 192; f++) {
    const px = raw.subarray(f * 192, (f + 1) * 192);
    let r = 0, g = 0, b = 0;
    for (let i = 0; i < 64; i++) { r += px[i * 3]!; g += px[i * 3 + 1]!; b += px[i * 3 + 2]!; }
    out.push([r / 64, g / 64, b / 64]);
  }
  return out;
}
const isColour = (c: [number, number, number], ch: 0 | 1 | 2) => c[ch] > 150 && c.every((v, i) => i === ch || v < 110);

describe('assemble remote segments (real ffmpeg, also the npm 4.1 build)', () => {
  it('joins two segments dropping the repeated first frame, converts 16 → 24 fps and 200×120 → 320×240, muxes the source audio, exact length', async () => {
    // Segment A: 20 red frames (keep 16). Segment B starts with a green frame (the repeat of A's last), then blue.
    const a = clip('a.mp4', [['red', 20]]);
    const b = clip('b.mp4', [['lime', 1], ['blue', 40]]);
    const audio = path.join(dir, 'song.wav');
    ff('-f', 'lavfi', '-i', 'sine=f=440:d=3.3', audio);
    const output = path.join(dir, 'joined.mp4');
    const previewOutput = path.join(dir, 'joined.webm');
    const frames = Math.round(3.3 * 24);
    await media.assembleVideo!({ segments: [{ path: a, startFrame: 0, frames: 16 }, { path: b, startFrame: 1 }], sourceFps: 16, width: 320, height: 240, fps: 24, frames, fit: 'fill', audioPath: audio, output, previewOutput });

    const p = await media.probe(output);
    expect(p.video).toMatchObject({ codec: 'h264', width: 320, height: 240, fps: 24 });
    expect(p.audio!.codec).toBe('aac');
    expect(Math.abs(p.video!.durationSec - frames / 24)).toBeLessThan(0.01);
    expect(Math.abs(p.audio!.durationSec - frames / 24)).toBeLessThan(0.03);
    const colours = frameColours(output);
    expect(colours).toHaveLength(frames);
    // 16 red frames at 16 fps = exactly 1 s = 24 frames at 24 fps, then blue; never the green repeat.
    expect(colours.slice(0, 24).every((c) => isColour(c, 0))).toBe(true);
    expect(colours.slice(24).every((c) => isColour(c, 2))).toBe(true);
    expect(colours.some((c) => isColour(c, 1))).toBe(false);
    expect((await media.probe(previewOutput)).video!.codec).toBe('vp9');
  });

  it('a segment shorter than asked is held on its last frame: the video still lasts exactly as long as the audio', async () => {
    const short = clip('short.mp4', [['red', 8], ['blue', 8]]); // 1 s
    const audio = path.join(dir, 'long.wav');
    ff('-f', 'lavfi', '-i', 'sine=f=440:d=2', audio);
    const output = path.join(dir, 'held.mp4');
    await media.assembleVideo!({ segments: [{ path: short, startFrame: 0 }], sourceFps: 16, width: 64, height: 64, fps: 24, frames: 48, fit: 'fill', audioPath: audio, output });
    const colours = frameColours(output);
    expect(colours).toHaveLength(48);
    expect(colours.slice(0, 12).every((c) => isColour(c, 0))).toBe(true);
    expect(colours.slice(12).every((c) => isColour(c, 2))).toBe(true);
  });

  it('extracts one frame by index as a PNG; a frame past the end is E110 naming the video', async () => {
    const b = clip('b2.mp4', [['lime', 1], ['blue', 10]]);
    const png = path.join(dir, 'last.png');
    await media.extractFrame!({ input: b, index: 0, output: png });
    const img = await media.decodeImage(png, { width: 4, height: 4, fit: 'fill' });
    expect(img.data[1]).toBeGreaterThan(150);
    await expect(media.extractFrame!({ input: b, index: 500, output: path.join(dir, 'none.png') })).rejects.toMatchObject({ code: 'E110', where: b });
    expect(fs.existsSync(path.join(dir, 'none.png'))).toBe(false);
  });

  it('builds one input per segment plus the audio, and keeps the frame span of each', () => {
    const args = assembleArgs({ segments: [{ path: 'a.mp4', startFrame: 0, frames: 10 }, { path: 'b.mp4', startFrame: 1 }], sourceFps: 16, width: 64, height: 32, fps: 24, frames: 30, fit: 'fit', audioPath: 's.wav', output: 'o.mp4' });
    expect(args.filter((a) => a === '-i')).toHaveLength(3);
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).toContain('[0:v]trim=start_frame=0:end_frame=10,setpts=N/(16*TB)');
    expect(graph).toContain('[1:v]trim=start_frame=1,setpts');
    expect(graph).toContain('pad=64:32');
    expect(graph).toContain('concat=n=2:v=1:a=0,fps=24');
    expect(graph).toContain('overlay=eof_action=repeat,trim=end_frame=30');
    expect(graph).toContain('[2:a]');
    expect(extractFrameArgs({ input: 'v.mp4', index: 7, output: 'f.png' })).toContain('select=eq(n\\,7)');
  });
});
