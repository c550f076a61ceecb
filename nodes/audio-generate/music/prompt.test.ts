/** Reading music prompts: tempo, genre (longest match), key/mode, moods, instruments, defaults. */
import { describe, expect, it } from 'vitest';
import { findKey, findTempo, parseMusicPrompt } from './prompt.js';
import { GENRES } from './genres.js';

describe('parseMusicPrompt', () => {
  it('reads "lo-fi hip hop 84 bpm, warm and dusty" as lo-fi (not hip-hop) at 84 with swing and dust', () => {
    const s = parseMusicPrompt('lo-fi hip hop 84 bpm, warm and dusty', 0);
    expect(s.genre.id).toBe('lofi');
    expect(s.tempo).toBe(84);
    expect(s.tempoFromPrompt).toBe(true);
    expect(s.swing).toBeGreaterThan(0.1);
    expect(s.moods).toEqual(expect.arrayContaining(['warm', 'dusty']));
    expect(s.dusty && s.warm).toBe(true);
  });

  it.each([
    ['techno', 'techno'],
    ['deep house groove', 'house'],
    ['drum and bass roller', 'dnb'],
    ['boom bap hip-hop', 'hiphop'],
    ['epic cinematic trailer', 'cinematic'],
    ['smoky jazz club', 'jazz'],
    ['dark trap beat', 'trap'],
    ['calm ambient textures', 'ambient'],
    ['garage rock', 'rock'],
  ])('"%s" → %s', (prompt, id) => {
    expect(parseMusicPrompt(prompt, 0).genre.id).toBe(id);
  });

  it('falls back to the genre tempo range when the prompt has no tempo', () => {
    for (const g of GENRES) {
      for (const seed of [0, 1, 2]) {
        const s = parseMusicPrompt(g.words[0]!, seed);
        expect(s.tempo).toBeGreaterThanOrEqual(g.tempo[0]);
        expect(s.tempo).toBeLessThanOrEqual(g.tempo[1]);
        expect(s.tempoFromPrompt).toBe(false);
      }
    }
  });

  it('reads keys and modes', () => {
    expect(findKey('techno in D minor')).toEqual({ key: 2, mode: 'minor' });
    expect(findKey('F# major pop')).toEqual({ key: 6, mode: 'major' });
    expect(findKey('ballad in Bb')).toEqual({ key: 10, mode: undefined });
    expect(findKey('house in Am')).toEqual({ key: 9, mode: 'minor' });
    expect(findKey('e-flat dorian groove')).toEqual({ key: 3, mode: 'dorian' });
    expect(findKey('a walk in Amsterdam')).toBeUndefined();
    const s = parseMusicPrompt('uplifting house in D minor', 0);
    expect(s.key).toBe(2);
    expect(s.mode).toBe('minor'); // explicit key beats the mood's major
    expect(parseMusicPrompt('uplifting house', 0).mode).toBe('major');
  });

  it('reads tempos in several spellings and clamps silly ones', () => {
    expect(findTempo('92 bpm')).toBe(92);
    expect(findTempo('92bpm')).toBe(92);
    expect(findTempo('tempo 128')).toBe(128);
    expect(findTempo('170 beats per minute')).toBe(170);
    expect(findTempo('999 bpm')).toBe(220);
    expect(findTempo('in 1999')).toBeUndefined();
  });

  it('reads instruments and "no drums"', () => {
    const s = parseMusicPrompt('ambient with piano and bells, no drums', 0);
    expect(s.chords).toBe('keys');
    expect(s.lead).toBe('bell');
    expect(s.drums).toBe(false);
    expect(s.instruments).toEqual(expect.arrayContaining(['piano', 'bells']));
  });
});
