import { outcomeSync, runSync } from '../../test/support/processes.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaService } from '../media/index.js';
import { analyzeCommand } from './analyze.js';
import { clickTrack, rng } from '../../test/fixtures/audio/synth.js';
import { Kit } from '../../test/fixtures/audio/grooves.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';

let dir: string;
let wav: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's2v-analyze-'));
  wav = path.join(dir, 'clicks.wav');
  const c = clickTrack({ bpm: 120, durationSec: 8 });
  await createMediaService().writeWav(wav, c.pcm, c.sampleRate, 1);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  let out = '';
  let err = '';
  const code = await analyzeCommand(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('s2v analyze', () => {
  it('--json has exactly the documented keys, curves at the requested fps', async () => {
    const { code, out } = await run([wav, '--json', '--fps', '25']);
    expect(code).toBe(0);
    const j = JSON.parse(out);
    expect(Object.keys(j)).toEqual(['durationSec', 'sampleRate', 'tempo', 'beats', 'beatsWithMidpoints', 'downbeats', 'onsets', 'speech', 'fps', 'curves', 'visemes']);
    expect(j.visemes.dominant).toHaveLength(200);
    expect(j.fps).toBe(25);
    expect(j.durationSec).toBeCloseTo(8, 2);
    expect(Math.abs(j.tempo - 120)).toBeLessThan(4);
    expect(j.beatsWithMidpoints).toBe(false);
    for (const k of ['rms', 'onset', 'bass', 'mid', 'high', 'brightness', 'percussive', 'harmonic', 'vocal', 'mouth']) expect(j.curves[k], k).toHaveLength(200);
    expect(j.curves.beat.reduce((a: number, b: number) => a + b, 0)).toBe(j.beats.length);
  });

  it('prints a readable summary', async () => {
    const { code, out } = await run([wav]);
    expect(code).toBe(0);
    expect(out).toMatch(/^clicks\.wav: 8\.0 s, 16000 Hz, 1 ch\ntempo +1[12]\d\.\d BPM/);
    expect(out).toMatch(/speech +0 spans/);
  });

  // The phase-less 8th-note pattern of metrical-level.test.ts (every 8th the same kick, snare and
  // hat at 140 BPM): no cue tells the beats from the "ands", so the beats are listed with their
  // midpoints. The tempo said is the beat's, not the doubled grid's (it printed 280 BPM).
  it('says the beat\'s tempo when the beats are listed with their midpoints, and says they are', async () => {
    const sr = 16000;
    const bpm = 140;
    const pcm = new Float32Array(24 * sr);
    const kit = new Kit(pcm, sr, rng(1));
    for (let t = 0.5; t < 23.6; t += 60 / bpm) {
      for (const u of [t, t + 30 / bpm]) {
        kit.kick(u, 0.25);
        kit.snare(u, 0.2);
        kit.hat(u, 0.1);
      }
    }
    const f = path.join(dir, 'eighths.wav');
    await createMediaService().writeWav(f, pcm, sr, 1);
    const json = await run([f, '--json']);
    expect(json.code).toBe(0);
    const j = JSON.parse(json.out);
    expect(j.beatsWithMidpoints).toBe(true);
    expect(Math.abs(j.tempo - bpm) / bpm).toBeLessThan(0.04);
    // The list itself stays as dense as every 8th.
    const gaps = (j.beats as number[]).slice(1).map((b, i) => b - j.beats[i]).sort((a, b) => a - b);
    expect(Math.abs(gaps[gaps.length >> 1]! - 30 / bpm)).toBeLessThan(0.02);
    const text = await run([f]);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/\ntempo +1(3\d|4\d)\.\d BPM/);
    expect(text.out).toMatch(/\nbeats +\d+ .*each beat and its midpoint/);
  }, 60_000);

  it.each([
    [['missing.wav'], /E108 .*missing\.wav/],
    [['.'], /E108 .*s2v-analyze-\w+: not a regular file/],
    [['--json'], /E100 analyze: no audio file given/],
    [['x.wav', '--fps', 'abc'], /E100 --fps/],
  ])('bad input %j → exit 2 and one line', async (args, msg) => {
    const { code, err } = await run(args.map((a) => (a.endsWith('.wav') || a === '.' ? path.join(dir, a) : a)));
    expect(code).toBe(2);
    expect(err).toMatch(msg);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('reads a studio recording whose WebM header has no duration (like the Mic node does)', async () => {
    const f = path.join(dir, 'take.webm');
    // Written to a pipe, the muxer cannot go back to fill in the duration, as in MediaRecorder files.
    await writeFile(f, runSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=300:d=2:sample_rate=48000', '-c:a', 'libopus', '-f', 'webm', 'pipe:1']));
    expect((await createMediaService().probe(f)).audio!.durationSec).toBe(0);
    const { code, out } = await run([f]);
    expect(code).toBe(0);
    expect(out).toMatch(/^take\.webm: 2\.0 s, 48000 Hz, 1 ch\n/);
  });

  it('names a text file posing as audio', async () => {
    const f = path.join(dir, 'song.mp3');
    await writeFile(f, 'not audio at all\n');
    const { code, err } = await run([f]);
    expect(code).toBe(2);
    expect(err).toContain(f);
  });

  it('a missing file ends the process with one line and exit 2, at once: the VAD worker started for it does not keep the process alive', () => {
    // The model's worker is spawned once the model file is verified, which may be after the
    // command has failed and let its services go: the thread must not hold the process (it did, for ever).
    const missing = path.join(dir, 'no-such-song.wav');
    for (const env of [{}, { S2V_NO_EARLY: '1' }]) {
      const o = outcomeSync(process.execPath, [path.resolve(import.meta.dirname, '../../bin/s2v.js'), 'analyze', missing], { timeoutMs: 30_000, env: { ...process.env, ...env } });
      expect(o.code, o.stderr).toBe(2);
      expect(o.stderr.trim().split('\n')).toEqual([expect.stringContaining('no-such-song.wav')]);
    }
  }, 90_000);
});
