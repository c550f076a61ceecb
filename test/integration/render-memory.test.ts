/**
 * Memory stays flat with duration: the music-video template rendered from a 16 s and a 48 s
 * track, each in a fresh `s2v run` process, peak RSS as that process saw it. Anything kept
 * per frame or per second of audio (frames queued ahead of the encoder, per-frame arrays,
 * the whole track's PCM) grows with 3× the frames; at 192×192 holding every frame alone
 * would add ~85 MB. (Shorter renders end before the allocator settles: 8 s peaks ~15 MB
 * lower than its own plateau, which would read as growth.) The 10-minute figure is measured by `npm run bench -- render`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FFMPEG } from '../support/ffmpeg.js';

const root = path.resolve(import.meta.dirname, '../..');
const SIZE = 192;
let tmp: string;

/** Peak RSS (MB) of one `s2v run` of `seconds` of the demo beat. */
function render(seconds: number): number {
  const wav = path.join(tmp, `beat-${seconds}.wav`);
  const peakFile = path.join(tmp, `peak-${seconds}.txt`);
  const loop = spawnSync(FFMPEG, ['-v', 'error', '-y', '-stream_loop', '-1', '-i', path.join(root, 'graphs/assets/demo-beat.wav'), '-t', String(seconds), wav]);
  if (loop.status !== 0) throw new Error(loop.stderr.toString());
  const r = spawnSync(
    process.execPath,
    ['--import', path.join(tmp, 'peak.mjs'), path.join(root, 'bin/s2v.js'), 'run', path.join(root, 'graphs/music-video.json'),
      '--input', `audio=${wav}`, '-o', path.join(tmp, `out-${seconds}.mp4`), '--no-cache', '--json',
      '--set', `model.width=${SIZE}`, '--set', `model.height=${SIZE}`],
    { encoding: 'utf8', env: { ...process.env, S2V_PEAK_FILE: peakFile }, timeout: 300_000 },
  );
  expect(r.status, r.stderr).toBe(0);
  const done = JSON.parse(r.stdout.trim().split('\n').pop()!) as { event: string; output: string };
  expect(done.event).toBe('done');
  return Number(readFileSync(peakFile, 'utf8')) / 1024;
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-render-memory-'));
  // Written by the render process itself on exit: its own peak, all threads included.
  await fs.writeFile(
    path.join(tmp, 'peak.mjs'),
    "import fs from 'node:fs';\nprocess.on('exit', () => fs.writeFileSync(process.env.S2V_PEAK_FILE, String(process.resourceUsage().maxRSS)));\n",
  );
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('render memory', () => {
  it('a track 3× as long (1152 vs 384 frames) peaks within 30 MB of the short one', () => {
    const short = render(16);
    const long = render(48);
    expect(short).toBeGreaterThan(50);
    expect(long - short, `peak RSS ${short.toFixed(0)} MB for 16 s, ${long.toFixed(0)} MB for 48 s`).toBeLessThan(30);
  }, 600_000);
});
