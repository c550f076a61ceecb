/**
 * Audio analysis benchmark: beat F-measure (mir_eval convention) and tempo error on the
 * eval-dev excerpts, analysis speed as × real time, and peak RSS while analysing a
 * generated 10-minute file (measured in a fresh child process so nothing else counts).
 *
 *   node bin/tsx-run.js test/bench/audio-bench.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMediaService } from '../../src/media/index.js';
import { createAudioService, beatFMeasure, tempoError } from '../../src/audio/index.js';
import type { AudioValue, FeaturesValue } from '../../src/engine/index.js';

const EVAL_DIR = '/work/shared/eval-dev';
const TRACKS = ['t03_last_trip', 't07_techno_movement'];
const here = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(here), '../..');

async function audioValue(file: string): Promise<AudioValue> {
  const probe = await createMediaService().probe(file);
  return { kind: 'audio', path: file, durationSec: probe.audio!.durationSec, sampleRate: probe.audio!.sampleRate, channels: probe.audio!.channels };
}

/** CPU seconds of this process and of its finished children (ffmpeg), from /proc (Linux). */
function cpuWithChildren(): number | undefined {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    // Fields 14–17 of stat (utime, stime, cutime, cstime) in clock ticks (100 Hz on Linux).
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return undefined;
  }
}

interface Timed {
  features: FeaturesValue;
  wallSec: number;
  /** CPU of the analysing (node) process. */
  cpuSec: number;
  /** CPU including the ffmpeg decode. */
  totalCpuSec?: number;
}

async function timedAnalyze(file: string): Promise<Timed> {
  const audio = createAudioService({ media: createMediaService() });
  const value = await audioValue(file);
  const c0 = process.cpuUsage();
  const k0 = cpuWithChildren();
  const t0 = performance.now();
  const features = await audio.analyze(value, {});
  const wallSec = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const k1 = cpuWithChildren();
  return { features, wallSec, cpuSec: (c.user + c.system) / 1e6, totalCpuSec: k0 !== undefined && k1 !== undefined ? k1 - k0 : undefined };
}

const x = (dur: number, sec?: number) => (sec && sec > 0 ? `${(dur / sec).toFixed(0)}×` : 'n/a');

function readList(file: string): number[] {
  return readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
}

export async function benchAudio(): Promise<void> {
  console.log('audio analysis — eval-dev beats (±70 ms, beats before 5 s ignored)');
  for (const id of TRACKS) {
    const wav = path.join(EVAL_DIR, `${id}.wav`);
    let best: Timed | undefined;
    for (let i = 0; i < 3; i++) {
      const r = await timedAnalyze(wav);
      if (!best || r.wallSec < best.wallSec) best = r;
    }
    const f = best!.features;
    const F = beatFMeasure(readList(path.join(EVAL_DIR, `${id}.beats`)), f.beats);
    const Fdown = beatFMeasure(readList(path.join(EVAL_DIR, `${id}.downbeats`)), f.downbeats);
    const refBpm = Number(readFileSync(path.join(EVAL_DIR, `${id}.bpm`), 'utf8'));
    const err = tempoError(refBpm, f.tempo) * 100;
    console.log(
      `  ${id.padEnd(22)} F=${F.toFixed(3)}  downbeat F=${Fdown.toFixed(3)}  tempo ${f.tempo.toFixed(1)} vs ${refBpm} (${err.toFixed(1)} %)` +
        `  speed: ${x(f.durationSec, best!.cpuSec)} RT (analysis CPU), ${x(f.durationSec, best!.totalCpuSec)} RT (CPU incl. ffmpeg decode), ${x(f.durationSec, best!.wallSec)} RT wall`,
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 's2v-audio-bench-'));
  try {
    const long = path.join(dir, 'ten-minutes.mp3');
    // Music-like 10 minutes: a chord with a 2 Hz tremolo pulse plus noise, 44.1 kHz stereo MP3.
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=220:d=600:sample_rate=44100', '-f', 'lavfi', '-i', 'anoisesrc=d=600:a=0.05:r=44100',
      '-filter_complex', '[0][1]amix=inputs=2,tremolo=f=2:d=0.9,aformat=channel_layouts=stereo', '-b:a', '128k', long]);
    const child = spawnSync(process.execPath, [path.join(repo, 'bin/tsx-run.js'), here, '--rss-child', long], { encoding: 'utf8', cwd: repo });
    if (child.status !== 0) throw new Error(`10-minute run failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { maxRssMB: number; wallSec: number; cpuSec: number; totalCpuSec?: number; durationSec: number; beats: number };
    console.log(
      `  10-minute MP3 (44.1 kHz stereo): peak RSS ${r.maxRssMB.toFixed(0)} MB; speed ${x(r.durationSec, r.cpuSec)} RT (analysis CPU), ` +
        `${x(r.durationSec, r.totalCpuSec)} RT (CPU incl. ffmpeg decode), ${x(r.durationSec, r.wallSec)} RT wall; ${r.beats} beats`,
    );
    console.log(`  (load average now ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores: wall-clock numbers suffer when the machine is shared)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rssChild(file: string): Promise<void> {
  const r = await timedAnalyze(file);
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ maxRssMB, wallSec: r.wallSec, cpuSec: r.cpuSec, totalCpuSec: r.totalCpuSec, durationSec: r.features.durationSec, beats: r.features.beats.length }));
}

const argv = process.argv;
if (argv.includes('--rss-child')) await rssChild(argv[argv.indexOf('--rss-child') + 1]!);
else if (argv[1] && path.resolve(argv[1]) === here) await benchAudio();
