/**
 * The audio service the nodes reach through ctx.services.audio: one streamed decode of a
 * mono 16 kHz mixdown through the media service, then the analysis in analyze.ts.
 */
import type { AudioService, AudioValue, FeaturesValue, InferenceService, MediaService } from '../engine/index.js';
import { analyzePcmStream, type AnalyzeOptions } from './analyze.js';
import { curvesAtFps, resample } from './frames.js';
import { ANALYSIS_SAMPLE_RATE, FRAME_RATE } from './frame-analyzer.js';
import { FloatTrack } from './growable.js';
import { VISEMES, classifyVisemes, shapeVisemes } from './visemes.js';
import { cutGrid, voiceReaches, voicedFromWhole, voicedVisemeWeights, type Classify } from './voiced-visemes.js';
import { round3 } from './stats.js';
import { VisemeThread } from './viseme-thread.js';
import { BILABIAL_MODEL, bilabialAtFps, bilabialProbability } from './bilabial.js';
import { pitchHz, pitchSemitones } from './pitch.js';
import { speechFrames } from './speech-frames.js';
import { VAD_MODEL } from './voice-activity.js';

/** Speech spans end 0.15 s before the VAD lets go (vocal.ts); the pitch track reaches a little past both ends. */
const PITCH_PAD_SEC = 0.1;

export interface AudioServiceOptions {
  media: MediaService;
  /**
   * Runs the Silero VAD (model `silero-vad`) and the bilabial detector for visemes (model
   * `bilabial`; without it headaudio alone decides when the lips shut). May be left out only
   * with `defaults: { vad: false }`.
   */
  inference?: InferenceService;
  /** Defaults for every analysis (e.g. `vad: false` in fast tests). */
  defaults?: Pick<AnalyzeOptions, 'vad' | 'tightness'>;
  /** Runs the viseme classifier (default: its own worker thread, viseme-thread.ts; tests count its calls). */
  visemeClassifier?: Pick<VisemeThread, 'classify'> & Partial<Pick<VisemeThread, 'start'>>;
  /** The classifier where it runs on the calling thread (default classifyVisemes; tests count its calls). */
  classifyHere?: Classify;
  /** Longest audio, seconds, an analysis keeps decoded for the viseme pass after it (default 600; tests lower it). */
  keepPcmMaxSec?: number;
}

/**
 * Longest audio whose decoded PCM an analysis keeps for the viseme pass (10 min = 38 MB): a
 * longer file is decoded again, so the analysis of a long file keeps its bounded memory. Counted
 * on the samples as they are decoded, not on the probed duration (a header may under-report).
 */
const KEEP_PCM_MAX_SEC = 600;

/** What an analysis asked to keep for the viseme pass on its features: its PCM, and the classification it started. */
interface Kept {
  audio: AudioValue;
  pcm: Float32Array;
  early?: EarlyClassification;
}

/**
 * The classifier's pass over the whole file at `fps`, started by the analysis: frames [0, split)
 * on the classifier's thread from the end of the decode, a few seconds at a time, frames
 * [split, frames) on the calling thread by the viseme pass (which otherwise waits for the
 * thread). Each part is cut as voiced-visemes.ts cuts a run, so each frame gets exactly the
 * weights one pass gives. Once the voice is known (`needed`), parts no voiced run reaches are
 * left out: the viseme pass keeps weights only on voiced runs (voicedFromWhole), and their
 * frames stay 'sil' here.
 */
interface EarlyClassification {
  fps: number;
  frames: number;
  split: number;
  /** [frames × 15]: the thread's parts as they arrive. */
  whole: Float32Array;
  /** The thread's parts, all done (or left out). */
  first: Promise<void>;
  /** Whether any voiced run reaches frames [a, b); undefined until the voice is known. */
  needed?: (a: number, b: number) => boolean;
}

/** Seconds of audio per classifier call on the thread: the parts after the voice is known can be left out. */
const THREAD_PART_SEC = 6;

/** Share of the whole-file classification the thread does (the rest waits for the analysis to end, then runs on its thread). */
const THREAD_SHARE = 0.65;

/** 1 on frames [a, b), 0 elsewhere: voicedVisemeWeights then classifies exactly those frames. */
function span(frames: number, a: number, b: number): Float32Array {
  const m = new Float32Array(frames);
  m.fill(1, a, b);
  return m;
}

