/**
 * Port types and the values that flow along edges. Values are plain JSON so that
 * they can be cached on disk; file-backed values carry absolute paths.
 */
export const PORT_TYPES = ['image', 'audio', 'features', 'text', 'video', 'number'] as const;
export type PortType = (typeof PORT_TYPES)[number];

/** Colours the studio uses for ports; data, so the engine owns them. */
export const PORT_COLORS: Record<PortType, string> = {
  image: '#4fa3ff',
  audio: '#3ddc97',
  features: '#ffb547',
  text: '#d38cff',
  video: '#ff6b6b',
  number: '#c0c0c0',
};

export interface ImageValue {
  kind: 'image';
  /** The picked file (original bytes; decoding happens where pixels are needed). */
  path: string;
  width: number;
  height: number;
  /** EXIF orientation already accounted for in width/height. */
  orientation?: number;
}

export interface AudioValue {
  kind: 'audio';
  /** A file ffmpeg can read; used both for analysis and for muxing. */
  path: string;
  durationSec: number;
  sampleRate: number;
  channels: number;
  /** Exact beat grid when the producer knows it (e.g. generated music), seconds. */
  beats?: number[];
  /** Human label (file name or generator prompt). */
  label?: string;
  /** Waveform overview for the studio: min/max of each bucket (mono mixdown). */
  peaks?: { bucketsPerSec: number; min: number[]; max: number[] };
}

/** Audio analysis result. Curves are sampled at `rate` Hz starting at t=0. */
export interface FeaturesValue {
  kind: 'features';
  durationSec: number;
  sampleRate: number;
  tempo: number;
  tempoConfidence: number;
  beats: number[];
  /**
   * Set when `beats` holds each beat and the point halfway to the next: the tracker could not
   * tell the beats from the "ands", so both are listed (either reading is half right) and the
   * list is twice as dense as `tempo`, which is the beat's.
   */
  beatsWithMidpoints?: true;
  downbeats: number[];
  onsets: number[];
  /** [start, end] seconds of detected vocal activity. */
  speech: Array<[number, number]>;
  /** Section boundaries (novelty peaks), seconds. */
  sections: number[];
  /** Curve sample rate in Hz (e.g. 100). */
  rate: number;
  curves: Record<string, number[]>;
  warnings: string[];
}

export interface VideoValue {
  kind: 'video';
  path: string;
  width: number;
  height: number;
  fps: number;
  frames: number;
  durationSec: number;
  /** Browser/desktop-playable preview (WebM VP9/Opus) beside the mp4, when rendered. */
  previewPath?: string;
  /** How well motion follows the audio, when measured. */
  sync?: { onsetCorrelation: number; beatAlignment: number };
  label?: string;
}

export type PortValue = ImageValue | AudioValue | FeaturesValue | VideoValue | string | number;

export interface PortValueByType {
  image: ImageValue;
  audio: AudioValue;
  features: FeaturesValue;
  text: string;
  video: VideoValue;
  number: number;
}

/** Whether an output of type `from` may feed an input of type `to`. */
export function portsCompatible(from: PortType, to: PortType): boolean {
  return from === to;
}
