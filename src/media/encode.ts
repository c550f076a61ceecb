/**
 * Streams RGB24 frames into ffmpeg's stdin and produces an H.264/AAC mp4 (and optionally a
 * VP9/Opus WebM preview in the same pass). Frames are never buffered here: `write` resolves
 * when ffmpeg's pipe has room, so memory stays flat however long the video is. Output goes
 * to temp files beside the destination and is renamed into place only on `finish()`.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { S2VError, cancelledError } from '../engine/errors.js';
import type { VideoEncoder, VideoEncoderOptions } from '../engine/index.js';
import { encodeOnlyArgs, encodeVideoArgs } from './args.js';
import { assertReadable, assertWritableDir, commit, discard, tempPathFor } from './atomic.js';
import type { GetBinaries } from './probe.js';
import { runFfmpeg, spawnFfmpeg } from './run-ffmpeg.js';

function validate(o: VideoEncoderOptions): void {
  const where = o.outPath;
  if (!Number.isInteger(o.width) || !Number.isInteger(o.height) || o.width < 2 || o.height < 2 || o.width % 2 || o.height % 2) {
    throw new S2VError('E110', `video size ${o.width}×${o.height} must be even integers (H.264 yuv420p)`, { where, hint: 'round width/height to even numbers' });
  }
  if (!(o.fps > 0 && o.fps <= 240)) throw new S2VError('E106', `fps ${o.fps} is out of range`, { where });
  if (!Number.isInteger(o.frames) || o.frames < 1) throw new S2VError('E106', `frame count must be a positive integer (got ${o.frames})`, { where });
  if (o.audioStartSec !== undefined && !(o.audioStartSec >= 0)) throw new S2VError('E106', `audioStartSec must be ≥ 0`, { where });
}

export async function encodeVideo(bins: GetBinaries, o: VideoEncoderOptions): Promise<VideoEncoder> {
  validate(o);
  if (o.signal?.aborted) throw cancelledError(o.outPath);
  if (o.audioPath) await assertReadable(o.audioPath);
  await assertWritableDir(o.outPath);
  if (o.previewPath) await assertWritableDir(o.previewPath);
  const temp = tempPathFor(o.outPath);
  const previewTemp = o.previewPath ? tempPathFor(o.previewPath) : undefined;
  const job = spawnFfmpeg({
    bin: bins().ffmpeg,
    args: encodeVideoArgs({ ...o, output: temp, previewOutput: previewTemp }),
    signal: o.signal,
    file: o.audioPath ?? o.outPath,
    stdin: true,
  });
  const frameBytes = o.width * o.height * 3;
  let written = 0;
  let state: 'open' | 'finishing' | 'done' | 'aborted' = 'open';

  // A cancelled signal kills ffmpeg (in spawnFfmpeg); the partial files must go too. Later
  // calls await this so that "cancelled" is only reported once nothing is left on disk.
  let cleanup: Promise<void> | undefined;
  const cleanUp = () => (cleanup ??= job.done.then(() => {}, () => {}).then(() => discard(temp, previewTemp)));
  const onAbort = () => {
    state = 'aborted';
    void cleanUp();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  // ffmpeg failing on its own (bad audio, disk full) also leaves partial files behind.
  job.done.catch(() => cleanUp());

  const abort = async () => {
    if (state === 'done') return;
    state = 'aborted';
    o.signal?.removeEventListener('abort', onAbort);
    job.kill();
    await cleanUp();
  };
  const cancelled = async () => {
    await cleanUp();
    return cancelledError(o.outPath);
  };

  return {
    async write(frame) {
      if (state === 'aborted' || o.signal?.aborted) throw await cancelled();
      if (state !== 'open') throw new S2VError('E120', 'write after finish()', { where: o.outPath, exitCode: 1 });
      if (frame.byteLength !== frameBytes) {
        await abort();
        throw new S2VError('E120', `frame ${written} has ${frame.byteLength} bytes, expected ${frameBytes} (${o.width}×${o.height} RGB24)`, { where: o.outPath, exitCode: 1 });
      }
      if (written >= o.frames) {
        await abort();
        throw new S2VError('E120', `more than the declared ${o.frames} frames written`, { where: o.outPath, exitCode: 1 });
      }
      written++;
      try {
        await job.write(frame);
      } catch (e) {
        await abort();
        throw e;
      }
    },
    async finish() {
      if (state === 'aborted' || o.signal?.aborted) throw await cancelled();
      if (state !== 'open') return;
      if (written !== o.frames) {
        await abort();
        throw new S2VError('E120', `only ${written} of ${o.frames} frames were written`, { where: o.outPath, exitCode: 1 });
      }
      state = 'finishing';
      job.endInput();
      try {
        await job.done;
      } catch (e) {
        await abort();
        throw e;
      }
      o.signal?.removeEventListener('abort', onAbort);
      if (previewTemp && o.previewPath) await commit(previewTemp, o.previewPath).catch(async (e) => { await discard(temp); throw e; });
      await commit(temp, o.outPath);
      state = 'done';
    },
    abort,
  };
}

/**
 * Baseline for the bench: ffmpeg alone encoding `frames` synthetic frames (lavfi testsrc2,
 * no stdin) with the same encoder settings as encodeVideo. Returns wall seconds. Writes to
 * `outPath` if given, otherwise to a temp file that is deleted afterwards.
 */
export async function ffmpegEncodeOnly(
  bins: GetBinaries,
  o: { width: number; height: number; fps: number; frames: number; outPath?: string; signal?: AbortSignal },
): Promise<{ seconds: number; outPath?: string }> {
  const dir = o.outPath ? undefined : await fs.mkdtemp(path.join(os.tmpdir(), 's2v-encode-only-'));
  const output = o.outPath ?? path.join(dir!, 'encode-only.mp4');
  const t0 = performance.now();
  try {
    await runFfmpeg({ bin: bins().ffmpeg, args: encodeOnlyArgs({ ...o, output }), signal: o.signal, stdout: 'ignore' });
    return { seconds: (performance.now() - t0) / 1000, ...(o.outPath ? { outPath: o.outPath } : {}) };
  } finally {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  }
}