export function createAudioService(deps: AudioServiceOptions): AudioService {
  // Per analysis that asked for visemes (analyze's `visemes` option), keyed by the features it
  // returned: the viseme pass on those features reuses its decode and its classification. Nothing
  // is shared between analyses, and an analysis that fails (or a cache hit, which runs none)
  // leaves nothing behind for another.
  const kept = new WeakMap<FeaturesValue, Kept>();
  const keepMaxSamples = Math.ceil((deps.keepPcmMaxSec ?? KEEP_PCM_MAX_SEC) * ANALYSIS_SAMPLE_RATE);
  const classifier = deps.visemeClassifier ?? new VisemeThread();
  const classify = (part: Float32Array, fps: number, frames: number) => classifier.classify(part, fps, frames);
  const classifyHere = deps.classifyHere ?? classifyVisemes;
  return {
    async analyze(audio, opts) {
      const fps = opts.visemes ? (opts.visemes.fps ?? FRAME_RATE) : undefined;
      const keep = fps !== undefined && audio.durationSec * ANALYSIS_SAMPLE_RATE <= keepMaxSamples ? new KeptPcm(Math.ceil(audio.durationSec * ANALYSIS_SAMPLE_RATE) + 32768, keepMaxSamples) : undefined;
      // The classifier's thread boots while the audio decodes.
      if (keep) classifier.start?.();
      let early: EarlyClassification | undefined;
      // The whole file, from the end of the decode: the voice is known only after the VAD, and
      // until then the thread would be waiting (voicedFromWhole keeps exactly the voiced frames'
      // weights). The frames a caller asks for (s2v analyze): ceil(duration · fps), the duration
      // as the result carries it; another count, and the viseme pass classifies then instead.
      const onDecoded = () => {
        const pcm = keep?.pcm();
        if (!pcm || fps === undefined) return;
        const frames = Math.max(1, Math.ceil(round3(pcm.length / ANALYSIS_SAMPLE_RATE) * fps));
        const grid = cutGrid(fps);
        const split = grid === undefined ? frames : Math.min(frames, Math.round((frames * THREAD_SHARE) / grid) * grid);
        const e: EarlyClassification = { fps, frames, split, whole: new Float32Array(0), first: Promise.resolve() };
        e.first = grid === undefined ? classifier.classify(pcm, fps, frames).then((w) => void (e.whole = w)) : classifyParts(e, pcm, grid, classify);
        e.first.catch(() => undefined);
        early = e;
      };
      const onVocal = (vocal: number[], _sec: number, speech: Array<[number, number]>) => {
        // The bilabial detector runs only inside speech spans (see visemes()): known now, its model
        // loads while the analysis ends.
        if (keep && speech.length) deps.inference?.preload?.(...BILABIAL_MODEL).catch(() => undefined);
        // The voice at the frames the viseme pass will use (curvesAtFps' vocal): the thread's parts
        // it does not reach are left out from here on.
        if (early) early.needed = voiceReaches(resample(vocal, FRAME_RATE, early.fps, early.frames), early.fps, early.frames);
      };
      // The analysis copies each chunk before it asks for the next (into the frame analysis and the
      // VAD's buffers); only a pass that keeps the audio (keep) needs each in an array of its own.
      const decoded = deps.media.decodeAudioStream(audio.path, { sampleRate: ANALYSIS_SAMPLE_RATE, chunkSamples: 32768, signal: opts.signal, reuse: !keep });
      const features = await analyzePcmStream(keep ? keep.from(decoded) : decoded, {
        ...deps.defaults,
        inference: deps.inference,
        signal: opts.signal,
        progress: opts.progress,
        expectedSec: audio.durationSec,
        sourceSampleRate: audio.sampleRate,
        onDecoded,
        onVocal,
      });
      const pcm = keep?.pcm();
      if (pcm) kept.set(features, { audio, pcm, early });
      return features;
    },
    async prepare() {
      const inference = deps.inference;
      if (!inference?.preload || deps.defaults?.vad === false) return;
      // A model that cannot be opened is reported where the analysis awaits it, not here.
      await inference.preload(VAD_MODEL).catch(() => undefined);
    },
    curvesAtFps,
    async visemes(audio, features, fps, frames, opts) {
      const curves = curvesAtFps(features, fps, frames);
      const vocal = curves.vocal!;
      const mine = kept.get(features);
      kept.delete(features);
      const ahead = mine?.audio === audio ? mine : undefined;
      const pcm = ahead?.pcm ?? (await deps.media.decodeAudio(audio.path, { sampleRate: ANALYSIS_SAMPLE_RATE, channels: 1, signal: opts?.signal }));
      // The classifier runs on its thread, only where there is voice (elsewhere every frame is
      // 'sil': voiced-visemes.ts), while this thread works out the bilabial detector's features;
      // what the analysis started covers the whole file, this thread classifying the rest of it.
      const e = ahead?.early;
      const started = e && e.fps === fps && e.frames === frames ? e : undefined;
      const classifying = started ? wholeFromEarly(started, pcm, vocal, classifyHere).then((w) => voicedFromWhole(w, fps, frames, vocal)) : voicedVisemeWeights(pcm, fps, frames, vocal, classify);
      classifying.catch(() => undefined);
      // A closure shows only inside a speech span (closure-gate.ts): with none, the detector
      // could change no frame, and is not run.
      const closing = deps.inference && features.speech.length > 0 ? bilabialProbability(pcm, deps.inference, opts?.signal) : undefined;
      closing?.catch(() => undefined);
      const weights = await classifying;
      const bilabial = closing ? bilabialAtFps(await closing, fps, frames) : undefined;
      const track = shapeVisemes(weights, fps, frames, { vocal, mouth: curves.mouth, bilabial, speech: features.speech });
      if (opts?.pitch === false) return track;
      // Intonation moves the head only while someone speaks; a sax or a synth lead is not a voice.
      return { ...track, pitch: pitchSemitones(pitchHz(pcm, fps, frames, speechFrames(features.speech, fps, frames, PITCH_PAD_SEC))) };
    },
  };
}

