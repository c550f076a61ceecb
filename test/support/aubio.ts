/**
 * Test-only: aubio's beat tracker as the outside tempo reference for generated music.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

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
