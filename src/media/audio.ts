/** Audio I/O through ffmpeg: decode to float PCM (whole or streamed), write WAV, trim. */
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { S2VError } from '../engine/errors.js';
import { decodeAudioArgs, trimAudioArgs, sec, type TrimAudioArgs } from './args.js';
import { assertReadable, assertWritableDir, commit, discard, tempPathFor, writeFileAtomic } from './atomic.js';
import { probeMedia, type GetBinaries } from './probe.js';
import { adoptFfmpeg, runFfmpeg, spawnFfmpeg } from './run-ffmpeg.js';
import { takeEarlyDecode } from './early-decode.js';

export interface DecodeAudioOptions {
  sampleRate: number;
  channels?: number;
  startSec?: number;
  durationSec?: number;
  signal?: AbortSignal;
}

function checkRate(sampleRate: number, where: string): void {
  if (!Number.isInteger(sampleRate) || sampleRate < 1000 || sampleRate > 384000) {
    throw new S2VError('E106', `sample rate ${sampleRate} is out of range (1000–384000 Hz)`, { where });
  }
}

function noSamples(path: string, startSec?: number): S2VError {
  return startSec
    ? new S2VError('E110', `no audio after ${sec(startSec)} s (the file is shorter)`, { where: path })
    : new S2VError('E110', 'contains no audio samples (zero length)', { where: path });
}

/** Copy little-endian float bytes into a fresh (aligned) Float32Array. */
function toFloat32(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(Math.floor(bytes.length / 4));
  new Uint8Array(out.buffer).set(bytes.subarray(0, out.length * 4));
  return out;
}

export async function decodeAudio(bins: GetBinaries, path: string, o: DecodeAudioOptions): Promise<Float32Array> {
  checkRate(o.sampleRate, path);
  await assertReadable(path);
  const { stdout } = await runFfmpeg({
    bin: bins().ffmpeg,
    args: decodeAudioArgs({ input: path, sampleRate: o.sampleRate, channels: o.channels, startSec: o.startSec, durationSec: o.durationSec }),
    signal: o.signal,
    file: path,
  });
  if (stdout.length < 4) throw noSamples(path, o.startSec);
  return toFloat32(stdout);
}

/**
 * Mono PCM in chunks of exactly `chunkSamples` (the last may be shorter). Memory stays
 * bounded: ffmpeg's stdout is only read when the consumer asks for the next chunk, so a
 * slow consumer stalls ffmpeg instead of filling RAM. Breaking out of the loop kills ffmpeg.
 * `reuse`: every chunk is the same array, refilled when the next is asked for — for a consumer
 * done with each chunk by then (the analysis copies it): no fresh memory per chunk.
 */
export async function* decodeAudioStream(
  bins: GetBinaries,
  path: string,
  o: { sampleRate: number; chunkSamples?: number; signal?: AbortSignal; reuse?: boolean },
): AsyncGenerator<Float32Array> {
  checkRate(o.sampleRate, path);
  const chunkSamples = o.chunkSamples ?? 65536;
  if (!Number.isInteger(chunkSamples) || chunkSamples < 1) throw new S2VError('E106', `chunkSamples must be a positive integer`, { where: path });
  await assertReadable(path);
  const bin = bins().ffmpeg;
  const args = decodeAudioArgs({ input: path, sampleRate: o.sampleRate, channels: 1 });
  // `s2v analyze` may have started this very decode before the CLI loaded (early-decode.ts).
  const early = takeEarlyDecode(bin, args);
  const job = early ? adoptFfmpeg(early, { bin, args, signal: o.signal, file: path, stdout: 'stream' }) : spawnFfmpeg({ bin, args, signal: o.signal, file: path, stdout: 'stream' });
  const chunkBytes = chunkSamples * 4;
  let chunk = new Float32Array(chunkSamples);
  let bytes = new Uint8Array(chunk.buffer);
  let fill = 0;
  let total = 0;
  let finished = false;
  try {
    for await (const data of job.stdout as Readable & AsyncIterable<Buffer>) {
      let off = 0;
      while (off < data.length) {
        const n = Math.min(chunkBytes - fill, data.length - off);
        bytes.set(data.subarray(off, off + n), fill);
        fill += n;
        off += n;
        if (fill === chunkBytes) {
          total += chunkSamples;
          yield chunk;
          if (!o.reuse) {
            chunk = new Float32Array(chunkSamples);
            bytes = new Uint8Array(chunk.buffer);
          }
          fill = 0;
        }
      }
    }
    await job.done;
    finished = true;
    const rest = Math.floor(fill / 4);
    if (rest > 0) {
      total += rest;
      yield chunk.slice(0, rest);
    }
    if (total === 0) throw noSamples(path);
  } finally {
    // Consumer stopped early (break/throw): don't leave ffmpeg blocked on a full pipe.
    if (!finished) job.kill();
  }
}