/** Frames [0, e.split) on the classifier's thread, THREAD_PART_SEC at a time, each part only while a voiced run may reach it. */
async function classifyParts(e: EarlyClassification, pcm: Float32Array, grid: number, classify: Classify): Promise<void> {
  const K = VISEMES.length;
  e.whole = new Float32Array(e.frames * K);
  for (let i = 0; i < e.frames; i++) e.whole[i * K] = 1;
  const step = Math.max(grid, Math.round((THREAD_PART_SEC * e.fps) / grid) * grid);
  for (let a = 0; a < e.split; a += step) {
    const b = Math.min(e.split, a + step);
    if (e.needed && !e.needed(a, b)) continue;
    const w = await voicedVisemeWeights(pcm, e.fps, e.frames, span(e.frames, a, b), classify);
    e.whole.set(w.subarray(a * K, b * K), a * K);
  }
}

/**
 * The whole-file weights on every frame a voiced run of `vocal` reaches: the thread's parts and,
 * classified here meanwhile, the rest (left out when no voiced run reaches it).
 */
async function wholeFromEarly(e: EarlyClassification, pcm: Float32Array, vocal: Float32Array, classifyHere: Classify): Promise<Float32Array> {
  const K = VISEMES.length;
  e.needed = voiceReaches(vocal, e.fps, e.frames);
  const rest = e.split < e.frames && e.needed(e.split, e.frames) ? await voicedVisemeWeights(pcm, e.fps, e.frames, span(e.frames, e.split, e.frames), classifyHere) : undefined;
  await e.first;
  if (rest) e.whole.set(rest.subarray(e.split * K), e.split * K);
  return e.whole;
}

/**
 * Decoded PCM kept while it streams past, up to `max` samples: past that (a file longer than its
 * header said) it is dropped at once, and the viseme pass decodes again.
 */
class KeptPcm {
  private track?: FloatTrack;
  constructor(
    expected: number,
    private readonly max: number,
  ) {
    this.track = new FloatTrack(Math.min(expected, max));
  }

  /** The chunks, each also kept. */
  async *from(chunks: AsyncIterable<Float32Array>): AsyncGenerator<Float32Array> {
    for await (const c of chunks) {
      if (this.track && this.track.length + c.length > this.max) this.track = undefined;
      this.track?.append(c);
      yield c;
    }
  }

  /** Everything decoded, or undefined when it was too long to keep. */
  pcm(): Float32Array | undefined {
    return this.track?.toArray();
  }
}

