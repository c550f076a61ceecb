/**
 * Where the performer's lips may shut for a bilabial. The detector (bilabial.ts) was trained on
 * speech alone; under music it hears closures in kicks and bass notes — on the demo beat alone
 * 80 % of frames (382 of 480). A closure is allowed only
 *  - inside the VAD's speech spans, when they are given, gaps under 0.6 s joined (music-only
 *    stretches keep the mouth as in silence), and
 *  - within ±125 ms of a frame the viseme track itself calls voiced (headaudio's classifier,
 *    gated by the VAD curve, says something other than silence): a p/b/m always sits next to a
 *    vowel, so a closure with no voice on either side is not one.
 */
import { speechFrames } from './speech-frames.js';

/** Reach of the "voice nearby" test: a stop closure lasts 50–120 ms, so its vowels are this close. */
const NEAR_SEC = 0.125;

/** Non-silence weight that counts as voice: Silero dips to 0.3 inside words it is unsure of. */
const VOICED = 0.25;
/** Spans this close are one utterance: Silero loses the voice for up to ~0.6 s mid-sentence ("Papa made a map"). */
const JOIN_SEC = 0.6;

function joinGaps(spans: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [a, b] of spans) {
    const last = out[out.length - 1];
    if (last && a - last[1] <= JOIN_SEC) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/**
 * 1 where a closure may show. `gated`: viseme weights [frames × K] after the VAD gate, column 0
 * silence. `speech`: the analysis' speech spans in seconds (undefined: no span limit).
 */
export function closureGate(gated: Float32Array, K: number, fps: number, frames: number, speech?: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const inSpeech = speech ? speechFrames(joinGaps(speech), fps, frames) : new Uint8Array(frames).fill(1);
  const near = Math.max(1, Math.round(NEAR_SEC * fps));
  const voiced = Uint8Array.from({ length: frames }, (_, i) => (1 - gated[i * K]! >= VOICED ? 1 : 0));
  const out = new Uint8Array(frames);
  // Sliding count of voiced frames within ±near.
  let count = 0;
  for (let i = 0; i < Math.min(frames, near); i++) count += voiced[i]!;
  for (let i = 0; i < frames; i++) {
    if (i + near < frames) count += voiced[i + near]!;
    if (i - near - 1 >= 0) count -= voiced[i - near - 1]!;
    out[i] = inSpeech[i]! && count > 0 ? 1 : 0;
  }
  return out;
}
