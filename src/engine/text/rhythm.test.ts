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

describe('describesRhythm: each timing phrase it knows', () => {
  it.each(['swaying with the rhythm', 'steps on the tempo', 'flashing to the music', 'in time with the drums', 'at 90 beats per minute', 'one beat per minute', 'runs, then stops', 'walks then stop', 'then pause', 'STOMPING TO THE BEAT'])('"%s" describes timing', (text) => {
    expect(describesRhythm(text)).toBe(true);
  });
  it.each(['the beat generation poets', 'ninety bpms of nothing', 'the tempo of the city', 'in sync', 'a pause, then silence'])('"%s" does not', (text) => {
    expect(describesRhythm(text)).toBe(false);
  });
});

describe('rewriteRhythm: every rule, one phrase each, as the Screenwriter rewrites it', () => {
  it.each([
    ['a crowd dancing to the music', 'a crowd dancing', ['dancing to the music']],
    ['lights pulse with the bass', 'lights pulse', ['pulse with the bass']],
    ['she sways on drums', 'she sways', ['sways on drums']],
    ['heads nodding to the tempo', 'heads nodding', ['nodding to the tempo']],
    ['a ball bouncing with the drum', 'a ball bouncing', ['bouncing with the drum']],
    ['a man moves on rhythm', 'a man moves', ['moves on rhythm']],
    ['he runs, then freezes', 'he runs, then holds still', ['then freezes']],
    ['dancers, perfectly in step with the song', 'dancers', ['perfectly in step with the song']],
    ['a drummer in time with the audio on a stage', 'a drummer on a stage', ['in time with the audio']],
    ['strobes synced to the track, smoke', 'strobes, smoke', ['synced to the track']],
    ['flashes with each snare', 'flashes', ['with each snare']],
    ['a light on every downbeat, fog', 'a light, fog', ['on every downbeat']],
    ['clapping to the beat', 'clapping', ['to the beat']],
    ['the city, on the rhythm', 'the city', ['on the rhythm']],
    ['a club at 128 BPM, lasers', 'a club, lasers', ['at 128 BPM']],
    ['a march, 90 beats per minute', 'a march', ['90 beats per minute']],
    ['the crowd jumps, bass drops, confetti', 'the crowd jumps, confetti', ['bass drops']],
    ['fireworks, beat-drop', 'fireworks', ['beat-drop']],
    ['DANCING TO THE BEAT', 'DANCING', ['DANCING TO THE BEAT']],
  ])('"%s" → "%s"', (input, text, flagged) => {
    expect(rewriteRhythm(input)).toEqual({ text, flagged });
  });

  it('tidies what removal leaves: no space before a comma, no doubled commas or spaces, nothing dangling at the ends', () => {
    expect(rewriteRhythm(', rain  , on every kick, , wind ,').text).toBe('rain, wind');
  });
});
