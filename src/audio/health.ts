/**
 * Health check: problems in the input that would spoil a video, each with a fix the user
 * can apply. Cheap: works on the per-frame envelopes and sample stats only.
 */
import type { FrameEnvelopes } from './frame-analyzer.js';
import { percentile } from './stats.js';
import { ANALYSIS_SAMPLE_RATE } from './frame-analyzer.js';

const db = (x: number) => 20 * Math.log10(Math.max(x, 1e-10));

export function healthWarnings(env: FrameEnvelopes, rate: number, speech: Array<[number, number]>): string[] {
  const w: string[] = [];
  const rms = env.rms;
  const n = rms.length;
  const durationSec = env.totalSamples / ANALYSIS_SAMPLE_RATE;
  const loud = percentile(rms, 0.95);
  if (db(env.peak) < -40 || db(loud) < -50) {
    w.push(`audio is near-silent (peak ${db(env.peak).toFixed(0)} dBFS) — fix: raise the level or normalise it (e.g. ffmpeg -af loudnorm)`);
    return w;
  }
  const clippedPct = (100 * env.clippedSamples) / Math.max(1, env.totalSamples);
  if (clippedPct > 0.05) {
    w.push(`audio is clipped (${clippedPct.toFixed(2)} % of samples at full scale) — fix: use an unclipped source or lower the gain before export`);
  }
  const edge = Math.min(n, 2);
  const startLevel = Math.max(...Array.from(rms.subarray(0, edge)));
  const endLevel = Math.max(...Array.from(rms.subarray(Math.max(0, n - edge))));
  if (startLevel > 0.25 * loud && db(startLevel) > -30) {
    w.push('audio starts abruptly (cut mid-sound) — fix: add a short fade-in (Trim fadeIn 0.05 s)');
  }
  if (endLevel > 0.25 * loud && db(endLevel) > -30) {
    w.push('audio ends abruptly (cut mid-sound) — fix: add a short fade-out (Trim fadeOut 0.1 s)');
  }
  // Long silences: quieter than −50 dBFS and 40 dB under the loud level, for more than 2 s.
  const quiet = Math.min(10 ** (-50 / 20), loud / 100);
  const gaps: Array<[number, number]> = [];
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const silent = i < n && rms[i]! < quiet;
    if (silent && start < 0) start = i;
    if (!silent && start >= 0) {
      if ((i - start) / rate >= 2) gaps.push([start / rate, i / rate]);
      start = -1;
    }
  }
  if (gaps.length) {
    const list = gaps.slice(0, 3).map(([a, b]) => `${a.toFixed(1)}–${b.toFixed(1)} s`).join(', ');
    w.push(`${gaps.length} long silence${gaps.length > 1 ? 's' : ''} (${list}${gaps.length > 3 ? ', …' : ''}) — fix: trim them, or expect still frames there`);
  }
  // TTS engines such as espeak put exact digital silence between phrases and have no room
  // tone; diffusion lip-sync models tend to freeze on such input.
  const speechSec = speech.reduce((s, [a, b]) => s + (b - a), 0);
  if (speechSec > 0.3 * durationSec && speechSec > 1) {
    let digital = 0;
    let outside = 0;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const t = i / rate;
      while (k < speech.length && speech[k]![1] < t) k++;
      const inSpeech = k < speech.length && speech[k]![0] <= t;
      if (inSpeech) continue;
      outside++;
      // −80 dBFS: above 16-bit dither, well below any real room tone.
      if (rms[i]! < 1e-4) digital++;
    }
    if (outside > 0.2 * rate && digital / outside > 0.5) {
      w.push('speech sounds synthetic and very clean (digital silence between phrases, no room tone) — lip-sync in diffusion models can freeze on it; fix: use a natural recording, or mix in light room tone/noise at about −50 dB');
    }
  }
  return w;
}
