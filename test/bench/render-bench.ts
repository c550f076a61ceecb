/**
 * End-to-end render numbers, run the way a user runs them (a fresh `s2v run` process each
 * time, start-up included), each a ratio taken in this one run so a loaded machine slows
 * both sides alike:
 * - pulse, 30 s of music at 512×512 @ 24 fps: real-time factor, and its time over ffmpeg
 *   alone encoding as many frames with the same settings (timed just before and just after);
 * - the 20 s demo: first run vs an identical, fully cached re-run (target ≥ 50×), the re-run
 *   the median of RERUNS: as a user gets it (the run memo answers) and through the engine's
 *   cached path (S2V_NO_RUN_MEMO=1), each beside a bare `node -e 0` (what any Node program pays to start);
 * - peak memory of a 1-minute and a 10-minute render: the s2v process (all its threads) and
 *   the whole tree with ffmpeg, sampled from /proc (S2V_BENCH_QUICK=1 skips the 10 minutes).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpegEncodeOnly } from '../../src/media/index.js';
import { FFMPEG } from '../support/ffmpeg.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const s2v = path.join(root, 'bin/s2v.js');
const graph = path.join(root, 'graphs/music-video.json');
const MUSIC = '/work/shared/eval-dev/t07_techno_movement.wav';

interface Run {
  seconds: number;
  done: Record<string, unknown>;
  /** Peak RSS of the s2v process and of s2v + its children (ffmpeg) together, MB. */
  peakMb: number;
  treePeakMb: number;
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    const tasks = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return tasks ? tasks.split(/\s+/).map(Number) : [];
  } catch {
    return [];
  }
}

/** One `s2v` process; its own peak comes from getrusage in that process (a preload), the tree's from sampling. */
async function s2vRun(args: string[], tmp: string): Promise<Run> {
  const peakFile = path.join(tmp, `peak-${process.hrtime.bigint()}.txt`);
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', path.join(tmp, 'peak.mjs'), s2v, ...args], { env: { ...process.env, S2V_PEAK_FILE: peakFile }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let tree = 0;
  const sample = setInterval(() => {
    const pids = [child.pid!, ...childrenOf(child.pid!)];
    tree = Math.max(tree, pids.reduce((s, p) => s + rssKb(p), 0));
  }, 200);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sample);
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`s2v ${args.slice(0, 2).join(' ')} exited ${code}: ${stderr.trim().split('\n').pop()}`);
  const peakMb = Number(await fs.readFile(peakFile, 'utf8')) / 1024;
  return { seconds, done: JSON.parse(stdout.trim().split('\n').pop()!), peakMb, treePeakMb: Math.max(tree / 1024, peakMb) };
}

function loopAudio(source: string, seconds: number, out: string): string {
  const r = spawnSync(FFMPEG, ['-v', 'error', '-y', '-stream_loop', '-1', '-i', source, '-t', String(seconds), out]);
  if (r.status !== 0) throw new Error(`cannot make ${out}: ${r.stderr.toString().trim()}`);
  return out;
}

/** A whole process, as a user starts it (no preload): wall seconds and its last stdout line. */
function timed(args: string[], env?: Record<string, string>): { seconds: number; last: string; stderr: string } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26, env: env ? { ...process.env, ...env } : undefined });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`node ${args.slice(0, 3).join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`);
  return { seconds, last: r.stdout.trim().split('\n').pop() ?? '', stderr: r.stderr };
}

const RERUNS = 7;
const median = (a: number[]) => [...a].sort((p, q) => p - q)[a.length >> 1]!;

/**
 * The 20 s demo with an empty cache, then identical re-runs that find every node cached: as a
 * user gets them (answered from the run memo, bin/run-memo.js, when nothing changed) and, in the
 * same loop, through the engine's cached path (S2V_NO_RUN_MEMO=1), each beside a bare `node -e 0`.
 */
