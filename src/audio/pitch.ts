/**
 * Voice pitch per video frame, for head motion that follows intonation (a rising pitch lifts
 * the chin). A normalised autocorrelation of 40 ms of 8 kHz audio at each frame's time,
 * 70–400 Hz: a frame is voiced when the best lag correlates ≥ 0.6 with itself and it is not
 * much quieter than the speech level. Output: semitones above (+) or below (−) the track's
 * median voiced pitch, 0 where unvoiced — speaker-independent, so a low and a high voice move
 * the head alike.
 */
const RATE = 8000;
const WIN = 320; // 40 ms: nearly three periods of the lowest voice (70 Hz)
const MIN_LAG = Math.floor(RATE / 400);
const MAX_LAG = Math.ceil(RATE / 70);

/**
 * Pitch in Hz at each video frame's time (frame i shows i / fps), 0 = unvoiced, from mono 16 kHz PCM.
 * `only`: frames to measure (e.g. speech-frames.ts over the VAD's spans); the others read 0. The
 * autocorrelation is nearly all of the cost, and every frame's energy is still taken, so a
 * measured frame reads exactly what a pass over the whole file gives.
 */
export function pitchHz(pcm16k: Float32Array, fps: number, frames: number, only?: Uint8Array): Float32Array {
  const n = Math.floor(pcm16k.length / 2);
  const x = new Float32Array(n);
  // 2:1 decimation with a short low-pass (voice pitch and its first harmonics are far below 4 kHz).
  for (let i = 0; i < n; i++) x[i] = 0.25 * (pcm16k[2 * i - 1] ?? 0) + 0.5 * pcm16k[2 * i]! + 0.25 * (pcm16k[2 * i + 1] ?? 0);
  const hz = new Float32Array(frames);
  const energy = new Float32Array(frames);
  const r = new Float64Array(MAX_LAG + 1);
  for (let f = 0; f < frames; f++) {
    const o = Math.round((f / fps) * RATE) - WIN / 2;
    if (o < 0 || o + WIN + MAX_LAG > n) continue;
    let e0 = 0;
    for (let i = 0; i < WIN; i++) e0 += x[o + i]! * x[o + i]!;
    energy[f] = e0;
    if (e0 < 1e-6 || (only && !only[f])) continue;
    let best = 0;
    for (let lag = MIN_LAG; lag <= MAX_LAG; lag++) {
      let c = 0, e1 = 0;
      for (let i = 0; i < WIN; i++) {
        const b = x[o + i + lag]!;
        c += x[o + i]! * b;
        e1 += b * b;
      }
      r[lag] = c / Math.sqrt(e0 * e1 + 1e-12);
      best = Math.max(best, r[lag]!);
    }
    if (best < 0.6) continue;
    // The first peak nearly as high as the best: two periods correlate as well as one, and
    // taking the longer lag would read the voice an octave low.
    for (let lag = MIN_LAG + 1; lag < MAX_LAG; lag++) {
      if (r[lag]! >= 0.9 * best && r[lag]! >= r[lag - 1]! && r[lag]! >= r[lag + 1]!) {
        hz[f] = RATE / lag;
        break;
      }
    }
  }
  // Quiet frames are breath and reverb tails, not intonation.
  const loud = Float32Array.from(energy).sort()[Math.floor(frames * 0.95)] ?? 0;
  for (let f = 0; f < frames; f++) if (energy[f]! < loud * 0.01) hz[f] = 0;
  return hz;
}

/** Semitones relative to the median voiced pitch (0 where unvoiced), octave slips folded back, clipped to ±8. */
export function pitchSemitones(hz: Float32Array): Float32Array {
  const voiced = Array.from(hz).filter((v) => v > 0).sort((a, b) => a - b);
  const out = new Float32Array(hz.length);
  if (voiced.length === 0) return out;
  const median = voiced[voiced.length >> 1]!;
  for (let i = 0; i < hz.length; i++) {
    if (!(hz[i]! > 0)) continue;
    let st = 12 * Math.log2(hz[i]! / median);
    // A jump of about an octave is the tracker picking a harmonic or a sub-harmonic.
    if (st > 9) st -= 12;
    if (st < -9) st += 12;
    out[i] = Math.max(-8, Math.min(8, st));
  }
  return out;
}
