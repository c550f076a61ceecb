/**
 * Viseme classification only where the voice is. shapeVisemes gates the classifier's weights
 * by the VAD, so a frame whose vocal activity is 0 is 'sil' whatever the classifier says; on
 * music most frames are, and the classifier is most of the cost of `s2v analyze --json`. It
 * runs on each run of voiced frames (runs closer than a second are joined) with audio before
 * it to fill its 512-sample windows. Every cut sits on the classifier's 256-sample hop grid
 * and on a whole video frame, so each frame it scores gets exactly the weights a pass over the
 * whole file gives; where no such cut lies within a few seconds (an fps like 29.97) it runs
 * over the whole file as before.
 */
import { classifyVisemes, VISEMES } from './visemes.js';

const RATE = 16000;
/** headaudio's hop between MFCC windows, samples. */
const HOP = 256;
/** Audio before a run: more than a window (512) plus its resampler's 32 taps. */
const PREROLL = 2048;
/** After a run: the windows of its last frame reach past it. */
const TAIL = 1600;

/** How a pass of the classifier runs (here, or on a thread: viseme-thread.ts). */
export type Classify = (pcm16k: Float32Array, fps: number, frames: number) => Float32Array | Promise<Float32Array>;

/** Raw classifier weights [frames × 15] (rows sum to 1), 'sil' on frames without voice. */
export async function voicedVisemeWeights(pcm16k: Float32Array, fps: number, frames: number, vocal: Float32Array, classify: Classify = classifyVisemes): Promise<Float32Array> {
  const grid = cutGrid(fps);
  if (grid === undefined) return classify(pcm16k, fps, frames);
  const K = VISEMES.length;
  const raw = new Float32Array(frames * K);
  for (let i = 0; i < frames; i++) raw[i * K] = 1;
  const parts: Array<Promise<void>> = [];
  for (const [f0, f1] of voicedRuns(vocal, frames, Math.ceil(fps))) {
    // The latest cut at least PREROLL samples before the run: a whole frame on the hop grid.
    const frameSamples = RATE / fps;
    let k = Math.floor((f0 * frameSamples - PREROLL) / (grid * frameSamples)) * grid;
    k = Math.max(0, k);
    const s0 = Math.round(k * frameSamples);
    const s1 = Math.min(pcm16k.length, Math.ceil(f1 * frameSamples) + TAIL);
    if (s1 <= s0) continue;
    parts.push(Promise.resolve(classify(pcm16k.subarray(s0, s1), fps, f1 - k)).then((part) => raw.set(part.subarray((f0 - k) * K, (f1 - k) * K), f0 * K)));
  }
  await Promise.all(parts);
  return raw;
}

/**
 * What voicedVisemeWeights gives, from a pass over the whole file (`whole`, [frames × 15]):
 * the same weights on the frames of the voiced runs, 'sil' elsewhere (where it has no exact
 * cut, the whole pass as it is). For a caller that classified before the voice was known.
 */
export function voicedFromWhole(whole: Float32Array, fps: number, frames: number, vocal: Float32Array): Float32Array {
  if (cutGrid(fps) === undefined) return whole;
  const K = VISEMES.length;
  const raw = new Float32Array(frames * K);
  for (let i = 0; i < frames; i++) raw[i * K] = 1;
  for (const [f0, f1] of voicedRuns(vocal, frames, Math.ceil(fps))) raw.set(whole.subarray(f0 * K, f1 * K), f0 * K);
  return raw;
}

/**
 * Whether voicedVisemeWeights (and voicedFromWhole) would use any classifier weight of frames
 * [a, b) for this `vocal`: false when no voiced run reaches them, so a caller that classifies
 * ahead of the voice may leave them out. Always true without an exact cut (the whole pass is used).
 */
export function voiceReaches(vocal: Float32Array, fps: number, frames: number): (a: number, b: number) => boolean {
  if (cutGrid(fps) === undefined) return () => true;
  const runs = voicedRuns(vocal, frames, Math.ceil(fps));
  return (a, b) => runs.some(([f0, f1]) => f0 < b && f1 > a);
}

/**
 * Frames between cuts: the smallest g such that g frames are a whole number of hops, so a
 * cut at frame k·g is sample-exact and on the hop grid; undefined when that is over 5 s.
 */
export function cutGrid(fps: number): number | undefined {
  for (let g = 1; g <= 5 * fps; g++) {
    const hops = (g * RATE) / fps / HOP;
    if (Math.abs(hops - Math.round(hops)) < 1e-9) return g;
  }
  return undefined;
}

/** [start, end) frame runs where `vocal` > 0, joined across gaps shorter than `join` frames. */
function voicedRuns(vocal: Float32Array, frames: number, join: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < frames; i++) {
    if (!((vocal[i] ?? 0) > 0)) continue;
    const last = runs[runs.length - 1];
    if (last && i - last[1] < join) last[1] = i + 1;
    else runs.push([i, i + 1]);
  }
  return runs;
}
