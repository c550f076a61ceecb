import { outcomeSync, runSync } from '../../test/support/processes.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaService } from '../media/index.js';
import { analyzeCommand } from './analyze.js';
import { clickTrack } from '../../test/fixtures/audio/synth.js';
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
    expect(Object.keys(j)).toEqual(['durationSec', 'sampleRate', 'tempo', 'beats', 'downbeats', 'onsets', 'speech', 'fps', 'curves', 'visemes']);
    expect(j.visemes.dominant).toHaveLength(200);
    expect(j.fps).toBe(25);
    expect(j.durationSec).toBeCloseTo(8, 2);
    expect(Math.abs(j.tempo - 120)).toBeLessThan(4);
    for (const k of ['rms', 'onset', 'bass', 'mid', 'high', 'brightness', 'percussive', 'harmonic', 'vocal', 'mouth']) expect(j.curves[k], k).toHaveLength(200);
    expect(j.curves.beat.reduce((a: number, b: number) => a + b, 0)).toBe(j.beats.length);
  });

  it('prints a readable summary', async () => {
    const { code, out } = await run([wav]);
    expect(code).toBe(0);
    expect(out).toMatch(/^clicks\.wav: 8\.0 s, 16000 Hz, 1 ch\ntempo +1[12]\d\.\d BPM/);
    expect(out).toMatch(/speech +0 spans/);
  });

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
