/**
 * The whole analysis from one stream of mono 16 kHz PCM: frame envelopes and VAD run
 * chunk by chunk as audio is decoded (bounded memory), then tempo, beats, downbeats,
 * onsets, sections, vocal activity, mouth and the health check run on the small envelopes.
 */
import type { FeaturesValue } from '../engine/types.js';
import type { InferenceService, ModelSession } from '../engine/services/inference.js';
import { S2VError } from '../engine/errors.js';
import { BatchedVad, VAD_FRAME, VAD_MODEL, VAD_SAMPLE_RATE, type VadOptions } from './voice-activity.js';
import { ANALYSIS_SAMPLE_RATE, BLOCK_FRAMES, CHROMA_FRAMES, FRAME_RATE, FrameAnalyzer, SPECTRUM_DIM } from './frame-analyzer.js';
import { estimateTempo } from './tempo.js';
import { chooseBeatLevel } from './metrical-level.js';
import { findDownbeats } from './downbeats.js';
import { pickOnsets } from './onsets.js';
import { findSections } from './sections.js';
import { mouthCurve, speechSpans, vadToCurve } from './vocal.js';
import { healthWarnings } from './health.js';
import { median, percentile, round3 } from './stats.js';

export interface AnalyzeOptions {
  signal?: AbortSignal;
  /** 0..1 progress; needs `expectedSec` to be meaningful while decoding. */
  progress?: (f: number) => void;
  expectedSec?: number;
  /** Run the Silero VAD (default true). Without it `vocal`/`mouth` are zero. */
  vad?: boolean;
  /** Where the VAD's model session comes from (required unless `vad` is false). */
  inference?: InferenceService;
  vadOptions?: VadOptions;
  /** Reported as FeaturesValue.sampleRate (the source's rate); defaults to the analysis rate. */
  sourceSampleRate?: number;
  /** Beat-tracker rigidity (see beats.ts). */
  tightness?: number;
  /**
   * Called once every chunk has been framed, before tempo, beats and the rest: work started here
   * does not compete with the decode and the frame analysis for the second core.
   */
  onDecoded?: () => void;
  /**
   * Called with the `vocal` curve exactly as the result will carry it (and the duration and the
   * speech spans), as soon as it is known: a viseme pass can start on its voiced frames.
   */
  onVocal?: (vocal: number[], durationSec: number, speech: Array<[number, number]>) => void;
}

/** Curves in FeaturesValue, all 0..1 at FRAME_RATE. */
export const CURVE_NAMES = ['rms', 'onset', 'bass', 'lowmid', 'highmid', 'treble', 'mid', 'high', 'brightness', 'percussive', 'harmonic', 'vocal', 'mouth'] as const;

