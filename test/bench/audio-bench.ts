/**
 * Audio analysis benchmark:
 *   - accuracy on the eval-dev excerpts: beat and downbeat F-measure (mir_eval convention), tempo error;
 *   - speed as × real time in CPU seconds (the machine is shared, so wall time mostly measures
 *     the neighbours): the analysis process alone, and with the ffmpeg decode added;
 *   - VAD detection / false-alarm rates on espeak speech with known silences, alone and over music;
 *   - robustness: beat/downbeat F on generated grooves (70–180 BPM, swing, syncopation, 3/4,
 *     tempo ramps, quiet intros), so the two eval tracks are not the only evidence;
 *   - the project's own music generator (renderMusic, read-only): beat F at the exact
 *     metrical level against its quarter-note grid, per genre and tempo;
 *   - long files in fresh child processes: 10 minutes (44.1 kHz stereo MP3) and 2 hours
 *     (8 kHz mono FLAC), peak RSS and speed.
 *
 *   node bin/tsx-run.js test/bench/audio-bench.ts [--quick]   (--quick skips the 2-hour file)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMediaService } from '../../src/media/index.js';
import { analyzePcm, createAudioService, beatFMeasure, tempoError } from '../../src/audio/index.js';
import { BatchedVad, VAD_FRAME, VAD_MODEL, VAD_SAMPLE_RATE, type VadOptions } from '../../src/audio/voice-activity.js';
import { createInferenceService } from '../../src/inference/index.js';
import type { AudioValue, FeaturesValue } from '../../src/engine/index.js';
import { groove, type GrooveOptions } from '../fixtures/audio/grooves.js';
import { makeSpeech } from '../fixtures/audio/speech.js';
import { renderMusic } from '../../nodes/audio-generate/music/render.js';
import { FFMPEG } from '../support/ffmpeg.js';

const EVAL_DIR = '/work/shared/eval-dev';
const TRACKS = ['t03_last_trip', 't07_techno_movement'];
const RUNS = 5;
const here = fileURLToPath(import.meta.url);
const repo = path.resolve(path.dirname(here), '../..');
/** One inference service for the whole bench, as one s2v process has: the VAD's session stays loaded between analyses. */
const inference = createInferenceService();

async function audioValue(file: string): Promise<AudioValue> {
  const probe = await createMediaService().probe(file);
  return { kind: 'audio', path: file, durationSec: probe.audio!.durationSec, sampleRate: probe.audio!.sampleRate, channels: probe.audio!.channels };
}

/** CPU seconds of this process and of its reaped children (ffmpeg), from /proc (Linux). */
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
  /** CPU of the analysing (node) process, all its threads (V8, onnxruntime). */
  cpuSec: number;
  /** CPU including the ffmpeg decode (10 ms resolution). */
  totalCpuSec?: number;
}

async function timedAnalyze(file: string): Promise<Timed> {
  const audio = createAudioService({ media: createMediaService(), inference });
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
const pct = (v: number) => `${(100 * v).toFixed(1)} %`;
const sortedBy = <T>(a: T[], key: (t: T) => number) => [...a].sort((p, q) => key(p) - key(q));

function readList(file: string): number[] {
  return readFileSync(file, 'utf8').trim().split(/\s+/).map(Number);
}

/** Beat F where tapping at double or half the annotated tempo (either phase) also counts. */
function anyLevelF(ref: number[], est: number[]): number {
  const doubled = ref.flatMap((b, i) => (i + 1 < ref.length ? [b, (b + ref[i + 1]!) / 2] : [b]));
  const halves = [0, 1].map((p) => ref.filter((_, i) => i % 2 === p));
  return Math.max(beatFMeasure(ref, est), beatFMeasure(doubled, est), ...halves.map((h) => beatFMeasure(h, est)));
}

export async function benchAudio(opts: { quick?: boolean } = {}): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 's2v-audio-bench-'));
  try {
    await evalTracks();
    await vadRates(dir);
    await robustness();
    await generatedMusic();
    longFiles(dir, opts.quick ?? false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await inference.dispose();
  }
}

