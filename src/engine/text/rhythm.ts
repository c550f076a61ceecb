/**
 * Rhythm wording ("moves to the beat, then pauses", "in sync with the music", "on every
 * kick") describes timing, which the audio already sets. The Prompt node and the studio's
 * prompt widget warn about it (`describesRhythm`); the Screenwriter rewrites it into a
 * description of the scene, keeping every other word the user wrote (`rewriteRhythm`).
 * Pure and free of Node APIs: the studio imports it in the browser.
 */

/** Words that describe timing rather than the scene: enough to warn, while typing or at run time. */
const RHYTHM_WORDS = /\b(to|on|with) the (beat|rhythm|music|tempo)\b|\bin (sync|time) with\b|\b(bpm|beats? per minute)\b|\bthen (pauses?|stops?)\b/i;

export function describesRhythm(text: string): boolean {
  return RHYTHM_WORDS.test(text);
}

interface Rule {
  pattern: RegExp;
  /** What remains in the scene description; '' drops the phrase. */
  replace: string;
}

const RULES: Rule[] = [
  { pattern: /\b(moves?|moving|dances?|dancing|sways?|swaying|pulses?|pulsing|bounces?|bouncing|nods?|nodding)\s+(to|with|on)\s+(the\s+)?(beat|rhythm|music|tempo|bass|drums?)\b/gi, replace: '$1' },
  { pattern: /,?\s*\bthen\s+(pauses?|stops?|freezes?)\b/gi, replace: ', then holds still' },
  { pattern: /,?\s*\b(perfectly\s+)?in\s+(sync|time|step)\s+with\s+(the\s+)?(beat|rhythm|music|song|track|tempo|audio|sound)\b/gi, replace: '' },
  { pattern: /,?\s*\bsynced\s+to\s+(the\s+)?(beat|rhythm|music|song|track|audio)\b/gi, replace: '' },
  { pattern: /,?\s*\b(on|with)\s+(every|each)\s+(kick|beat|snare|drum|bar|hit|downbeat|note)s?\b/gi, replace: '' },
  { pattern: /,?\s*\b(to|on|with)\s+the\s+(beat|rhythm|tempo)\b/gi, replace: '' },
  { pattern: /,?\s*\bat\s+\d{2,3}\s*bpm\b/gi, replace: '' },
  { pattern: /,?\s*\b\d{2,3}\s*(bpm|beats per minute)\b/gi, replace: '' },
  { pattern: /,?\s*\b(beat|bass)[- ]drops?\b/gi, replace: '' },
];

export interface RhythmCheck {
  text: string;
  /** The phrases that were rewritten, as the user wrote them. */
  flagged: string[];
}

export function rewriteRhythm(input: string): RhythmCheck {
  const flagged: string[] = [];
  let text = input;
  for (const rule of RULES) {
    text = text.replace(rule.pattern, (match, ...groups: unknown[]) => {
      flagged.push(match.replace(/^,?\s*/, ''));
      return rule.replace.replace(/\$(\d)/g, (_m, d: string) => String(groups[Number(d) - 1] ?? ''));
    });
  }
  text = text
    .replace(/\s+,/g, ',')
    .replace(/,\s*,/g, ',')
    .replace(/\s{2,}/g, ' ')
    .replace(/^[\s,]+|[\s,]+$/g, '');
  return { text, flagged };
}
