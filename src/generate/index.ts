/**
 * Generators that make material from text, offline and deterministic:
 *
 *   music/          prompt → procedural music (parser, arranger, synth voices, mixer, master)
 *   speech/         text → speech through the OS engine (say / espeak-ng)
 *   screenwriter/   short idea → cinematic scene prompt (built-in expander, optional LLM)
 *   random.ts       seeded PRNG shared by all of them
 */
export { renderMusic, interleave, MAX_MUSIC_SEC, type MusicRender, type MusicRenderOptions } from './music/render.js';
export { parseMusicPrompt, type MusicSpec } from './music/prompt.js';
export { integratedLoudness } from './music/loudness.js';
export { synthesizeSpeech, findTtsEngine } from './speech/tts.js';
export { peaksFromPcm } from './peaks.js';
