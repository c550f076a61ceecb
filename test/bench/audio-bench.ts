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

async function timedAnalyze(file: string): Promise<{ features: FeaturesValue; wallSec: number; cpuSec: number }> {
  const audio = createAudioService({ media: createMediaService() });
  const value = await audioValue(file);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const features = await audio.analyze(value, {});
  const wallSec = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { features, wallSec, cpuSec: (c.user + c.system) / 1e6 };
}

function readList(file: string): number[] {
  return readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
}

export async function benchAudio(): Promise<void> {
  console.log('audio analysis — eval-dev beats (±70 ms, beats before 5 s ignored)');
  for (const id of TRACKS) {
    const wav = path.join(EVAL_DIR, `${id}.wav`);
    let best: Awaited<ReturnType<typeof timedAnalyze>> | undefined;
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
        `  speed ${(f.durationSec / best!.wallSec).toFixed(0)}× RT wall, ${(f.durationSec / best!.cpuSec).toFixed(0)}× RT CPU of this process`,
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
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as { maxRssMB: number; wallSec: number; cpuSec: number; durationSec: number; beats: number };
    console.log(`  10-minute MP3: peak RSS ${r.maxRssMB.toFixed(0)} MB, ${(r.durationSec / r.wallSec).toFixed(0)}× RT wall (${(r.durationSec / r.cpuSec).toFixed(0)}× RT CPU of the analysing process), ${r.beats} beats`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function rssChild(file: string): Promise<void> {
  const r = await timedAnalyze(file);
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ maxRssMB, wallSec: r.wallSec, cpuSec: r.cpuSec, durationSec: r.features.durationSec, beats: r.features.beats.length }));
}

const argv = process.argv;
if (argv.includes('--rss-child')) await rssChild(argv[argv.indexOf('--rss-child') + 1]!);
else if (argv[1] && path.resolve(argv[1]) === here) await benchAudio();