async function evalTracks(): Promise<void> {
  console.log('audio analysis — eval-dev (beats ±70 ms, beats before 5 s ignored)');
  // The first analysis in a process also pays for JIT warm-up and loading the VAD model.
  const cold = runChild(path.join(EVAL_DIR, `${TRACKS[0]}.wav`));
  for (const id of TRACKS) {
    const wav = path.join(EVAL_DIR, `${id}.wav`);
    const runs: Timed[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await timedAnalyze(wav));
    const f = runs[0]!.features;
    const F = beatFMeasure(readList(path.join(EVAL_DIR, `${id}.beats`)), f.beats);
    const Fdown = beatFMeasure(readList(path.join(EVAL_DIR, `${id}.downbeats`)), f.downbeats);
    const refBpm = Number(readFileSync(path.join(EVAL_DIR, `${id}.bpm`), 'utf8'));
    const err = tempoError(refBpm, f.tempo) * 100;
    const byCpu = sortedBy(runs, (r) => r.cpuSec);
    const byTotal = sortedBy(runs, (r) => r.totalCpuSec ?? Infinity);
    const med = (a: Timed[]) => a[a.length >> 1]!;
    const d = f.durationSec;
    console.log(`  ${id.padEnd(22)} beat F=${F.toFixed(3)}  downbeat F=${Fdown.toFixed(3)}  tempo ${f.tempo.toFixed(1)} vs ${refBpm} (${err.toFixed(1)} %)`);
    console.log(
      `  ${''.padEnd(22)} speed (best / median of ${RUNS} warm runs): analysis CPU ${x(d, byCpu[0]!.cpuSec)} / ${x(d, med(byCpu).cpuSec)}, ` +
        `CPU incl. ffmpeg decode ${x(d, byTotal[0]!.totalCpuSec)} / ${x(d, med(byTotal).totalCpuSec)}, wall ${x(d, med(runs).wallSec)}`,
    );
  }
  console.log(
    `  first run in a fresh process (${TRACKS[0]}, incl. JIT warm-up and VAD model load): analysis CPU ${x(cold.durationSec, cold.cpuSec)}, ` +
      `CPU incl. ffmpeg decode ${x(cold.durationSec, cold.totalCpuSec)}`,
  );
  console.log('  (ffmpeg alone costs ≈ 0.06 CPU-s to start, so on a 30 s clip the decode caps "incl. decode" near 400×; s16le output is no cheaper than f32le)');
}

async function vadRates(dir: string): Promise<void> {
  const fx = makeSpeech(dir, [1.0, 'The quick brown fox jumps over the lazy dog.', 1.5, 'Sound becomes moving pictures.', 2.0, 'One two three four five.', 1.0]);
  const media = createMediaService();
  const speech = await media.decodeAudio(fx.path, { sampleRate: VAD_SAMPLE_RATE, channels: 1 });
  const music = await media.decodeAudio(path.join(EVAL_DIR, 't03_last_trip.wav'), { sampleRate: VAD_SAMPLE_RATE, channels: 1 });
  const rate = (probs: Float32Array, spans: Array<[number, number]>) => {
    let hit = 0;
    let n = 0;
    probs.forEach((p, j) => {
      const t = ((j + 0.5) * VAD_FRAME) / VAD_SAMPLE_RATE;
      if (spans.some(([a, b]) => t >= a && t < b)) {
        n++;
        if (p >= 0.5) hit++;
      }
    });
    return hit / n;
  };
  console.log('VAD (Silero at 16 kHz, hearing the audio without its held notes) on espeak speech with known silences — detection / false alarms per 32 ms frame');
  const mixed = Float32Array.from(speech, (v, i) => v + 0.25 * (music[i + 5 * VAD_SAMPLE_RATE] ?? 0));
  // 64-frame segments as the analysis uses on short files; `gated` = segments the syllabic gate kept from the model.
  const run = async (pcm: Float32Array, opts: VadOptions = {}) => {
    const vad = new BatchedVad(() => inference.session(VAD_MODEL), { segmentFrames: 64, ...opts });
    await vad.push(pcm);
    const probs = await vad.finish();
    return { probs, gate: `${vad.gated}/${Math.ceil(probs.length / 64)} segments gated` };
  };
  for (const [name, pcm] of [['speech alone', speech], ['speech over music (−12 dB)', mixed]] as const) {
    const on = await run(pcm);
    const off = await run(pcm, { syllabicGateDb: 0 });
    console.log(
      `  ${name.padEnd(28)} detection ${pct(rate(on.probs, fx.speech))}, false alarms ${pct(rate(on.probs, fx.silences))} (${on.gate}; ` +
        `without the gate ${pct(rate(off.probs, fx.speech))} / ${pct(rate(off.probs, fx.silences))})`,
    );
  }
  const musicOnly = await run(music);
  console.log(`  ${'music alone (t03)'.padEnd(28)} frames called speech ${pct(musicOnly.probs.filter((p) => p >= 0.5).length / musicOnly.probs.length)} (${musicOnly.gate})`);
}

