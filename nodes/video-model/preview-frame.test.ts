import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bmpFromRgb, previewWriter } from './preview-frame.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { run } from '../../test/support/processes.js';

describe('live preview frame', () => {
  it('writes a BMP that ffmpeg decodes to the same pixels (odd width: rows are padded)', async () => {
    const w = 5;
    const h = 3;
    const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37) % 256);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-bmp-'));
    const file = path.join(dir, 'f.bmp');
    await fs.writeFile(file, bmpFromRgb(rgb, w, h));
    const { stdout } = await run(FFMPEG, ['-v', 'error', '-i', file, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    expect([...stdout]).toEqual([...rgb]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes at most one frame per interval and leaves nothing behind after dispose', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-bmp-'));
    const p = previewWriter(dir, 2, 2, 10_000);
    p.offer(new Uint8Array(12).fill(200));
    const first = await p.flush();
    expect(first).toBe(path.join(dir, 'live-preview.bmp'));
    p.offer(new Uint8Array(12).fill(10));
    expect(await p.flush()).toBeUndefined();
    await p.dispose();
    expect(await fs.readdir(dir)).toEqual([]);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
