/**
 * The audio service the nodes reach through ctx.services.audio: one streamed decode of a
 * mono 16 kHz mixdown through the media service, then the analysis in analyze.ts.
 */
import type { AudioService, AudioValue, InferenceService, MediaService } from '../engine/index.js';
import { analyzePcmStream, type AnalyzeOptions } from './analyze.js';
import { curvesAtFps, resample } from './frames.js';
import { ANALYSIS_SAMPLE_RATE, FRAME_RATE } from './frame-analyzer.js';
import { FloatTrack } from './growable.js';
import { shapeVisemes } from './visemes.js';
import { voicedFromWhole, voicedVisemeWeights } from './voiced-visemes.js';
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
  visemeClassifier?: Pick<VisemeThread, 'start' | 'classify'>;
}

/**
 * Longest audio whose decoded PCM an analysis keeps for the viseme pass (10 min = 38 MB): a
 * longer file is decoded again, so the analysis of a long file keeps its bounded memory.
 */
const KEEP_PCM_MAX_SEC = 600;

export function createAudioService(deps: AudioServiceOptions): AudioService {
  // After prepare({ visemes }), the next analysis keeps the PCM it decoded for the viseme pass
  // that follows on the same audio: one decode instead of two (the same ffmpeg arguments, so
  // the same samples). The viseme pass holds the whole PCM anyway.
  let keepNext = false;
  let kept: { audio: AudioValue; pcm: Float32Array } | undefined;
  // With an fps to aim at, that viseme pass's classifier starts as soon as the analysis knows
  // where the voice is, and runs on its thread while this one tracks tempo and beats.
  let earlyFps: number | undefined;
  let early: { audio: AudioValue; fps: number; frames: number; vocal: Float32Array; weights: Promise<Float32Array> } | undefined;
  const classifier = deps.visemeClassifier ?? new VisemeThread();
  const classify = (part: Float32Array, fps: number, frames: number) => classifier.classify(part, fps, frames);
  // Booted after the decode, while this thread tracks tempo and beats: during the decode the
  // second core already runs ffmpeg, the VAD's worker and V8's compiler.
  const startVisemeModels = () => {
    classifier.start();
    deps.inference?.preload?.(...BILABIAL_MODEL).catch(() => undefined);
  };
  return {
    async analyze(audio, opts) {
      const keep = keepNext && audio.durationSec <= KEEP_PCM_MAX_SEC ? new FloatTrack(Math.ceil(audio.durationSec * ANALYSIS_SAMPLE_RATE) + 32768) : undefined;
      const fps = earlyFps;
      keepNext = false;
      earlyFps = undefined;
      kept = undefined;
      early = undefined;
      // The frames a caller asks for (s2v analyze): ceil(duration · fps), the duration as the
      // result carries it. Another count, and the viseme pass classifies then instead.
      const framesAt = (f: number) => Math.max(1, Math.ceil(round3(keep!.length / ANALYSIS_SAMPLE_RATE) * f));
      let whole: Promise<Float32Array> | undefined;
      const onDecoded = () => {
        startVisemeModels();
        // The whole file, at once: the voiced runs are known only after the VAD, and until then
        // this thread would be waiting (voicedFromWhole keeps exactly the per-run weights).
        if (fps !== undefined) (whole = classifier.classify(keep!.toArray(), fps, framesAt(fps))).catch(() => undefined);
      };
      const onVocal = (vocalList: number[]) => {
        if (!keep || fps === undefined || !whole) return;
        const frames = framesAt(fps);
        const vocal = resample(vocalList, FRAME_RATE, fps, frames);
        const weights = whole.then((w) => voicedFromWhole(w, fps, frames, vocal));
        weights.catch(() => undefined);
        early = { audio, fps, frames, vocal, weights };
      };
      const decoded = deps.media.decodeAudioStream(audio.path, { sampleRate: ANALYSIS_SAMPLE_RATE, chunkSamples: 32768, signal: opts.signal });
      const features = await analyzePcmStream(keep ? keeping(decoded, keep) : decoded, {
        ...deps.defaults,
        inference: deps.inference,
        signal: opts.signal,
        progress: opts.progress,
        expectedSec: audio.durationSec,
        sourceSampleRate: audio.sampleRate,
        onDecoded: keep ? onDecoded : undefined,
        onVocal,
      });
      if (keep) kept = { audio, pcm: keep.toArray() };
      return features;
    },
    async prepare(what) {
      // The viseme pass's models start once the next analysis has decoded (startVisemeModels).
      keepNext ||= what?.visemes === true;
      if (what?.visemes) earlyFps = what.fps ?? FRAME_RATE;
      const inference = deps.inference;
      if (!inference?.preload || deps.defaults?.vad === false) return;
      // A model that cannot be opened is reported where the analysis awaits it, not here.
      await inference.preload(VAD_MODEL).catch(() => undefined);
    },
    curvesAtFps,
    async visemes(audio, features, fps, frames, opts) {
      const curves = curvesAtFps(features, fps, frames);
      const vocal = curves.vocal!;
      const pcm = kept?.audio === audio ? kept.pcm : await deps.media.decodeAudio(audio.path, { sampleRate: ANALYSIS_SAMPLE_RATE, channels: 1, signal: opts?.signal });
      kept = undefined;
      // The classifier runs on its thread, only where there is voice (elsewhere every frame is
      // 'sil': voiced-visemes.ts), while this thread works out the bilabial detector's features.
      const started = early?.audio === audio && early.fps === fps && early.frames === frames && sameValues(early.vocal, vocal) ? early.weights : undefined;
      early = undefined;
      const classifying = started ?? voicedVisemeWeights(pcm, fps, frames, vocal, classify);
      classifying.catch(() => undefined);
      const closing = deps.inference ? bilabialProbability(pcm, deps.inference, opts?.signal) : undefined;
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

function sameValues(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The chunks, each also appended to `into`. */
async function* keeping(chunks: AsyncIterable<Float32Array>, into: FloatTrack): AsyncGenerator<Float32Array> {
  for await (const c of chunks) {
    into.append(c);
    yield c;
  }
}