async function robustness(): Promise<void> {
  const cases: GrooveOptions[] = [];
  for (const style of ['rock', 'four-floor', 'funk', 'waltz', 'bass-changes', 'techno'] as const) {
    for (const bpm of [70, 95, 120, 150, 180]) cases.push({ style, bpm, durationSec: 24 });
  }
  cases.push(
    { style: 'rock', bpm: 100, swing: 0.67, durationSec: 24 },
    { style: 'funk', bpm: 96, swing: 0.62, durationSec: 24 },
    { style: 'rock', bpm: 90, toBpm: 130, durationSec: 30 },
    { style: 'four-floor', bpm: 128, toBpm: 110, durationSec: 30 },
    { style: 'rock', bpm: 120, introSec: 8, durationSec: 30 },
    { style: 'techno', bpm: 124, introSec: 8, durationSec: 30 },
  );
  console.log(`robustness — generated grooves (${cases.length}, no VAD): beat F / F if double- or half-tempo counts / downbeat F`);
  const rows: Array<{ F: number; any: number; down: number }> = [];
  for (const c of cases) {
    const s = groove(c);
    const f = await analyzePcm(s.pcm, { vad: false });
    const r = { F: beatFMeasure(s.beats, f.beats), any: anyLevelF(s.beats, f.beats), down: beatFMeasure(s.downbeats, f.downbeats) };
    rows.push(r);
    const label = `${c.style} ${c.bpm}${c.toBpm ? `→${c.toBpm}` : ''} BPM${c.swing ? ` swing ${c.swing}` : ''}${c.introSec ? ` ${c.introSec} s quiet intro` : ''}`;
    console.log(`  ${label.padEnd(36)} ${r.F.toFixed(3)} / ${r.any.toFixed(3)} / ${r.down.toFixed(3)}  (tempo ${f.tempo.toFixed(1)})`);
  }
  const m = (k: 'F' | 'any' | 'down') => (rows.reduce((a, r) => a + r[k], 0) / rows.length).toFixed(3);
  const good = rows.filter((r) => r.F >= 0.85).length;
  console.log(`  mean beat F ${m('F')} (${good}/${rows.length} ≥ 0.85), mean any-level F ${m('any')}, mean downbeat F ${m('down')}`);
}

/** 16 kHz mono from a rendered stereo track, resampled by ffmpeg as a decode would. */
function toAnalysisPcm(left: Float32Array, right: Float32Array, sampleRate: number): Float32Array {
  const mono = Float32Array.from(left, (v, i) => 0.5 * (v + right[i]!));
  const out = execFileSync(FFMPEG, ['-v', 'error', '-f', 'f32le', '-ar', String(sampleRate), '-ac', '1', '-i', 'pipe:0', '-f', 'f32le', '-ar', '16000', 'pipe:1'], {
    input: Buffer.from(mono.buffer, mono.byteOffset, mono.byteLength),
    maxBuffer: 1 << 28,
  });
  return new Float32Array(out.buffer, out.byteOffset, out.byteLength / 4);
}

