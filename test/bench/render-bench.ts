/**
 * End-to-end render numbers for the music-video template on its 20 s demo clip, run the way a
 * user runs it (a fresh `s2v` process each time, so start-up is included):
 * - first run vs an identical, fully cached re-run (target: re-run < 1/20 of the first run);
 * - the render vs ffmpeg alone encoding the same number of frames with the same settings.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpegEncodeOnly } from '../../src/media/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function timed(args: string[]): { seconds: number; done: Record<string, unknown> } {
  return timedRaw(args, true);
}

function timedRaw(args: string[], json: boolean): { seconds: number; done: Record<string, unknown> } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(root, 'bin/s2v.js'), ...args], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`s2v ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`);
  return { seconds, done: json ? JSON.parse(r.stdout.trim().split('\n').pop()!) : {} };
}

export async function benchRender(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-bench-'));
  try {
    const graph = path.join(root, 'graphs/music-video.json');
    const args = ['run', graph, '-o', path.join(tmp, 'bench.mp4'), '--cache-dir', path.join(tmp, 'cache'), '--json'];
    timedRaw(['--version'], false); // build the CLI bundle outside the measurement
    const first = timed(args);
    const second = timed(args);
    const cachedAll = (second.done.cached as string[]).length;
    const ranAgain = (second.done.ran as string[]).length;
    console.log(
      `20 s clip, whole process: first run ${first.seconds.toFixed(2)} s · identical re-run ${second.seconds.toFixed(2)} s ` +
        `(engine ${Number(second.done.seconds).toFixed(3)} s) · ratio 1/${(first.seconds / second.seconds).toFixed(0)} (target ≥ 1/20) · re-run: ${cachedAll} cached, ${ranAgain} ran`,
    );
    const frames = 20 * 24;
    const t0 = performance.now();
    await ffmpegEncodeOnly({ width: 512, height: 512, fps: 24, frames });
    const ff = (performance.now() - t0) / 1000;
    console.log(
      `render 20 s @ 512×512/24 fps (analysis + inference + encode + preview): ${first.seconds.toFixed(2)} s = ${(20 / first.seconds).toFixed(2)}× real time · ` +
        `ffmpeg alone encoding ${frames} synthetic frames ${ff.toFixed(2)} s · ours/ffmpeg ${(first.seconds / ff).toFixed(2)}×`,
    );
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
