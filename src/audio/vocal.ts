/**
 * From VAD probabilities to speech spans and the `mouth` curve: vocal-band loudness gated
 * by voice activity, with a fast attack and slower release so a mouth opens on each
 * syllable and closes naturally instead of flickering.
 */
import { attackRelease, percentile, round3 } from './stats.js';

/** VAD frame probabilities (frameSec apart, frame j covering [j, j+1)·frameSec) → curve at `rate`. */
export function vadToCurve(probs: Float32Array, frameSec: number, rate: number, frames: number): Float32Array {
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    const x = i / rate / frameSec - 0.5;
    const j = Math.floor(x);
    const f = x - j;
    const a = probs[Math.max(0, Math.min(probs.length - 1, j))] ?? 0;
    const b = probs[Math.max(0, Math.min(probs.length - 1, j + 1))] ?? 0;
    out[i] = a * (1 - f) + b * f;
  }
  return out;
}

/** How the voice curve becomes speech spans (defaults in speechSpans). */
export interface SpanOptions {
  /** Hysteresis: a span starts at `on` and ends below `off`. */
  on?: number;
  off?: number;
  /** Spans shorter than this are dropped. */
  minSpeechSec?: number;
  /** Gaps up to this long are bridged. */
  maxGapSec?: number;
  /** Silero answers late: a span starts this much earlier than the curve crosses `on`… */
  leadSec?: number;
  /** …and ends this much before it falls below `off` (its recurrent state lingers after the voice stops). */
  releaseSec?: number;
  /** A span shorter than `shortSec` is kept only if the curve's mean over its voiced parts reaches `shortMean`. */
  shortSec?: number;
  shortMean?: number;
}

/**
 * Hysteresis on the voice curve; short gaps are bridged, blips dropped, edges moved to where
 * the voice is. The defaults were tuned on the dev half of the beat corpus with six espeak
 * voices laid over it as loud as the music and 6 dB under it (test/bench/vad-music-bench.ts),
 * Silero hearing the audio without its held notes at 16 kHz (voice-activity.ts): Silero
 * reaches 0.5 about 0.1 s into a word (leadSec) and its state lingers past the last one
 * (releaseSec); it lets single words of a sentence fall low (maxGapSec 0.4, and a wide
 * hysteresis: a span starts at 0.6 and lasts until 0.25 — once the held-note remover also
 * took out steady partials, starting at 0.6 instead of 0.7 kept 96.9 % of a voice as loud as
 * the music instead of 96.7 % and 86.0 % of one 6 dB under it instead of 83.7 %, for 0.49 %
 * of the music around it flagged instead of 0.37 % (before that pass, 0.7 flagged 1.6 %);
 * 0.5 kept 97.1 / 87.5 % but let a calliope lead through, 6.8 % of it alone); and
 * music's blips are short and unsure — up to 1.5 s at a mean under 0.7 where a spoken
 * phrase's is 0.7–0.98 (shortSec, shortMean; a stricter rule also dropped "Yes, of course.").
 */
export function speechSpans(vocal: Float32Array, rate: number, opts: SpanOptions = {}): Array<[number, number]> {
  const on = opts.on ?? 0.6;
  const off = opts.off ?? 0.25;
  const spans: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i < vocal.length; i++) {
    const v = vocal[i]!;
    if (start < 0 && v >= on) start = i;
    else if (start >= 0 && v < off) {
      spans.push([start / rate, i / rate]);
      start = -1;
    }
  }
  if (start >= 0) spans.push([start / rate, vocal.length / rate]);
  const maxGap = opts.maxGapSec ?? 0.4;
  // Each span with the sum and count of the curve over its voiced parts (not the gaps bridged).
  const merged: Array<[number, number, number, number]> = [];
  for (const [a, b] of spans) {
    let sum = 0;
    for (let i = Math.round(a * rate); i < Math.round(b * rate); i++) sum += vocal[i]!;
    const n = Math.round(b * rate) - Math.round(a * rate);
    const last = merged[merged.length - 1];
    if (last && a - last[1] <= maxGap) {
      last[1] = b;
      last[2] += sum;
      last[3] += n;
    } else merged.push([a, b, sum, n]);
  }
  // Music trips the VAD in blips of 0.15–0.3 s (a horn's attack, a vocal-like synth note);
  // a spoken word with its hangover lasts longer.
  const minLen = opts.minSpeechSec ?? 0.3;
  const lead = opts.leadSec ?? 0.1;
  const release = opts.releaseSec ?? 0.15;
  const shortSec = opts.shortSec ?? 1.5;
  const shortMean = opts.shortMean ?? 0.7;
  return merged
    .filter(([a, b, sum, n]) => b - a >= minLen && (b - a >= shortSec || sum / Math.max(1, n) >= shortMean))
    .map(([a, b]) => [round3(Math.max(0, a - lead)), round3(Math.max(a + minLen, b - release))]);
}

export function mouthCurve(vocalBand: Float32Array, vocal: Float32Array, rate: number): Float32Array {
  const n = vocalBand.length;
  // Loudness reference from voiced frames only, so music between phrases doesn't set the scale.
  const voiced: number[] = [];
  for (let i = 0; i < n; i++) if (vocal[i]! >= 0.5) voiced.push(vocalBand[i]!);
  const ref = voiced.length > 10 ? percentile(voiced, 0.95) : percentile(vocalBand, 0.99);
  const raw = new Float32Array(n);
  if (!(ref > 1e-9)) return raw;
  for (let i = 0; i < n; i++) {
    const gate = Math.min(1, Math.max(0, (vocal[i]! - 0.2) / 0.5));
    // sqrt: loudness is roughly perceived as amplitude^0.5; keeps quiet syllables visible.
    raw[i] = gate * Math.min(1, Math.sqrt(Math.min(1, vocalBand[i]! / ref)));
  }
  return attackRelease(raw, rate, 0.02, 0.08);
}
