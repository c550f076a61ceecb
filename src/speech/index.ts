/**
 * The speech service nodes reach through `ctx.services.speech`: the operating system's own
 * text-to-speech engine (say / espeak-ng), run through the media layer's process runner.
 */
import type { MediaService, SpeechService } from '../engine/index.js';
import { findTtsEngine, synthesizeSpeech } from './tts.js';

export { findTtsEngine, listVoices, synthesizeSpeech, type SpeechOptions } from './tts.js';

export interface SpeechServiceOptions {
  media: MediaService;
  /** For tests: pretend to be another platform / search another PATH. */
  platform?: NodeJS.Platform;
  pathEnv?: string;
}

export function createSpeechService(opts: SpeechServiceOptions): SpeechService {
  return {
    engine: (where) => findTtsEngine(opts.platform, opts.pathEnv, where),
    speak: (req) => synthesizeSpeech({ ...req, media: opts.media, platform: opts.platform, pathEnv: opts.pathEnv }),
  };
}
