/** Audio Features: beats, onsets, bands, HPSS, vocal activity, mouth and sections of an audio input. */
import { z } from 'zod';
import { codeFingerprint, defineNode } from '../../src/engine/index.js';

/** The voice-activity model the analysis runs (src/audio/voice-activity.ts VAD_MODEL). */
const VAD_MODEL = 'silero-vad';

export const audioFeaturesNode = defineNode({
  type: 'audio-features',
  version: 1,
  title: 'Audio Features',
  category: 'audio',
  description: 'Analyses the audio: tempo, beats, downbeats, onsets, band energies, percussive/harmonic, vocal activity, mouth and sections.',
  inputs: { audio: { type: 'audio', description: 'Any audio: a file, a recording, a trimmed span or generated speech.' } },
  outputs: { features: { type: 'features', description: 'For Video Model, Trim and Screenwriter; shown as curves in the studio.' } },
  params: z.object({}),
  cache: 'fingerprint',
  /**
   * What computed the features besides the audio: the analysis code and the beat net's weights
   * (the code fingerprint, src/engine/cache/code-version.ts) and the Silero VAD's weights (the
   * sha256 its manifest names — the registry refuses a file that differs). An upgrade that
   * changes any of them analyses again; anything else keeps the cached features. Read from the
   * manifest rather than modelHash(): that would hash the 2.3 MB file on every cached run.
   */
  async fingerprint(_p, ctx) {
    let vad = 'none';
    try {
      vad = (await ctx.services.inference.getModel(VAD_MODEL)).files.map((f) => f.sha256).join('+');
    } catch {
      // No models (a host without inference runs the analysis with the VAD off).
    }
    return `analysis:${await codeFingerprint('analysis')},${VAD_MODEL}:${vad}`;
  },
  async evaluate({ inputs, ctx }) {
    ctx.progress(0, 'analysing audio');
    const features = await ctx.services.audio.analyze(inputs.audio, { signal: ctx.signal, progress: (f) => ctx.progress(f) });
    for (const w of features.warnings) ctx.warn(w);
    ctx.log(`tempo ${features.tempo} BPM, ${features.beats.length} beats, ${features.speech.length} speech spans`);
    return { features };
  },
});