export async function benchCachedRerun(tmp: string): Promise<void> {
  const args = [s2v, 'run', graph, '-o', path.join(tmp, 'demo.mp4'), '--json', '--cache-dir', path.join(tmp, 'demo-cache')];
  // Says on stderr whether a run was answered from the memo (it is part of the memo's key: set on every run).
  const debug = { S2V_DEBUG_RUN_MEMO: '1' };
  const first = timed(args, debug);
  const again: number[] = [];
  const engine: number[] = [];
  const bare: number[] = [];
  let done: Record<string, unknown> = {};
  let engineDone: Record<string, unknown> = {};
  let answered = 0;
  for (let i = 0; i < RERUNS; i++) {
    const r = timed(args, debug);
    again.push(r.seconds);
    if (r.stderr.includes('answered from the run memo')) answered++;
    done = JSON.parse(r.last) as Record<string, unknown>;
    if ((done.ran as string[]).length) throw new Error(`re-run ${i + 1} ran ${(done.ran as string[]).join(', ')}: not a cached re-run`);
    const e = timed(args, { ...debug, S2V_NO_RUN_MEMO: '1' });
    engine.push(e.seconds);
    engineDone = JSON.parse(e.last) as Record<string, unknown>;
    if ((engineDone.ran as string[]).length) throw new Error(`engine re-run ${i + 1} ran ${(engineDone.ran as string[]).join(', ')}: not a cached re-run`);
    bare.push(timed(['-e', '0']).seconds);
  }
  const rerun = median(again);
  console.log(
    `20 s demo, whole process: first run ${first.seconds.toFixed(2)} s · identical re-run ${rerun.toFixed(3)} s ` +
      `(median of ${RERUNS}, ${answered} answered from the run memo; first re-run ${again[0]!.toFixed(3)} s, fastest ${Math.min(...again).toFixed(3)} s; ${(done.cached as string[]).length} cached) · ` +
      `engine's cached path (S2V_NO_RUN_MEMO=1) ${median(engine).toFixed(3)} s (engine ${Number(engineDone.seconds).toFixed(3)} s) · bare \`node -e 0\` ${median(bare).toFixed(3)} s beside them · ` +
      `first/re-run ${(first.seconds / rerun).toFixed(0)}×, first/engine path ${(first.seconds / median(engine)).toFixed(0)}× (target ≥ 50×) · ${load()}`,
  );
}

const load = () => `load average ${os.loadavg()[0]!.toFixed(1)} on ${os.availableParallelism()} cores`;

export async function benchRender(): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-bench-'));
  try {
    await fs.writeFile(path.join(tmp, 'peak.mjs'), "import fs from 'node:fs';\nprocess.on('exit', () => fs.writeFileSync(process.env.S2V_PEAK_FILE, String(process.resourceUsage().maxRSS)));\n");
    spawnSync(process.execPath, [s2v, '--version']); // build the CLI bundle outside the measurements
    const music = existsSync(MUSIC) ? MUSIC : path.join(root, 'graphs/assets/demo-beat.wav');
    const run = (audio: string, out: string, extra: string[] = []) =>
      s2vRun(['run', graph, '--input', `audio=${audio}`, '-o', path.join(tmp, out), '--json', ...extra], tmp);

    // Pulse on 30 s of music, against ffmpeg alone on either side of it.
    const thirty = loopAudio(music, 30, path.join(tmp, 'thirty.wav'));
    const frames = 30 * 24;
    const before = await ffmpegEncodeOnly({ width: 512, height: 512, fps: 24, frames });
    const pulse = await run(thirty, 'pulse-30.mp4', ['--no-cache']);
    const after = await ffmpegEncodeOnly({ width: 512, height: 512, fps: 24, frames });
    const ff = (before.seconds + after.seconds) / 2;
    console.log(
      `pulse, 30 s of ${path.basename(music)} at 512×512 @ 24 fps, whole s2v process (start-up, analysis, inference, encode): ` +
        `${pulse.seconds.toFixed(2)} s = ${(30 / pulse.seconds).toFixed(2)}× real time (target ≥ 2.5×) · ffmpeg alone encoding ${frames} frames ` +
        `${ff.toFixed(2)} s (${before.seconds.toFixed(2)} before, ${after.seconds.toFixed(2)} after) · ours/ffmpeg ${(pulse.seconds / ff).toFixed(2)}× · ${load()}`,
    );

    await benchCachedRerun(tmp);

    // Memory against duration.
    const one = await run(loopAudio(music, 60, path.join(tmp, 'one.wav')), 'one.mp4', ['--no-cache']);
    const line = (label: string, r: Run) => `${label}: s2v ${r.peakMb.toFixed(0)} MB, with ffmpeg ${r.treePeakMb.toFixed(0)} MB (render ${r.seconds.toFixed(0)} s)`;
    if (process.env.S2V_BENCH_QUICK) {
      console.log(`peak memory, ${line('1-minute render', one)} · 10-minute render skipped (S2V_BENCH_QUICK)`);
      return;
    }
    const ten = await run(loopAudio(music, 600, path.join(tmp, 'ten.wav')), 'ten.mp4', ['--no-cache']);
    console.log(
      `peak memory, ${line('1-minute render', one)} · ${line('10-minute', ten)} · 10 min/1 min ${(ten.peakMb / one.peakMb).toFixed(2)} ` +
        `(target ≤ 500 MB) · 10-minute speed ${(600 / ten.seconds).toFixed(2)}× real time · ${load()}`,
    );
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchRender();
