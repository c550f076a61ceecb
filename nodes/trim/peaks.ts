/** Waveform overview (min/max per bucket) from a streamed decode, for the studio's waveform. */
import type { MediaService } from '../../src/engine/index.js';

export async function waveformPeaks(media: MediaService, file: string, opts: { bucketsPerSec?: number; signal?: AbortSignal } = {}): Promise<{ bucketsPerSec: number; min: number[]; max: number[] }> {
  const bucketsPerSec = opts.bucketsPerSec ?? 50;
  const sampleRate = 8000;
  const perBucket = sampleRate / bucketsPerSec;
  const min: number[] = [];
  const max: number[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  let n = 0;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  for await (const chunk of media.decodeAudioStream(file, { sampleRate, signal: opts.signal })) {
    for (let i = 0; i < chunk.length; i++) {
      const v = chunk[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (++n === perBucket) {
        min.push(r(lo));
        max.push(r(hi));
        lo = Infinity;
        hi = -Infinity;
        n = 0;
      }
    }
  }
  if (n > 0) {
    min.push(r(lo));
    max.push(r(hi));
  }
  return { bucketsPerSec, min, max };
}