/**
 * Float PCM → 16-bit PCM WAV, atomically. Samples are clipped to [-1, 1]. `pcm` is interleaved,
 * or planar (one array per channel): planar audio is written in 1 MB pieces, so a 10-minute
 * generated track never needs an interleaved copy or a whole-file buffer in memory.
 */
export async function writeWav(path: string, pcm: Float32Array | readonly Float32Array[], sampleRate: number, channels: number): Promise<void> {
  if (!Number.isInteger(channels) || channels < 1) throw new S2VError('E106', `channels must be ≥ 1 (got ${channels})`, { where: path });
  checkRate(sampleRate, path);
  if (pcm instanceof Float32Array) {
    if (pcm.length % channels !== 0) throw new S2VError('E106', `PCM length ${pcm.length} is not a multiple of ${channels} channels`, { where: path });
    await writeFileAtomic(path, encodeWav(pcm, sampleRate, channels));
    return;
  }
  const frames = pcm[0]?.length ?? 0;
  if (pcm.length !== channels || pcm.some((c) => c.length !== frames)) {
    throw new S2VError('E106', `planar PCM needs ${channels} channels of equal length`, { where: path });
  }
  await assertWritableDir(path);
  const temp = tempPathFor(path);
  const file = await fs.open(temp, 'w').catch((e: NodeJS.ErrnoException) => {
    throw new S2VError('E109', `cannot write file (${e.code ?? 'error'})`, { where: path, exitCode: 1 });
  });
  try {
    await file.write(encodeWav(new Float32Array(0), sampleRate, channels, frames * channels));
    const framesPerPiece = Math.max(1, Math.floor((1 << 20) / (2 * channels)));
    const piece = Buffer.alloc(framesPerPiece * channels * 2);
    for (let from = 0; from < frames; from += framesPerPiece) {
      const n = Math.min(framesPerPiece, frames - from);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < channels; c++) piece.writeInt16LE(toInt16(pcm[c]![from + i]!), 2 * (i * channels + c));
      }
      await file.write(piece, 0, n * channels * 2);
    }
    await file.close();
  } catch (e) {
    await file.close().catch(() => undefined);
    await discard(temp);
    if (e instanceof S2VError) throw e;
    throw new S2VError('E109', `cannot write file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { where: path, exitCode: 1 });
  }
  await commit(temp, path);
}

function toInt16(v: number): number {
  const c = v > 1 ? 1 : v < -1 ? -1 : Number.isNaN(v) ? 0 : v;
  return Math.round(c * 32767);
}

/** Interleaved float PCM → a whole WAV file; with `dataSamples`, just the header for that many samples. */
export function encodeWav(pcm: Float32Array, sampleRate: number, channels: number, dataSamples = pcm.length): Buffer {
  const dataBytes = dataSamples * 2;
  const buf = Buffer.alloc(44 + pcm.length * 2);
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'latin1');
  buf.write('fmt ', 12, 'latin1');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * channels * 2, 28);
  buf.writeUInt16LE(channels * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'latin1');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < pcm.length; i++) buf.writeInt16LE(toInt16(pcm[i]!), 44 + i * 2);
  return buf;
}

export interface TrimAudioOptions extends TrimAudioArgs {
  signal?: AbortSignal;
}

/** Cut a span into a 16-bit WAV (source rate and channels), with optional fades, atomically. */
export async function trimAudio(bins: GetBinaries, o: TrimAudioOptions): Promise<void> {
  if (!(o.durationSec > 0)) throw new S2VError('E106', `trim duration must be > 0 (got ${o.durationSec})`, { where: o.input });
  if (!(o.startSec >= 0)) throw new S2VError('E106', `trim start must be ≥ 0 (got ${o.startSec})`, { where: o.input });
  const probe = await probeMedia(bins, o.input, { signal: o.signal });
  if (!probe.audio) throw new S2VError('E110', 'has no audio stream', { where: o.input });
  const length = probe.audio.durationSec || probe.durationSec;
  if (length <= 0) throw noSamples(o.input);
  if (o.startSec >= length) throw new S2VError('E110', `trim start ${sec(o.startSec)} s is past the end (${sec(length)} s)`, { where: o.input });
  await assertWritableDir(o.output);
  const temp = tempPathFor(o.output);
  try {
    await runFfmpeg({ bin: bins().ffmpeg, args: trimAudioArgs({ ...o, output: temp }), signal: o.signal, file: o.input });
  } catch (e) {
    await discard(temp);
    throw e;
  }
  await commit(temp, o.output);
}
