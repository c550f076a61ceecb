/** Shape of the audio analysis service (implemented in src/audio). */
import type { AudioValue, FeaturesValue } from '../types.js';

export interface AudioService {
  /**
   * Full analysis of an audio value: beats, onsets, bands, HPSS, vocal activity, mouth, sections.
   * With `visemes`, it also keeps the audio it decoded for a `visemes` call on the features it
   * returns (one decode, not two) and, given the `fps` that call will use (default: the curve
   * rate), starts classifying the voice as soon as it knows where the voice is. Only that
   * call, once, on that same AudioValue, uses what it kept; the result is the same either way.
   */
  analyze(audio: AudioValue, opts: { signal?: AbortSignal; progress?: (f: number) => void; visemes?: { fps?: number } }): Promise<FeaturesValue>;
  /**
   * Curves resampled to video frame times t_i = i / fps, i < frames (exactly aligned),
   * plus per-frame beat/downbeat/onset impulses.
   */
  curvesAtFps(features: FeaturesValue, fps: number, frames: number): Record<string, Float32Array>;
  /**
   * Mouth shapes per video frame (Oculus visemes, see src/audio/visemes.ts) from the voice in
   * `audio`, gated by the features' vocal activity and scaled by their mouth curve.
   * `pitch: false` leaves out the voice pitch (a caller that never shows it saves its cost).
   */
  /**
   * Start loading the models an analysis will run, so their worker threads boot on another core
   * while the audio decodes. Resolves once they are starting (not loaded) and never rejects: a
   * model that cannot load fails the call that uses it. It changes nothing else: optional, and
   * `analyze` without it gives the same result, only later.
   */
  prepare?(): Promise<void>;
  visemes?(audio: AudioValue, features: FeaturesValue, fps: number, frames: number, opts?: { signal?: AbortSignal; pitch?: boolean }): Promise<VisemeFrames>;
}

/** Visemes at the video frame rate: weights [frames × names] (rows sum to 1) and the mouth movement they imply (0..1 each). */
export interface VisemeFrames {
  names: readonly string[];
  weights: Float32Array;
  jaw: Float32Array;
  round: Float32Array;
  spread: Float32Array;
  press: Float32Array;
  tuck: Float32Array;
  /** Voice pitch per frame in semitones above (+) or below (−) the speaker's median; 0 where unvoiced. */
  pitch?: Float32Array;
}
