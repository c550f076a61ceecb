/**
 * What `s2v analyze` needs to know about a plain PCM WAV file before decoding it (its length,
 * sample rate and channels), read from the header instead of from ffprobe. ffprobe took 55–65 ms
 * of a 0.65–0.70 s `s2v analyze` of a 30 s WAV, all of it on the command's critical path (the
 * decode waits for it), against < 1 ms here. The answer is the one describeAudio gives (ffprobe
 * reads the same fields: the stream's duration is its samples over its rate, printed to 6
 * decimals); anything but a plain, whole, uncompressed RIFF WAVE file gives undefined, and the
 * caller asks ffprobe as before. The audio itself is still decoded by ffmpeg.
 */
import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import type { AudioValue } from '../engine/index.js';

const PCM = 1;
const FLOAT = 3;
const EXTENSIBLE = 0xfffe;
/** Bytes read for the header: a WAV whose data chunk starts later (long metadata) goes to ffprobe. */
const HEAD_BYTES = 4096;
/** Bytes after the data chunk looked through for a second one (metadata); more goes to ffprobe. */
const TAIL_BYTES = 65536;

/** The AudioValue describeAudio would give for `file`, when it is a plain PCM WAV; otherwise undefined. */
export async function plainWavAudio(file: string): Promise<AudioValue | undefined> {
  let fh: fs.FileHandle;
  try {
    // Non-blocking: opening a named pipe must not wait for a writer (describeAudio then refuses it).
    fh = await fs.open(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size < 44) return undefined;
    const head = Buffer.alloc(Math.min(st.size, HEAD_BYTES));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const audio = parseWavHeader(head.subarray(0, bytesRead), st.size, file);
    if (!audio) return undefined;
    // ffmpeg takes the last 'data' chunk of a file that has two: what follows the first must hold none.
    const after = dataEnd(head.subarray(0, bytesRead));
    if (after === undefined || st.size - after > TAIL_BYTES) return undefined;
    const tail = Buffer.alloc(st.size - after);
    const read = await fh.read(tail, 0, tail.length, after);
    return hasDataChunk(tail.subarray(0, read.bytesRead)) ? undefined : audio;
  } catch {
    return undefined;
  } finally {
    await fh.close();
  }
}

/** Header `b` (the file's first bytes) of a file of `fileSize` bytes → its AudioValue, or undefined if not plain. */
export function parseWavHeader(b: Buffer, fileSize: number, file: string): AudioValue | undefined {
  if (b.length < 12 || b.toString('latin1', 0, 4) !== 'RIFF' || b.toString('latin1', 8, 12) !== 'WAVE') return undefined;
  let fmt: { rate: number; channels: number; blockAlign: number } | undefined;
  for (let pos = 12; pos + 8 <= b.length; ) {
    const id = b.toString('latin1', pos, pos + 4);
    const size = b.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      if (fmt || size < 16 || body + size > b.length) return undefined;
      fmt = readFormat(b, body, size);
      if (!fmt) return undefined;
    } else if (id === 'data') {
      // A data chunk that runs past the end (a cut file, or a stream's 0 / 0xFFFFFFFF size) or
      // ends mid-frame: ffprobe estimates those, so it is asked.
      if (!fmt || size === 0 || size === 0xffffffff || body + size > fileSize || size % fmt.blockAlign !== 0) return undefined;
      const samples = size / fmt.blockAlign;
      // ffprobe's duration: the samples times the time base 1/rate, as a double, printed with C's
      // %f — which rounds the double's exact value, an exact half to even, where toFixed rounds
      // a half up. A double that is exactly such a half (its full expansion: 6 decimals, then 5)
      // is left to ffprobe.
      const seconds = samples * (1 / fmt.rate);
      if (/^\d+\.\d{6}50*$/.test(seconds.toFixed(60))) return undefined;
      return { kind: 'audio', path: file, durationSec: Number(seconds.toFixed(6)), sampleRate: fmt.rate, channels: fmt.channels };
    }
    pos = body + size + (size & 1);
  }
  return undefined;
}

/** A 'fmt ' chunk of integer PCM (8–32 bit) or float (32/64 bit), plain or WAVE_FORMAT_EXTENSIBLE; undefined otherwise. */
function readFormat(b: Buffer, at: number, size: number): { rate: number; channels: number; blockAlign: number } | undefined {
  let tag = b.readUInt16LE(at);
  const channels = b.readUInt16LE(at + 2);
  const rate = b.readUInt32LE(at + 4);
  const blockAlign = b.readUInt16LE(at + 12);
  const bits = b.readUInt16LE(at + 14);
  if (tag === EXTENSIBLE) {
    // cbSize 22: valid bits, channel mask, then the sub-format GUID whose first two bytes are the tag.
    if (size < 40 || b.readUInt16LE(at + 16) < 22 || b.readUInt16LE(at + 18) !== bits) return undefined;
    if (b.toString('hex', at + 26, at + 40) !== '000000001000800000aa00389b71') return undefined;
    tag = b.readUInt16LE(at + 24);
  }
  const ok = (tag === PCM && [8, 16, 24, 32].includes(bits)) || (tag === FLOAT && (bits === 32 || bits === 64));
  if (!ok || channels < 1 || channels > 8 || rate < 1000 || rate > 384000 || blockAlign !== (channels * bits) / 8) return undefined;
  return { rate, channels, blockAlign };
}

/** Where the first 'data' chunk of header `b` ends (with its pad byte); undefined if none is in `b`. */
function dataEnd(b: Buffer): number | undefined {
  for (let pos = 12; pos + 8 <= b.length; ) {
    const size = b.readUInt32LE(pos + 4);
    if (b.toString('latin1', pos, pos + 4) === 'data') return pos + 8 + size + (size & 1);
    pos += 8 + size + (size & 1);
  }
  return undefined;
}

/** Whether the chunks in `b` (the bytes after the data chunk) include another 'data' chunk. */
function hasDataChunk(b: Buffer): boolean {
  for (let pos = 0; pos + 8 <= b.length; ) {
    if (b.toString('latin1', pos, pos + 4) === 'data') return true;
    const size = b.readUInt32LE(pos + 4);
    pos += 8 + size + (size & 1);
  }
  return false;
}
