/**
 * The services the audio analysis runs on: ffmpeg (media), onnxruntime (inference, for the VAD)
 * and the analysis itself. Its own module so that `s2v analyze` can make them without loading
 * what the rest of the runtime brings (the node catalog, remote backends, speech, LLM).
 */
import type { AudioService, MediaService } from '../engine/index.js';
import { createMediaService } from '../media/index.js';
import { createAudioService } from '../audio/index.js';
import { createInferenceService, type InferenceRuntime } from '../inference/index.js';

export interface AnalysisServices {
  media: MediaService;
  inference: InferenceRuntime;
  audio: AudioService;
}

export function createAnalysisServices(opts: { provider?: string; previews?: boolean } = {}): AnalysisServices {
  const media = createMediaService({ previews: opts.previews });
  const inference = createInferenceService({ provider: opts.provider ?? process.env.S2V_PROVIDER });
  return { media, inference, audio: createAudioService({ media, inference }) };
}
