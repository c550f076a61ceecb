/**
 * What the Screenwriter asks an LLM (through ctx.services.llm) and how it reads the answer:
 * a cinematographer's brief that keeps the user's words and never describes timing.
 */
import type { ChatMessage } from '../../src/engine/index.js';

export const SYSTEM_PROMPT =
  'You are a cinematographer writing one prompt for a video model. Rewrite the user idea as a single vivid paragraph (under 80 words). ' +
  'Keep every subject word the user wrote, verbatim. Add shot type, lens, camera movement, lighting, colour grade and atmosphere. ' +
  'Describe only what is seen; never mention music, beats, rhythm or timing. Reply with the prompt only.';

/** The chat for one idea; `mood` is the music's character, e.g. "calm and dark". */
export function sceneMessages(subject: string, mood?: string): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: mood ? `${subject}\n(The music is ${mood}; let the look match it.)` : subject },
  ];
}

/** Some models wrap the answer in quotes or a "Prompt:" label. */
export function cleanAnswer(text: string): string {
  return text.trim().replace(/^(prompt|scene)\s*:\s*/i, '').replace(/^"([\s\S]*)"$/, '$1').trim();
}
