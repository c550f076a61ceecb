import { runSync } from '../../test/support/processes.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S2VError } from '../../src/engine/index.js';
import { audioFileNode } from './audio-file.node.js';
import { testContext } from '../../test/fixtures/audio/node-context.js';
import { FFMPEG, FFPROBE } from '../../test/support/ffmpeg.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's2v-audiofile-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const layouts: Record<number, string> = { 1: 'mono', 2: 'stereo', 6: '5.1' };

/** 0.6 s of a 440 Hz tone encoded by ffmpeg in the requested container/codec/layout/rate. */
function encode(name: string, rate: number, channels: number, codecArgs: string[]): string {
  const file = path.join(dir, name);
  runSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=f=440:d=0.6:sample_rate=${rate}`, '-af', `aformat=channel_layouts=${layouts[channels]}`, ...codecArgs, file]);
  return file;
}

async function run(file: string) {
  const ctx = testContext();
  const params = audioFileNode.params.parse({ path: file });
  const out = await audioFileNode.evaluate({ inputs: {}, params, ctx });
  return { audio: out.audio, ctx };
}

describe('Audio File: format matrix (made with ffmpeg at test time)', () => {
  const cases: Array<[string, number, number, string[]]> = [
    ['a.wav', 44100, 2, []],
    ['a.mp3', 44100, 2, ['-c:a', 'libmp3lame']],
    ['a.m4a', 44100, 2, ['-c:a', 'aac']],
    ['a.aac', 44100, 1, ['-c:a', 'aac']],
    ['a.flac', 96000, 2, ['-c:a', 'flac']],
    ['a.ogg', 44100, 2, ['-c:a', 'libvorbis']],
    ['a.opus', 48000, 2, ['-c:a', 'libopus']],
    ['a.webm', 48000, 1, ['-c:a', 'libopus']],
    ['mono8k.wav', 8000, 1, []],
    ['surround96k.wav', 96000, 6, []],
    ['surround.m4a', 48000, 6, ['-c:a', 'aac']],
  ];
  it.each(cases)('%s (%i Hz, %i ch) probes and decodes', async (name, rate, channels, codec) => {
    const file = encode(name, rate, channels, codec);
    const { audio, ctx } = await run(file);
    expect(audio).toMatchObject({ kind: 'audio', path: file, sampleRate: rate, channels, label: name });
    expect(audio.durationSec).toBeGreaterThan(0.5);
    expect(audio.durationSec).toBeLessThan(0.75);
    // The analysis decode (mono 16 kHz mixdown) works for every format.
    const pcm = await ctx.services.media.decodeAudio(file, { sampleRate: 16000, channels: 1 });
    expect(pcm.length).toBeGreaterThan(0.5 * 16000);
    if (rate < 16000) expect(ctx.warnings.join()).toMatch(/low sample rate \(8000 Hz\)/);
  });
});

describe('Audio File: bad input gives one line naming the file', () => {
  async function fails(file: string): Promise<S2VError> {
    const e = await run(file).then(() => undefined, (err: unknown) => err);
    expect(e).toBeInstanceOf(S2VError);
    const line = (e as S2VError).oneLine();
    expect(line).toContain(file);
    expect(line).not.toContain('\n');
    return e as S2VError;
  }

  it('zero-length file', async () => {
    const f = path.join(dir, 'empty.wav');
    await writeFile(f, '');
    expect((await fails(f)).message).toMatch(/empty/);
  });

  it('text file named .mp3', async () => {
    const f = path.join(dir, 'notes.mp3');
    await writeFile(f, 'this is not audio\n'.repeat(50));
    expect((await fails(f)).code).toBe('E110');
  });

  it('corrupt (truncated/garbage) file', async () => {
    const f = path.join(dir, 'corrupt.flac');
    await writeFile(f, Buffer.concat([Buffer.from('fLaC'), Buffer.alloc(2000, 7)]));
    expect((await fails(f)).code).toBe('E110');
  });

  it('video without audio', async () => {
    const f = path.join(dir, 'silent.mp4');
    runSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:s=64x64:d=0.5', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', f]);
    expect((await fails(f)).message).toMatch(/video stream but no audio/);
  });

  it('missing file and no file chosen', async () => {
    expect((await fails(path.join(dir, 'nope.wav'))).code).toBe('E108');
    const e = await run('').catch((err: S2VError) => err);
    expect((e as S2VError).oneLine()).toMatch(/E107 node "n1": no audio file chosen/);
  });

  it('fingerprint is the file hash', async () => {
    const f = encode('fp.wav', 44100, 1, []);
    const ctx = testContext();
    const fp = await audioFileNode.fingerprint!(audioFileNode.params.parse({ path: f }), ctx);
    expect(fp).toBe(await ctx.services.files.hashFile(f));
  });
});

describe('Audio File: a live-recorded WebM (no duration in its header, as MediaRecorder writes it)', () => {
  it('measures the length by decoding', async () => {
    const file = path.join(dir, 'recorder.webm');
    // Writing to a pipe makes the muxer unable to seek back and store the duration.
    const bytes = runSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=f=300:d=2.0:sample_rate=48000', '-c:a', 'libopus', '-f', 'webm', 'pipe:1']);
    await writeFile(file, bytes);
    const probed = runSync(FFPROBE, ['-v', 'error', '-show_entries', 'format=duration:stream=duration', '-of', 'csv=p=0', file]).toString();
    expect(probed).toMatch(/N\/A/);
    const { audio } = await run(file);
    expect(audio.durationSec).toBeGreaterThan(1.95);
    expect(audio.durationSec).toBeLessThan(2.1);
  });
});
