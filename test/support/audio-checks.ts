/** What tests read back from rendered audio: its pitch and its level. */

/**
 * Frequency of a steady tone from its rising zero crossings (Hz), over the middle 80 % of
 * the signal (codec priming and fades at the ends add crossings); 0 for silence.
 */
export function toneHz(pcm: Float32Array, sampleRate: number): number {
  let first = -1;
  let last = -1;
  let n = 0;
  for (let i = Math.floor(pcm.length * 0.1) + 1; i < Math.floor(pcm.length * 0.9); i++) {
    if (pcm[i - 1]! < 0 && pcm[i]! >= 0) {
      if (first < 0) first = i;
      last = i;
      n++;
    }
  }
  return n > 1 ? ((n - 1) * sampleRate) / (last - first) : 0;
}

/** RMS level in dBFS (−Infinity for digital silence). */
export function rmsDb(pcm: Float32Array): number {
  let s = 0;
  for (const v of pcm) s += v * v;
  return 10 * Math.log10(s / Math.max(1, pcm.length));
}
