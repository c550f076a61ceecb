// PLACEHOLDER until audio analysis lands.
import type { AudioService, MediaService, InferenceService } from '../engine/index.js';
export function createAudioService(_deps: { media: MediaService; inference: InferenceService }): AudioService {
  return new Proxy({} as AudioService, { get: (_t, p) => () => { throw new Error(`audio.${String(p)} not implemented yet`); } });
}
