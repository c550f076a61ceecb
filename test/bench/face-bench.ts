/**
 * Timing of detectFace on a 512×512 portrait (the test fixture, stretched): cold call (cascade parsing +
 * JIT warm-up) and warm calls, wall clock and this process's CPU time. Not a test: speed depends on the machine.
 *   node bin/tsx-run.js test/bench/face-bench.ts [image] [runs]
 */

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { detectFace } from '../../src/inference/face/index.js';
import { locateFfmpeg } from '../../src/media/index.js';

const file = process.argv[2] ?? fileURLToPath(new URL('../fixtures/images/face_grace_hopper.jpg', import.meta.url));
const runs = Number(process.argv[3] ?? 10);
const size = 512;
const data = new Uint8Array(
  execFileSync(locateFfmpeg().ffmpeg, ['-v', 'error', '-i', file, '-vf', `scale=${size}:${size}`, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 24 }),
);
const img = { width: size, height: size, data };

async function timed(): Promise<{ wall: number; cpu: number; found: boolean }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const d = await detectFace(img);
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000, found: d !== undefined };
}

const cold = await timed();
const warm: Array<{ wall: number; cpu: number }> = [];
for (let i = 0; i < runs; i++) warm.push(await timed());
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
console.log(`detectFace ${size}×${size} (${file.split('/').pop()}): face ${cold.found ? 'found' : 'NOT found'}`);
console.log(`  cold (parse cascades + JIT): ${cold.wall.toFixed(0)} ms wall, ${cold.cpu.toFixed(0)} ms cpu`);
console.log(`  warm median of ${runs}:       ${median(warm.map((w) => w.wall)).toFixed(0)} ms wall, ${median(warm.map((w) => w.cpu)).toFixed(0)} ms cpu`);