export async function analyzePcmStream(chunks: AsyncIterable<Float32Array>, opts: AnalyzeOptions = {}): Promise<FeaturesValue> {
  const fa = new FrameAnalyzer(opts.expectedSec);
  const vad = opts.vad === false ? undefined : new BatchedVad(vadSession(opts.inference), { segmentFrames: vadSegmentFrames(opts.expectedSec), ...opts.vadOptions, signal: opts.signal });
  const expected = (opts.expectedSec ?? 0) * ANALYSIS_SAMPLE_RATE;
  let seen = 0;
  for await (const chunk of chunks) {
    if (opts.signal?.aborted) throw new S2VError('E121', 'cancelled', { exitCode: 1 });
    fa.push(chunk);
    if (vad) {
      await vad.push(chunk);
      // A turn of the event loop, so that what the model's thread says (the hash of the model it
      // read, its answers) is heard while the audio streams in: with the decode's output already buffered
      // (ffmpeg starts before the CLI loads) the stream hands over chunk after chunk on microtasks
      // alone, and the VAD's rows waited for the end of the decode to go.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    seen += chunk.length;
    if (expected > 0) opts.progress?.(Math.min(0.9, (0.9 * seen) / expected));
  }
  opts.onDecoded?.();
  const env = fa.finish();
  // The VAD's last batch runs on its worker while this thread tracks tempo and beats: one turn
  // of the event loop lets it post that batch before the tracking below takes the thread.
  const vadDone = vad ? vad.finish() : Promise.resolve(new Float32Array(Math.ceil(env.totalSamples / VAD_FRAME)));
  vadDone.catch(() => undefined);
  await new Promise<void>((resolve) => setImmediate(resolve));
  const rate = FRAME_RATE;
  const durationSec = round3(env.totalSamples / ANALYSIS_SAMPLE_RATE);

  const tempo = estimateTempo([env.flux, env.fluxLow], { rate });
  // The tracker at the tempo path's level and at its neighbours; the level whose beats
  // best match the accents (and the tempo prior) wins.
  const { beats: beatFrames, midpoints } = chooseBeatLevel({
    flux: env.flux,
    periodAt: tempo.periodAt,
    bands: [env.bands.bass, env.bands.mid, env.bands.treble],
    rate,
    tightness: opts.tightness ?? 3000,
    fluxHigh: env.fluxHigh,
    chroma: env.chroma,
    spectrum: env.spectrum,
    spectrumDim: SPECTRUM_DIM,
    spectrumFrames: CHROMA_FRAMES,
  });
  const beats = beatFrames.map((f) => round3(f / rate));
  // The tempo is the beat's: a grid reported with its midpoints (the phase fail-safe) is not twice as fast.
  const bpm = ibiTempo(midpoints ? beatFrames.filter((_, i) => i % 2 === 0) : beatFrames, rate) ?? (60 * rate) / tempo.period;

  // What does not depend on the voice activity first: the VAD's last batch is often still running
  // on its worker when the beats are done, and this thread would only wait for it.
  const { downbeats } = findDownbeats({
    beats,
    rate,
    flux: env.flux,
    fluxLow: env.fluxLow,
    fluxHigh: env.fluxHigh,
    chroma: env.chroma,
    spectrum: env.spectrum,
    spectrumDim: SPECTRUM_DIM,
    chromaFrames: CHROMA_FRAMES,
  });
  const onsets = pickOnsets(env.flux, rate).map(round3);
  const sections = snapToBeats(findSections(env.blocks, env.blockDim, BLOCK_FRAMES / rate), downbeats.length >= 2 ? downbeats : beats);

  const brightness = new Float32Array(env.frames);
  const quiet = 1e-4;
  for (let i = 0; i < env.frames; i++) {
    const c = env.centroidHz[i]!;
    // Log-frequency scale from 200 Hz (dull) to 5 kHz (bright); silence counts as dull.
    brightness[i] = env.rms[i]! < quiet || c <= 0 ? 0 : Math.min(1, Math.max(0, Math.log2(c / 200) / Math.log2(5000 / 200)));
  }
  // One shared scale for harmonic/percussive, so a pure tone reads as harmonic, not as 'fully percussive'.
  const hpTop = hpssTop(env.harmonic, env.percussive);
  // Each curve goes straight from its envelope to the rounded, 0..1 list the result carries:
  // no normalised Float32 copy in between (that alone is 37 MB on a 2-hour file).
  const lists = {
    rms: normalizedList(env.rms),
    onset: normalizedList(env.flux),
    bass: normalizedList(env.bands.bass),
    lowmid: normalizedList(env.bands.lowmid),
    highmid: normalizedList(env.bands.highmid),
    treble: normalizedList(env.bands.treble),
    mid: normalizedList(env.bands.mid),
    high: normalizedList(env.bands.high),
    brightness: normalizedList(brightness, 1),
    harmonic: normalizedList(env.harmonic, hpTop),
    percussive: normalizedList(env.percussive, hpTop),
  };

  const probs = await vadDone;
  opts.progress?.(0.92);
  const vocal = vadToCurve(probs, VAD_FRAME / VAD_SAMPLE_RATE, rate, env.frames);
  const vocalList = normalizedList(vocal, 1);
  const speech = speechSpans(vocal, rate);
  opts.onVocal?.(vocalList, durationSec, speech);
  const mouth = mouthCurve(env.bands.vocalBand, vocal, rate);
  const warnings = healthWarnings(env, rate, speech);
  const curves: Record<(typeof CURVE_NAMES)[number], number[]> = { ...lists, vocal: vocalList, mouth: normalizedList(mouth, 1) };
  opts.progress?.(1);
  return {
    kind: 'features',
    durationSec,
    sampleRate: opts.sourceSampleRate ?? ANALYSIS_SAMPLE_RATE,
    tempo: Math.round(bpm * 100) / 100,
    tempoConfidence: Math.round(tempo.confidence * 1000) / 1000,
    beats,
    ...(midpoints ? { beatsWithMidpoints: true as const } : {}),
    downbeats,
    onsets,
    speech,
    sections,
    rate,
    curves,
    warnings,
  };
}

/** Analyse PCM already in memory (tests, generated audio). */
export function analyzePcm(pcm: Float32Array, opts: AnalyzeOptions = {}): Promise<FeaturesValue> {
  async function* chunks() {
    for (let i = 0; i < pcm.length; i += 65536) yield pcm.subarray(i, i + 65536);
  }
  return analyzePcmStream(chunks(), opts);
}

function vadSession(inference: InferenceService | undefined): () => Promise<ModelSession> {
  if (!inference) throw new S2VError('E111', 'vocal activity needs the inference service (the Silero VAD model)', { where: 'audio analysis', hint: 'pass `inference`, or `vad: false`', exitCode: 1 });
  // Queued: the model's rows reach its thread while this one decodes and tracks beats (busy
  // from the end of the decode to the end of beat tracking, ≈ 90 ms on a 30 s clip, it would
  // hear only then that the model had loaded, and the VAD ran after the tracking, not beside it).
  return () => inference.session(VAD_MODEL, undefined, { queue: true });
}

/**
 * Longer VAD segments on longer files: each segment pays 8 warm-up frames, so 64-frame
 * segments spend 12.5 % on warm-up and 160-frame ones 5 %, while a short file still gets
 * enough segments to fill a batch. Capped so one batch stays ≈ 10 MB.
 */
function vadSegmentFrames(expectedSec?: number): number | undefined {
  if (!expectedSec) return undefined;
  const frames = (expectedSec * VAD_SAMPLE_RATE) / VAD_FRAME;
  return Math.min(160, Math.max(64, Math.ceil(frames / 64)));
}

/**
 * Tempo from the beat gaps: the mean of the gaps within 10 % of the median. Beats sit on
 * whole frames, so the median gap alone is quantised (180 BPM would read as 181.8).
 */
function ibiTempo(frames: number[], rate: number): number | undefined {
  if (frames.length < 5) return undefined;
  const ibi = frames.slice(1).map((b, i) => b - frames[i]!);
  const m = median(ibi);
  let sum = 0;
  let n = 0;
  for (const g of ibi) if (Math.abs(g - m) <= 0.1 * m) {
    sum += g;
    n++;
  }
  return n ? (60 * rate * n) / sum : undefined;
}

function hpssTop(h: Float32Array, p: Float32Array): number {
  const both = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) both[i] = Math.max(h[i]!, p[i]!);
  return percentile(both, 0.99);
}

/** Move section boundaries onto the nearest bar/beat within 1 s, so cuts land on the music. */
function snapToBeats(times: number[], grid: number[]): number[] {
  return times.map((t) => {
    let best = t;
    let d = 1;
    for (const g of grid) if (Math.abs(g - t) < d) {
      d = Math.abs(g - t);
      best = g;
    }
    return round3(best);
  });
}

/**
 * `a` scaled by `top` (default: its 99th percentile, so a few peaks don't squash the rest),
 * clipped to 0..1 and rounded to 3 decimals, as the plain array FeaturesValue carries.
 */
function normalizedList(a: Float32Array, top = percentile(a, 0.99)): number[] {
  const out = new Array<number>(a.length);
  const ok = top > 1e-12;
  for (let i = 0; i < a.length; i++) out[i] = ok ? Math.round(Math.min(1, Math.max(0, a[i]! / top)) * 1000) / 1000 : 0;
  return out;
}
