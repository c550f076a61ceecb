/**
 * Child-process probe for memory.test.ts: renders a track of argv[2] seconds the way the
 * Audio-Generate node does (render, peaks, planar WAV) and prints the process's peak RSS.
 * A separate process, so the number is this job's alone, not the test runner's.
 */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs/promises';
import { renderMusic } from '../../nodes/audio-generate/music/render.js';
import { peaksFromPcm } from '../../nodes/audio-generate/peaks.js';
import { writeWav } from '../../src/media/audio.js';

const seconds = Number(process.argv[2]);
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-music-mem-'));
try {
  const r = renderMusic('lo-fi hip hop 84 bpm, warm and dusty', { durationSec: seconds, seed: 1 });
  peaksFromPcm(r.left, r.right, r.sampleRate);
  const file = path.join(dir, 'music.wav');
  await writeWav(file, [r.left, r.right], r.sampleRate, 2);
  const bytes = (await fs.stat(file)).size;
  process.stdout.write(`${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, wavBytes: bytes, frames: r.left.length, loudness: r.loudness })}\n`);
} finally {
  await fs.rm(dir, { recursive: true, force: true });
}
