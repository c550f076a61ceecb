/** Shape of the audio analysis service (implemented in src/audio). */
import type { AudioValue, FeaturesValue } from '../types.js';

export interface AudioService {
  /** Full analysis of an audio value: beats, onsets, bands, HPSS, vocal activity, mouth, sections. */
  analyze(audio: AudioValue, opts: { signal?: AbortSignal; progress?: (f: number) => void }): Promise<FeaturesValue>;
  /**
   * Curves resampled to video frame times t_i = i / fps, i < frames (exactly aligned),
   * plus per-frame beat/downbeat/onset impulses.
   */
  curvesAtFps(features: FeaturesValue, fps: number, frames: number): Record<string, Float32Array>;
}
