/**
 * The services a node reaches through `ctx.services`. The engine only knows their
 * shapes; src/runtime wires the real implementations (media, audio, inference, speech, llm) and
 * tests hand in fakes. Each service's interface lives in its own file here.
 */
import type { MediaService } from './media.js';
import type { AudioService } from './audio.js';
import type { InferenceService } from './inference.js';
import type { BackendService } from './video-backend.js';
import type { SpeechService } from './speech.js';
import type { LlmService } from './llm.js';

export interface FileService {
  /** sha256 of a file's bytes (memoised by path+size+mtime). Throws E108 naming the file. */
  hashFile(path: string): Promise<string>;
}

export interface Services {
  files: FileService;
  media: MediaService;
  audio: AudioService;
  inference: InferenceService;
  /** Remote video backends (ComfyUI, Sogni); absent where a front door wires none. */
  backends?: BackendService;
  /** Text to speech with the machine's own engine (say / espeak-ng). */
  speech: SpeechService;
  /** Chat completions from an OpenAI-compatible server the graph names. */
  llm: LlmService;
}

export type { MediaService, AudioService, InferenceService, BackendService, SpeechService, LlmService };
