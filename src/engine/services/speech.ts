/** Shape of the speech service (implemented in src/speech with the operating system's TTS engine). */

export interface TtsEngine {
  name: 'say' | 'espeak-ng' | 'espeak';
  /** Absolute path of the program. */
  bin: string;
}

export interface SpeechRequest {
  text: string;
  /** Engine voice ("en-us", "Samantha"); the engine's default when absent. */
  voice?: string;
  /** Final WAV path: stereo 44.1 kHz, written atomically. */
  outPath: string;
  signal?: AbortSignal;
  /** Named in errors, e.g. `node "voice"`. */
  where?: string;
}

export interface SpeechService {
  /** The TTS engine this machine has; throws E122 naming what to install. */
  engine(where?: string): Promise<TtsEngine>;
  /**
   * Speak `text` into `outPath`; resolves with its length. Throws E107 for empty text, E106 for a
   * voice the engine does not know, E122 when no engine is installed, E120 when the engine fails,
   * E121 when cancelled (the engine is killed, nothing is written).
   */
  speak(req: SpeechRequest): Promise<{ durationSec: number; engine: TtsEngine['name'] }>;
}
