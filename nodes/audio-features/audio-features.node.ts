/** Audio Features: beats, onsets, bands, HPSS, vocal activity, mouth and sections of an audio input. */
import { z } from 'zod';
import { defineNode } from '../../src/engine/index.js';

export const audioFeaturesNode = defineNode({
  type: 'audio-features',
  version: 1,
  title: 'Audio Features',
  category: 'audio',
  description: 'Analyses the audio: tempo, beats, downbeats, onsets, band energies, percussive/harmonic, vocal activity, mouth and sections.',
  inputs: { audio: { type: 'audio', description: 'Any audio: a file, a recording, a trimmed span or generated speech.' } },
  outputs: { features: { type: 'features', description: 'For Video Model, Trim and Screenwriter; shown as curves in the studio.' } },
  params: z.object({}),
  cache: 'pure',
  async evaluate({ inputs, ctx }) {
    ctx.progress(0, 'analysing audio');
    const features = await ctx.services.audio.analyze(inputs.audio, { signal: ctx.signal, progress: (f) => ctx.progress(f) });
    for (const w of features.warnings) ctx.warn(w);
    ctx.log(`tempo ${features.tempo} BPM, ${features.beats.length} beats, ${features.speech.length} speech spans`);
    return { features };
  },
});
