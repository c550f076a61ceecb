import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaService } from '../media/index.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { runSync } from '../../test/support/processes.js';
import { parseWavHeader, plainWavAudio } from './analyze-wav.js';
import { analyzeCommand } from './analyze.js';

let dir: string;
const media = createMediaService();
const f = (name: string) => path.join(dir, name);

/** Noise through ffmpeg's own WAV muxer: `codec` at `rate` Hz, `channels`, exactly `samples` long. */
function wav(name: string, codec: string, rate: number, channels: number, samples: number): string {
  runSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', `anoisesrc=sample_rate=${rate}:d=40:amplitude=0.3`, '-ac', String(channels), '-af', `atrim=end_sample=${samples}`, '-c:a', codec, '-y', f(name)]);
  return f(name);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 's2v-analyze-wav-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a plain WAV described from its header', () => {
  it('says exactly what ffprobe says (rate, channels, duration to its 6 decimals), for integer and float PCM, plain and extensible headers', async () => {
    const cases: Array<[string, number, number, number]> = [
      ['pcm_s16le', 44100, 2, 1323001],
      ['pcm_s24le', 48000, 1, 48001],
      ['pcm_s32le', 22050, 2, 12345],
      ['pcm_f32le', 16000, 1, 160007],
      ['pcm_f64le', 8000, 1, 77],
      ['pcm_u8', 11025, 1, 33333],
      ['pcm_s16le', 96000, 6, 96011],
      ['pcm_s24le', 44100, 2, 3],
    ];
    for (const [codec, rate, channels, samples] of cases) {
      const file = wav(`${codec}-${rate}-${channels}-${samples}.wav`, codec, rate, channels, samples);
      const fromHeader = await plainWavAudio(file);
      expect(fromHeader, file).toBeDefined();
      expect(fromHeader, file).toEqual(await media.describeAudio(file));
    }
  }, 60_000);

  it('anything else is left to ffprobe: another format, a cut file, a data chunk that ends mid-frame, an unknown encoding, a missing file', async () => {
    const whole = readFileSync(wav('whole.wav', 'pcm_s16le', 16000, 2, 16000));
    writeFileSync(f('cut.wav'), whole.subarray(0, whole.length - 1000));
    runSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-c:a', 'libmp3lame', '-y', f('song.mp3')]);
    runSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'sine=d=1', '-c:a', 'pcm_alaw', '-y', f('alaw.wav')]);
    for (const name of ['cut.wav', 'song.mp3', 'alaw.wav', 'missing.wav']) expect(await plainWavAudio(f(name)), name).toBeUndefined();
    // The data chunk's size one byte short of whole frames.
    const odd = Buffer.from(whole);
    const at = odd.indexOf('data', 12, 'latin1');
    odd.writeUInt32LE(odd.readUInt32LE(at + 4) - 1, at + 4);
    expect(parseWavHeader(odd, odd.length, 'odd.wav')).toBeUndefined();
    expect(parseWavHeader(whole, whole.length, 'whole.wav')).toMatchObject({ sampleRate: 16000, channels: 2, durationSec: 1 });
  }, 60_000);

  it('left to ffprobe too: a length whose duration is an exact half at the 7th decimal (ffprobe rounds it to even), a streaming size, a second data chunk, and a named pipe (not waited on)', async () => {
    // 160125 / 16000 = 10.0078125: ffprobe prints 10.007812, toFixed(6) 10.007813.
    const tie = wav('tie.wav', 'pcm_s16le', 16000, 1, 160125);
    expect(await plainWavAudio(tie)).toBeUndefined();
    expect((await media.describeAudio(tie)).durationSec).toBe(10.007812);
    const whole = readFileSync(wav('whole2.wav', 'pcm_u8', 8000, 1, 8001));
    const at = whole.indexOf('data', 12, 'latin1');
    const streaming = Buffer.from(whole);
    streaming.writeUInt32LE(0xffffffff, at + 4);
    expect(parseWavHeader(streaming, 0x1_0000_0100, 'streaming.wav')).toBeUndefined();
    // The same file with a second, shorter data chunk appended (after the pad byte of the odd first one).
    const second = Buffer.alloc(8 + 800);
    second.write('data', 0, 'latin1');
    second.writeUInt32LE(800, 4);
    second.fill(128, 8);
    writeFileSync(f('two-data.wav'), Buffer.concat([whole, whole.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0), second]));
    expect(await plainWavAudio(f('whole2.wav'))).toBeDefined();
    expect(await plainWavAudio(f('two-data.wav'))).toBeUndefined();
    runSync('mkfifo', [f('pipe.wav')]);
    expect(await plainWavAudio(f('pipe.wav'))).toBeUndefined();
  }, 60_000);

  it('s2v analyze of a WAV does not run ffprobe, and prints what it printed with it', async () => {
    const file = wav('song.wav', 'pcm_s16le', 44100, 2, 44100 * 3 + 17);
    const run = async () => {
      let out = '';
      let err = '';
      const code = await analyzeCommand([file], { stdout: (s) => (out += s), stderr: (s) => (err += s) });
      return { code, out, err };
    };
    const withProbe = await run();
    expect(withProbe.code, withProbe.err).toBe(0);
    // An ffprobe that always fails: the analysis never needs it.
    const fake = f('ffprobe');
    writeFileSync(fake, '#!/bin/sh\necho "this ffprobe always fails" >&2\nexit 1\n', { mode: 0o755 });
    const saved = process.env.FFPROBE_PATH;
    process.env.FFPROBE_PATH = fake;
    try {
      const without = await run();
      expect(without.code, without.err).toBe(0);
      expect(without.out).toBe(withProbe.out);
      expect(without.out).toMatch(/^song\.wav: 3\.0 s, 44100 Hz, 2 ch\n/);
    } finally {
      if (saved === undefined) delete process.env.FFPROBE_PATH;
      else process.env.FFPROBE_PATH = saved;
    }
  }, 60_000);
});
