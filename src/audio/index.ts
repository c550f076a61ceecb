/**
 * Audio analysis (DSP): streamed frame features, tempo/beat/downbeat tracking, onsets,
 * HPSS, band energies, sections, vocal activity (Silero VAD) and mouth, health warnings.
 *
 *   fft.ts, mel.ts              building blocks (preallocated, per-frame)
 *   wasm/                       the per-frame loops in WebAssembly (AssemblyScript in wasm/assembly)
 *   frame-analyzer.ts           PCM chunks → per-frame envelopes (bounded memory)
 *   tempo.ts, beats.ts          tempo path + dynamic-programming beat tracker
 *   metrical-level.ts           which level is the beat (half/double/3-2 tempo, half-beat phase)
 *   downbeats.ts, onsets.ts     bar phase/meter, onset picking
 *   sections.ts, vocal.ts       novelty sections; speech spans and mouth
 *   health.ts                   warnings with fixes
 *   analyze.ts                  the pipeline; service.ts wires it to the media service
 *   visemes.ts, voiced-visemes.ts   mouth shapes per video frame; the classifier itself is
 *   viseme-classifier.mjs       plain JS so viseme-thread.ts can run it on a worker thread
 *   frames.ts                   curves at video frame times (curvesAtFps)
 */
export { createAudioService, type AudioServiceOptions } from './service.js';
export { analyzePcm, analyzePcmStream, CURVE_NAMES, type AnalyzeOptions } from './analyze.js';
export { curvesAtFps } from './frames.js';
export { beatFMeasure, tempoError } from './beat-metrics.js';
export { ANALYSIS_SAMPLE_RATE, FRAME_RATE } from './frame-analyzer.js';
