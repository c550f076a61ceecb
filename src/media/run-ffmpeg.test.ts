import { describe, expect, it } from 'vitest';
import { S2VError } from '../engine/index.js';
import { QUIET } from './args.js';
import { ffmpegFailure, runFfmpeg, spawnFfmpeg } from './run-ffmpeg.js';
import { bins, thrown } from '../../test/support/media-testing.js';

describe('ffmpegFailure', () => {
  it('maps known stderr to one line naming the file', () => {
    const cases: Array<[string, string, string]> = [
      ['/m/a.mp3: Invalid data found when processing input', 'E110', 'not a readable media file (invalid data)'],
      ["Stream map '0:a:0' matches no streams.\nTo ignore this, add a trailing '?' to the map.", 'E110', 'has no audio stream'],
      ["Stream map '0:v:0' matches no streams.", 'E110', 'has no video/image stream'],
      ['[mov] moov atom not found\n/m/a.mp3: Invalid data found when processing input', 'E110', 'file is truncated or corrupt (moov atom not found)'],
      ['/m/a.mp3: No such file or directory', 'E108', 'file not found'],
      ['[mp3] Failed to read frame size\n/m/a.mp3: Invalid argument', 'E110', 'not a readable media file (unrecognised or corrupt data)'],
    ];
    for (const [stderr, code, message] of cases) {
      const e = ffmpegFailure(stderr, '/m/a.mp3', 1, null);
      expect({ code: e.code, message: e.message, where: e.where }).toEqual({ code, message, where: '/m/a.mp3' });
    }
  });

  it('otherwise uses the last meaningful stderr line, without the repeated path', () => {
    const e = ffmpegFailure('something\n/m/x.wav: Weird thing happened\nConversion failed!\n', '/m/x.wav', 1, null);
    expect(e.oneLine()).toBe('E110 /m/x.wav: ffmpeg failed: Weird thing happened');
    expect(ffmpegFailure('', undefined, null, 'SIGSEGV').message).toBe('ffmpeg failed (killed by SIGSEGV)');
  });
});

describe('spawnFfmpeg', () => {
  it('collects stdout of a successful run', async () => {
    const { stdout } = await runFfmpeg({ bin: bins().ffmpeg, args: [...QUIET, '-f', 'lavfi', '-i', 'sine=d=0.1:sample_rate=8000', '-f', 's16le', 'pipe:1'] });
    expect(stdout.length).toBe(800 * 2);
  });

  it('an aborted signal kills a running ffmpeg and rejects with E121', async () => {
    const ac = new AbortController();
    // An endless source: only the abort can end it.
    const job = spawnFfmpeg({ bin: bins().ffmpeg, args: [...QUIET, '-f', 'lavfi', '-i', 'sine', '-f', 's16le', 'pipe:1'], signal: ac.signal, stdout: 'stream', file: 'endless' });
    const first = await new Promise<Buffer>((resolve) => job.stdout!.once('data', resolve));
    expect(first.length).toBeGreaterThan(0);
    ac.abort();
    const e = await thrown(job.done);
    expect(e.code).toBe('E121');
  });

  it('does not start when the signal is already aborted', () => {
    const ac = new AbortController();
    ac.abort();
    expect(() => spawnFfmpeg({ bin: bins().ffmpeg, args: ['-version'], signal: ac.signal })).toThrow(/cancelled/);
  });

  it('stdin writes apply backpressure and a dead ffmpeg surfaces its own error', async () => {
    // Reads 2 frames then exits; later writes must fail with an S2VError, not hang or crash on EPIPE.
    const job = spawnFfmpeg({
      bin: bins().ffmpeg,
      args: [...QUIET, '-f', 'rawvideo', '-pix_fmt', 'gray', '-video_size', '256x256', '-i', 'pipe:0', '-frames:v', '2', '-f', 'null', '-'],
      stdin: true,
    });
    const frame = new Uint8Array(256 * 256);
    let failed: unknown;
    for (let i = 0; i < 200 && !failed; i++) await job.write(frame).catch((e) => (failed = e));
    expect(failed).toBeInstanceOf(S2VError);
    await job.done;
  });

  it('a missing binary is E122', async () => {
    const job = spawnFfmpeg({ bin: '/nonexistent/ffmpeg', args: [] });
    expect((await thrown(job.done)).code).toBe('E122');
  });

  it('kill() ends the process', async () => {
    const job = spawnFfmpeg({ bin: bins().ffmpeg, args: [...QUIET, '-re', '-f', 'lavfi', '-i', 'sine', '-f', 'null', '-'] });
    job.kill();
    // `done` settles on 'close', i.e. only once the process has exited.
    expect((await thrown(job.done)).code).toBe('E121');
  });
});
