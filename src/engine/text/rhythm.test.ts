/** The one set of rhythm-wording rules the Prompt node, the studio's prompt widget and the Screenwriter use. */
import { describe, expect, it } from 'vitest';
import { describesRhythm, rewriteRhythm } from './rhythm.js';

describe('describesRhythm (the Prompt node and the prompt widget warn on it)', () => {
  it.each(['dancing to the beat', 'in sync with the drums', 'a city at 120 BPM', 'she spins, then pauses', 'walks with the music'])('"%s" describes timing', (text) => {
    expect(describesRhythm(text)).toBe(true);
  });

  it.each(['a neon-lit city at night, rain, cinematic', 'a beat-up truck on a dusty road', 'the rhythm section of a jazz band on stage'])('"%s" describes the scene', (text) => {
    expect(describesRhythm(text)).toBe(false);
  });
});

describe('rewriteRhythm (the Screenwriter rewrites toward the scene)', () => {
  it('flags each timing phrase as written and keeps every other word', () => {
    const r = rewriteRhythm('a dancer moves to the beat, then pauses, in sync with the music, flashing on every kick');
    expect(r.flagged).toEqual(['moves to the beat', 'then pauses', 'in sync with the music', 'on every kick']);
    expect(r.text).toBe('a dancer moves, then holds still, flashing');
  });

  it('drops tempo figures and beat drops, tidying the commas left behind', () => {
    expect(rewriteRhythm('waves crash at 120 bpm').text).toBe('waves crash');
    expect(rewriteRhythm('a rave, bass drop, lasers').text).toBe('a rave, lasers');
  });

  it('leaves a scene description untouched', () => {
    expect(rewriteRhythm('a quiet forest')).toEqual({ text: 'a quiet forest', flagged: [] });
  });
});
