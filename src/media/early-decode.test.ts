/**
 * The decode `s2v analyze` starts before the CLI loads (bin/early-decode.js) and its adoption by
 * the analysis' decode (early-decode.ts): the same arguments, the same PCM and the same errors
 * as a decode spawned then; and no ffmpeg left behind by a command that never adopted it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript without types: it runs before the bundle is loaded
import * as early from '../../bin/early-decode.js';
import { ANALYSIS_SAMPLE_RATE } from '../audio/frame-analyzer.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { outcome, outcomeSync } from '../../test/support/processes.js';
import { errorLine } from '../engine/index.js';
import { decodeAudioArgs } from './args.js';
import { createMediaService } from './index.js';

const S2V = path.resolve(import.meta.dirname, '../../bin/s2v.js');
const EARLY = path.resolve(import.meta.dirname, '../../bin/early-decode.js');
const holder = globalThis as Record<symbol, unknown>;

let dir: string;
let wav: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's2v-early-decode-'));
  wav = path.join(dir, 'tone.wav');
  // 20 s of a chirp at 44.1 kHz stereo: 1.3 MB of PCM out, far more than a pipe holds.
  const pcm = new Float32Array(20 * 44100 * 2);
  for (let i = 0; i < pcm.length / 2; i++) pcm[2 * i] = pcm[2 * i + 1] = 0.5 * Math.sin((2 * Math.PI * (200 + i / 441) * i) / 44100);
  await createMediaService().writeWav(wav, pcm, 44100, 2);
});
afterAll(() => rm(dir, { recursive: true, force: true }));
// An early decode a test left untaken is stopped, as s2v's exit would.
afterEach(() => {
  const left = holder[early.EARLY_DECODE] as { child: { kill: (s: string) => void } } | undefined;
  left?.child.kill('SIGKILL');
  delete holder[early.EARLY_DECODE];
});

async function collect(chunks: AsyncIterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for await (const c of chunks) parts.push(c);
  const out = new Float32Array(parts.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of parts) out.set(c, (at += c.length) - c.length);
  return out;
}

/** ffmpeg processes whose command line names `file` (Linux: /proc). */
function ffmpegsOn(file: string): number[] {
  const pids: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (cmd.includes(file) && path.basename(cmd[0]!).startsWith('ffmpeg')) pids.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const started = (argv: string[]) => early.startEarlyDecode(argv, { ...process.env, S2V_NO_EARLY: undefined }) as { bin: string; child: { exitCode: number | null; killed: boolean; once: (e: string, f: () => void) => void } } | undefined;

describe('early decode (s2v analyze)', () => {
  it('runs exactly the decode the analysis asks for, with the ffmpeg it would find', () => {
    expect(early.ANALYSIS_RATE).toBe(ANALYSIS_SAMPLE_RATE);
    expect(early.earlyDecodeArgs('/x/a b.wav')).toEqual(decodeAudioArgs({ input: '/x/a b.wav', sampleRate: ANALYSIS_SAMPLE_RATE, channels: 1 }));
    expect(early.guessFfmpeg()).toBe(FFMPEG);
  });

  it.each([
    [['song.wav'], 'song.wav'],
    [['song.wav', '--json', '--fps', '25'], 'song.wav'],
    [['--fps=12.5', 'song.wav'], 'song.wav'],
    [[], undefined],
    [['--json'], undefined],
    [['a.wav', 'b.wav'], undefined],
    [['a.wav', '--fps', '0'], undefined],
    [['a.wav', '--fps'], undefined],
    [['a.wav', '--help'], undefined],
    [['a.wav', '--verbose'], undefined],
  ])('analyze %j → early decode of %s', (args, file) => {
    expect(early.analyzeTarget(args)).toBe(file === undefined ? undefined : path.resolve(file));
  });

  it('starts only for a readable regular file, never with S2V_NO_EARLY=1', async () => {
    const fifo = path.join(dir, 'pipe.wav');
    outcomeSync('mkfifo', [fifo]);
    await writeFile(path.join(dir, 'empty.wav'), '');
    for (const f of [path.join(dir, 'missing.wav'), dir, fifo, path.join(dir, 'empty.wav')]) expect(started(['analyze', f]), f).toBeUndefined();
    expect(early.startEarlyDecode(['analyze', wav], { ...process.env, S2V_NO_EARLY: '1' })).toBeUndefined();
    expect(started(['run', wav])).toBeUndefined();
    expect(holder[early.EARLY_DECODE]).toBeUndefined();
  });

  it('the adopted decode gives the PCM a decode started then gives', async () => {
    const media = createMediaService();
    const fresh = await collect(media.decodeAudioStream(wav, { sampleRate: ANALYSIS_SAMPLE_RATE, chunkSamples: 32768 }));
    const e = started(['analyze', wav]);
    expect(e?.bin).toBe(FFMPEG);
    // The analysis comes late: ffmpeg has filled the pipe and waits.
    await new Promise((r) => setTimeout(r, 300));
    const adopted = await collect(media.decodeAudioStream(wav, { sampleRate: ANALYSIS_SAMPLE_RATE, chunkSamples: 32768 }));
    expect(holder[early.EARLY_DECODE]).toBeUndefined();
    expect(e!.child.exitCode).toBe(0);
    expect(adopted.length).toBe(20 * ANALYSIS_SAMPLE_RATE);
    expect(Buffer.from(adopted.buffer).equals(Buffer.from(fresh.buffer))).toBe(true);
  });

  it('a file short enough for ffmpeg to finish before it is adopted still gives all of its PCM', async () => {
    const short = path.join(dir, 'short.wav');
    await createMediaService().writeWav(short, new Float32Array(44100 * 3).map((_, i) => 0.3 * Math.sin(i / 9)), 44100, 1);
    const media = createMediaService();
    const fresh = await collect(media.decodeAudioStream(short, { sampleRate: ANALYSIS_SAMPLE_RATE }));
    const e = started(['analyze', short]);
    await new Promise<void>((r) => e!.child.once('exit', r));
    await new Promise((r) => setTimeout(r, 100));
    const adopted = await collect(media.decodeAudioStream(short, { sampleRate: ANALYSIS_SAMPLE_RATE }));
    expect(adopted.length).toBe(3 * ANALYSIS_SAMPLE_RATE);
    expect(Buffer.from(adopted.buffer).equals(Buffer.from(fresh.buffer))).toBe(true);
  });

  it('another decode (another rate, another file) does not take it', async () => {
    const e = started(['analyze', wav]);
    const media = createMediaService();
    const other = await collect(media.decodeAudioStream(wav, { sampleRate: 8000 }));
    expect(other.length).toBe(20 * 8000);
    expect(holder[early.EARLY_DECODE]).toBe(e);
    // Taken by the decode it matches, as in `s2v analyze`.
    await collect(media.decodeAudioStream(wav, { sampleRate: ANALYSIS_SAMPLE_RATE }));
    expect(holder[early.EARLY_DECODE]).toBeUndefined();
  });

  it('an ffmpeg that failed before it was adopted fails the decode with the error of one spawned then', async () => {
    const bad = path.join(dir, 'song.mp3');
    await writeFile(bad, 'not audio at all\n'.repeat(100));
    const media = createMediaService();
    const fresh = await collect(media.decodeAudioStream(bad, { sampleRate: ANALYSIS_SAMPLE_RATE })).catch((e: Error) => e);
    const e = started(['analyze', bad]);
    await new Promise<void>((r) => e!.child.once('exit', r));
    await new Promise((r) => setTimeout(r, 100));
    const adopted = await collect(media.decodeAudioStream(bad, { sampleRate: ANALYSIS_SAMPLE_RATE })).catch((x: Error) => x);
    expect(fresh).toBeInstanceOf(Error);
    expect(errorLine(adopted)).toBe(errorLine(fresh));
    expect(errorLine(adopted)).toContain(bad);
  });

  it.skipIf(process.platform !== 'linux')('a process that never adopts it ends at once and leaves no ffmpeg behind, whether it returns or throws', async () => {
    for (const ending of ['', "throw new Error('bundle failed')"]) {
      const code = `const e = await import(${JSON.stringify(EARLY)}); if (!e.startEarlyDecode(['analyze', ${JSON.stringify(wav)}])) process.exit(9); await new Promise((r) => setTimeout(r, 200)); ${ending}`;
      const t0 = performance.now();
      const o = await outcome(process.execPath, ['--input-type=module', '-e', code], { timeoutMs: 20_000, env: { ...process.env, S2V_NO_EARLY: '' } });
      expect(o.code, o.stderr).toBe(ending ? 1 : 0);
      // Not held by the ffmpeg waiting on its full pipe (it would never end).
      expect(performance.now() - t0).toBeLessThan(15_000);
      await new Promise((r) => setTimeout(r, 100));
      expect(ffmpegsOn(wav)).toEqual([]);
    }
  }, 60_000);

  it.skipIf(process.platform !== 'linux')('s2v analyze of a file that is not audio: the same one line and exit code as without the early decode, and no ffmpeg left', async () => {
    const bad = path.join(dir, 'noise.ogg');
    await writeFile(bad, Buffer.alloc(300_000, 7));
    const runs = [{}, { S2V_NO_EARLY: '1' }].map((env) => outcomeSync(process.execPath, [S2V, 'analyze', bad], { timeoutMs: 60_000, env: { ...process.env, ...env } }));
    expect(runs[0]!.code).toBe(2);
    expect(runs[0]!.stderr.trim().split('\n')).toHaveLength(1);
    expect(runs[0]!.stderr).toContain(bad);
    expect(runs[0]!.stderr).toBe(runs[1]!.stderr);
    expect(runs[0]!.code).toBe(runs[1]!.code);
    expect(ffmpegsOn(bad)).toEqual([]);
  }, 90_000);
});
