/**
 * End-to-end render numbers for the music-video template on a 20 s clip:
 * - first run vs a fully cached re-run (target: re-run < 1/20 of the first run);
 * - our render vs ffmpeg alone encoding the same number of frames with the same settings.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';
import { ffmpegEncodeOnly } from '../../src/media/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function timed(args: string[]): Promise<{ seconds: number; done: Record<string, unknown> }> {
  let last = '';
  const t0 = performance.now();
  const code = await main(args, { stdout: (s) => (last = s.trim().split('\n').pop() ?? last), stderr: () => undefined, isTTY: false });
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`s2v ${args.join(' ')} exited ${code}`);
  return { seconds, done: JSON.parse(last) };
}

export async function benchRender(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-bench-'));
  try {
    const graph = path.join(root, 'graphs/music-video.json');
    const out = path.join(tmp, 'bench.mp4');
    const args = ['run', graph, '-o', out, '--cache-dir', path.join(tmp, 'cache'), '--json'];
    const first = await timed(args);
    const second = await timed(args);
    const cachedAll = (second.done.cached as string[]).length;
    const ranAgain = (second.done.ran as string[]).length;
    console.log(`first run ${first.seconds.toFixed(2)} s · cached re-run ${second.seconds.toFixed(3)} s · ratio 1/${(first.seconds / second.seconds).toFixed(0)} (target ≥ 1/20) · re-run: ${cachedAll} cached, ${ranAgain} ran`);
    const frames = 20 * 24;
    const t0 = performance.now();
    await ffmpegEncodeOnly({ width: 512, height: 512, fps: 24, frames });
    const ff = (performance.now() - t0) / 1000;
    console.log(`render 20 s @ 512×512/24 fps: ours ${first.seconds.toFixed(2)} s (${(20 / first.seconds).toFixed(2)}× real time) · ffmpeg alone encoding ${frames} frames ${ff.toFixed(2)} s · ours/ffmpeg ${(first.seconds / ff).toFixed(2)}×`);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
