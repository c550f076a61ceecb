/**
 * Test-only helpers: a tiny 16-bit WAV writer (so generator tests do not depend on the
 * media layer) and a runner for aubio's beat tracker, the external tempo reference.
 */
import { writeFile, rename } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Write interleaved float PCM as 16-bit PCM WAV (temp file + rename). */
export async function writeWav16(path: string, pcm: Float32Array, sampleRate: number, channels: number): Promise<void> {
  const data = Buffer.alloc(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) {
    const v = Math.max(-1, Math.min(1, pcm[i]!));
    data.writeInt16LE(Math.round(v * 32767), i * 2);
  }
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, Buffer.concat([h, data]));
  await rename(tmp, path);
}

/** Beat times from `aubio beat`, seconds. */
export async function aubioBeats(path: string): Promise<number[]> {
  const { stdout } = await run('aubio', ['beat', '-i', path], { maxBuffer: 1 << 22 });
  return stdout
    .split(/\s+/)
    .map(Number)
    .filter((x) => Number.isFinite(x) && x > 0);
}

/**
 * Tempo from beat times: 60 / mean of the inter-beat intervals within ±10 % of the median.
 * aubio's tracker works in whole 512-sample hops (~1 % of a period at 120 bpm) and corrects
 * with an occasional longer interval, so the median alone is biased but the mean of the
 * regular intervals is not; re-phasing jumps (outliers) are left out.
 */
export function tempoFromBeats(beats: number[]): number {
  const d = beats.slice(1).map((b, i) => b - beats[i]!);
  if (d.length < 2) return NaN;
  const sorted = [...d].sort((x, y) => x - y);
  const median = sorted[sorted.length >> 1]!;
  const regular = d.filter((x) => x > median * 0.9 && x < median * 1.1);
  return 60 / (regular.reduce((a, b) => a + b, 0) / regular.length);
}
