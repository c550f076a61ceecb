/**
 * Words that describe timing rather than the scene. The audio already drives the timing,
 * so the prompt widget nudges the user to describe what the video looks like instead.
 * Mirrors the Prompt node's own warning so the hint shows while typing, before a run.
 */
const RHYTHM_WORDS = /\b(to|on|with) the (beat|rhythm|music|tempo)\b|\bin (sync|time) with\b|\b(bpm|beats? per minute)\b|\bthen (pauses?|stops?)\b/i;

export function describesRhythm(text: string): boolean {
  return RHYTHM_WORDS.test(text);
}