async function generatedMusic(): Promise<void> {
  // The first seven are the reference set; the rest are other genres/tempi/seeds, so a
  // change tuned on the first set shows whether it carries over.
  const prompts: Array<[string, number]> = [
    ['lo-fi hip hop 84 bpm', 3], ['house 124 bpm', 3], ['drum and bass 174 bpm', 3], ['ambient 72 bpm', 3], ['rock 110 bpm', 3], ['techno 132 bpm', 3], ['jazz 140 bpm', 3],
    ['lofi 75 bpm', 5], ['hip hop 92 bpm', 5], ['trap 140 bpm', 5], ['pop 112 bpm', 5], ['cinematic 90 bpm', 5], ['rock 132 bpm', 5], ['jazz 118 bpm', 5], ['dnb 170 bpm', 5],
    ['house 120 bpm', 5], ['ambient 66 bpm', 5], ['pop 100 bpm', 9], ['techno 128 bpm', 9], ['hip hop 88 bpm', 9], ['rock 150 bpm', 9], ['lofi 80 bpm', 9], ['house 126 bpm', 9],
    ['cinematic 96 bpm', 9], ['trap 145 bpm', 9],
  ];
  console.log(`generated music (renderMusic, 30 s, no VAD): beat F at the exact level / F if double- or half-tempo counts`);
  const rows: Array<{ F: number; any: number }> = [];
  for (const [prompt, seed] of prompts) {
    const m = renderMusic(prompt, { durationSec: 30, seed });
    const f = await analyzePcm(toAnalysisPcm(m.left, m.right, m.sampleRate), { vad: false });
    const r = { F: beatFMeasure(m.beats, f.beats), any: anyLevelF(m.beats, f.beats) };
    rows.push(r);
    console.log(`  ${`${prompt} (seed ${seed})`.padEnd(36)} ${r.F.toFixed(3)} / ${r.any.toFixed(3)}  (tempo ${f.tempo.toFixed(1)} vs ${m.tempo})`);
  }
  const summary = (a: typeof rows) => `mean F ${(a.reduce((s, r) => s + r.F, 0) / a.length).toFixed(3)} (${a.filter((r) => r.F >= 0.85).length}/${a.length} ≥ 0.85)`;
  console.log(`  reference seven: ${summary(rows.slice(0, 7))}; others: ${summary(rows.slice(7))}`);
}

function longFiles(dir: string, quick: boolean): void {
  const ten = path.join(dir, 'ten-minutes.mp3');
  // Music-like: a tone with a 2 Hz tremolo pulse plus noise.
  execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=220:d=600:sample_rate=44100', '-f', 'lavfi', '-i', 'anoisesrc=d=600:a=0.05:r=44100',
    '-filter_complex', '[0][1]amix=inputs=2,tremolo=f=2:d=0.9,aformat=channel_layouts=stereo', '-b:a', '128k', ten]);
  report('10-minute MP3 (44.1 kHz stereo)', runChild(ten));
  if (!quick) {
    const two = path.join(dir, 'two-hours.flac');
    execFileSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=220:d=7200:sample_rate=8000', '-f', 'lavfi', '-i', 'anoisesrc=d=7200:a=0.05:r=8000',
      '-filter_complex', '[0][1]amix=inputs=2,tremolo=f=2:d=0.9', '-ac', '1', '-compression_level', '0', two]);
    report('2-hour FLAC (8 kHz mono)', runChild(two));
    console.log('  (peak RSS grows with the per-frame curves the result carries — 13 curves at 100 Hz — not with the PCM: 2 h of 16 kHz float PCM alone would be 460 MB)');
  }
  console.log(`  (load average now ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores: wall-clock numbers suffer when the machine is shared)`);
}

interface ChildResult {
  maxRssMB: number;
  wallSec: number;
  cpuSec: number;
  totalCpuSec?: number;
  durationSec: number;
  beats: number;
}

function runChild(file: string): ChildResult {
  const child = spawnSync(process.execPath, [path.join(repo, 'bin/tsx-run.js'), here, '--rss-child', file], { encoding: 'utf8', cwd: repo, maxBuffer: 1 << 24 });
  if (child.status !== 0) throw new Error(`analysis of ${path.basename(file)} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()!) as ChildResult;
}

function report(label: string, r: ChildResult): void {
  console.log(
    `  ${label}: peak RSS ${r.maxRssMB.toFixed(0)} MB; speed ${x(r.durationSec, r.cpuSec)} RT (analysis CPU), ` +
      `${x(r.durationSec, r.totalCpuSec)} RT (CPU incl. ffmpeg decode), ${x(r.durationSec, r.wallSec)} RT wall; ${r.beats} beats`,
  );
}

async function rssChild(file: string): Promise<void> {
  const r = await timedAnalyze(file);
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  await inference.dispose();
  console.log(JSON.stringify({ maxRssMB, wallSec: r.wallSec, cpuSec: r.cpuSec, totalCpuSec: r.totalCpuSec, durationSec: r.features.durationSec, beats: r.features.beats.length }));
}

const argv = process.argv;
if (argv.includes('--rss-child')) await rssChild(argv[argv.indexOf('--rss-child') + 1]!);
else if (argv[1] && path.resolve(argv[1]) === here) await benchAudio({ quick: argv.includes('--quick') });
