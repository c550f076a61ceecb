/**
 * Music generation benchmark: seconds of mastered stereo 44.1 kHz music rendered per CPU
 * second (target ≥ 30× real time), per genre, plus where the time goes (synthesis vs
 * mastering) and the result's loudness/peak. Each prompt is rendered once to warm the JIT,
 * then measured. Also the built-in screenwriter's expansions per second.
 *
 *   node bin/tsx-run.js test/bench/bench.ts generate
 *   node bin/tsx-run.js test/bench/generate-bench.ts
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMusic } from '../../nodes/audio-generate/music/render.js';
import { expandScene } from '../../nodes/screenwriter/expand.js';

const PROMPTS = [
  'lo-fi hip hop 84 bpm, warm and dusty',
  'uplifting house 124 bpm',
  'dark techno 132 bpm',
  'drum and bass 174 bpm',
  'jazz 140 bpm',
  'cinematic epic 90 bpm in D minor',
  'calm ambient with piano',
];
const SECONDS = 30;
const TARGET = 30;

const cpuSec = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

export async function benchGenerate(): Promise<void> {
  let totalAudio = 0;
  let totalCpu = 0;
  let worst = Infinity;
  for (const prompt of PROMPTS) {
    renderMusic(prompt, { durationSec: 4, seed: 99 }); // warm-up
    let masterAt = 0;
    const start = process.cpuUsage();
    const r = renderMusic(prompt, {
      durationSec: SECONDS,
      seed: 1,
      progress: (_f, m) => {
        if (m === 'master') masterAt = cpuSec(process.cpuUsage(start));
      },
    });
    const cpu = cpuSec(process.cpuUsage(start));
    let peak = 0;
    for (let i = 0; i < r.left.length; i++) peak = Math.max(peak, Math.abs(r.left[i]!), Math.abs(r.right[i]!));
    const speed = SECONDS / cpu;
    worst = Math.min(worst, speed);
    totalAudio += SECONDS;
    totalCpu += cpu;
    console.log(
      `${prompt.padEnd(38)} ${speed.toFixed(1).padStart(6)}× real time  (synth ${masterAt.toFixed(2)} s, master ${(cpu - masterAt).toFixed(2)} s CPU)  ` +
        `${r.spec.genre.id} ${r.tempo} bpm, ${r.loudness.toFixed(2)} LUFS, peak ${(20 * Math.log10(peak)).toFixed(2)} dBFS`,
    );
  }
  const overall = totalAudio / totalCpu;
  console.log(`music generation: ${overall.toFixed(1)}× real time overall, slowest ${worst.toFixed(1)}× (target ≥ ${TARGET}×) — ${worst >= TARGET ? 'OK' : 'BELOW TARGET'}`);

  const t0 = process.cpuUsage();
  let n = 0;
  for (; n < 20000; n++) expandScene(`a lighthouse keeper ${n % 50}`, n);
  console.log(`screenwriter (built in): ${(n / cpuSec(process.cpuUsage(t0))).toFixed(0)} expansions per CPU second`);
}

// argv[1] may be relative (tsx-run passes it through as typed), so compare resolved paths.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await benchGenerate();
