/**
 * Stand-ins for the speech and LLM services that record what a node asked and answer as told,
 * for fast tests of a node's wiring (no espeak-ng, no HTTP server). The real services have
 * their own tests (src/speech, src/backends/llm) and the node tests run them end to end.
 */
import type { ChatRequest, ChatResult, LlmService, SpeechRequest, SpeechService, TtsEngine } from '../../src/engine/index.js';

export interface RecordingSpeech extends SpeechService {
  requests: SpeechRequest[];
}

/** Speaks nothing: records each request and reports `durationSec` (or throws `error`). */
export function recordingSpeech(opts: { durationSec?: number; error?: Error } = {}): RecordingSpeech {
  const requests: SpeechRequest[] = [];
  const engine: TtsEngine = { name: 'espeak-ng', bin: '/fake/espeak-ng' };
  return {
    requests,
    engine: async () => engine,
    async speak(req) {
      requests.push(req);
      if (opts.error) throw opts.error;
      return { durationSec: opts.durationSec ?? 1.5, engine: engine.name };
    },
  };
}

export interface ScriptedLlm extends LlmService {
  requests: ChatRequest[];
}

/** Answers each chat with the next of `answers` (the last one repeats); a function may throw (e.g. a cancel). */
export function scriptedLlm(...answers: Array<ChatResult | ((req: ChatRequest) => ChatResult)>): ScriptedLlm {
  const requests: ChatRequest[] = [];
  return {
    requests,
    async chat(req) {
      requests.push(req);
      const next = answers[Math.min(requests.length, answers.length) - 1]!;
      return typeof next === 'function' ? next(req) : next;
    },
  };
}
