/**
 * The bilabial detector's training speech: seeded word strings spoken by espeak-ng in several
 * voices and speeds, each with its phoneme timings. Held out, never trained on: the default
 * voice "en" (the one the lip-sync tests and most users hear) and every sentence the tests use.
 * Word strings rather than prose: what matters is every consonant next to every vowel, and the
 * words below put p, b and m at the start, middle and end of words among all the other sounds.
 */
import { Rng } from '../../../src/engine/random.js';

const WORDS = (
  'papa mama baby bubble map maple apple open happy upper simple sample temple humble number ' +
  'problem member remember jump lamp camp bump stamp pump plump cup top stop shop drop hope ' +
  'rope soap deep sleep keep cheap lip ship trip whip club rub tub job rob mob web cab grab ' +
  'come some home name game time dream room team arm farm warm palm calm film storm swim ' +
  'me my may more most much must mother moon money music morning mountain market middle ' +
  'be by but been big best better between both book boy bring brown blue black body bread ' +
  'pay put pen pick pull push place plan play please point power people paper party piece ' +
  'even every over never river seven silver heavy voice view visit very value ' +
  'the this that there they then think thing three through throw thank tooth truth with ' +
  'to two ten time today take talk tell tree true table tiny turn ' +
  'do day down door dark dance desk dinner early idea needle ladder ' +
  'go good girl green great give gold garden again bigger ' +
  'can cold cook cake car keep key kind king kitchen ' +
  'so see sun sea say six sister street still sound ' +
  'zoo zero lazy music easy ' +
  'she show shoe short sure wish fish ' +
  'chair cheese church watch teach judge just jam ' +
  'no new night near nice nine know noon ten seen ' +
  'long low light little late look love lily yellow ' +
  'red run read right road rain rose around ' +
  'wet water wood wall walk week window away ' +
  'yes you year young ' +
  'he her high hat hot hand house head hair horse ' +
  'air ear eye oh all old out off on in up at and is it as an or of ' +
  'each eat east ice oil owl own out aunt auto egg end ink'
).split(/\s+/);

/** Voices the detector learns from (espeak-ng voice + variant). */
export const TRAIN_VOICES = [
  'en-us', 'en-us+f2', 'en-gb-scotland+m3', 'en-gb-x-rp+f4', 'en-029', 'en-us-nyc+m7', 'en-gb-x-gbclan+f1', 'en-gb-x-gbcwmd+m2',
] as const;
/** Never trained on: the default voice and two unseen voice/variant pairs. */
export const HELD_OUT_VOICES = ['en', 'en-us+f5', 'en-gb-x-rp+m4'] as const;

/** A seeded uniform [0, 1) stream (the engine's mulberry32): the same corpus on every machine. */
export function seeded(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

/** `n` word strings of 6–12 words, with commas and full stops so the voice pauses as in speech. */
export function trainingSentences(n: number, seed: number): string[] {
  const rnd = seeded(seed);
  return Array.from({ length: n }, () => {
    const len = 6 + Math.floor(rnd() * 7);
    const words = Array.from({ length: len }, () => WORDS[Math.floor(rnd() * WORDS.length)]!);
    const comma = 2 + Math.floor(rnd() * (len - 3));
    return `${words.slice(0, comma).join(' ')}, ${words.slice(comma).join(' ')}.`;
  });
}

/** One utterance of the corpus: which voice, which speed (words per minute), what text. */
export interface Utterance {
  voice: string;
  wpm: number;
  text: string;
}

/** The training utterances: every training voice, speeds 120–200 wpm, `perVoice` strings each. */
export function trainingCorpus(perVoice: number, seed = 1): Utterance[] {
  const rnd = seeded(seed + 17);
  const texts = trainingSentences(perVoice * TRAIN_VOICES.length, seed);
  return texts.map((text, k) => ({ voice: TRAIN_VOICES[k % TRAIN_VOICES.length]!, wpm: 120 + Math.round(rnd() * 80), text }));
}
