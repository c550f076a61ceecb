/** Screenwriter: short idea (+ optional audio character) → cinematic scene prompt. */
export { expandScene, type Expansion, type SceneElements } from './expand.js';
export { rewriteRhythm, type RhythmCheck } from './rhythm.js';
export { audioCharacter, type AudioCharacter } from './character.js';
export { askLlm, completionsUrl, isHttpUrl, SYSTEM_PROMPT, type LlmRequest, type LlmResult } from './llm.js';
