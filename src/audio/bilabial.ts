/**
 * When the lips are shut for p, b or m, heard from the voice: the `bilabial` model (trained in
 * this repo, models/build/bilabial/) over log-mel context every 10 ms, run through the
 * inference service like every model. headaudio's classifier hears only about a third of
 * these closures; this model is what makes the performer's lips meet.
 */
import type { InferenceService } from '../engine/index.js';
import { BILABIAL_DIM, BILABIAL_RATE, logMelFrames, stackContext } from './bilabial-features.js';

/** The detector's model id and file in models/. */
export const BILABIAL_MODEL: [string, string] = ['bilabial', 'bilabial.onnx'];

/** Rows per run: bounds the feature tensor (~10 MB) however long the track. */
const CHUNK = 10_000;

/** Per 10-ms frame: probability (0..1) that the lips are shut for a bilabial. */
export async function bilabialProbability(pcm16k: Float32Array, inference: InferenceService, signal?: AbortSignal): Promise<Float32Array> {
  const mel = logMelFrames(pcm16k);
  const out = new Float32Array(mel.frames);
  if (mel.frames === 0) return out;
  const session = await inference.session(...BILABIAL_MODEL);
  for (let s = 0; s < mel.frames; s += CHUNK) {
    const n = Math.min(CHUNK, mel.frames - s);
    const res = await session.run({ features: { type: 'float32', dims: [n, BILABIAL_DIM], data: stackContext(mel, s, s + n) } }, signal);
    out.set(res.bilabial!.data as Float32Array, s);
  }
  return out;
}

/** Above this the lips are shut. */
export const BILABIAL_SHUT = 0.5;

/**
 * The 10-ms probabilities sampled at each video frame's time (frame i shows time i / fps). A
 * closure shorter than a frame can fall between two samples: then the frame nearest its peak
 * takes the peak, so every closure the model hears shows on at least one frame.
 */
export function bilabialAtFps(prob: Float32Array, fps: number, frames: number): Float32Array {
  const at = (i: number) => Math.min(prob.length - 1, Math.round((i / fps) * BILABIAL_RATE));
  const out = Float32Array.from({ length: frames }, (_, i) => (prob.length ? prob[at(i)]! : 0));
  for (let f = 0; f < prob.length; f++) {
    if (prob[f]! < BILABIAL_SHUT || (f > 0 && prob[f - 1]! >= BILABIAL_SHUT)) continue;
    let end = f, peak = f;
    while (end < prob.length && prob[end]! >= BILABIAL_SHUT) {
      if (prob[end]! > prob[peak]!) peak = end;
      end++;
    }
    let sampled = false;
    for (let i = Math.max(0, Math.floor(((f - 1) / BILABIAL_RATE) * fps)); i < frames && i <= Math.ceil((end / BILABIAL_RATE) * fps); i++) {
      if (at(i) >= f && at(i) < end) sampled = true;
    }
    const nearest = Math.round((peak / BILABIAL_RATE) * fps);
    if (!sampled && nearest < frames) out[nearest] = Math.max(out[nearest]!, prob[peak]!);
    f = end;
  }
  return out;
}
