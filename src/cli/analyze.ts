/**
 * `s2v analyze <audio> [--fps N] [--json]`: run the audio analysis on one file and print a
 * readable summary, or JSON with the beat grid, speech spans and curves at `fps`.
 * Exit codes: 0 ok, 2 bad usage or unreadable/unsupported input, 1 analysis failed.
 */
import path from 'node:path';
import { S2VError, errorLine, isS2VError } from '../engine/errors.js';
import type { AudioValue } from '../engine/types.js';
import { createAnalysisServices, type AnalysisServices } from '../runtime/analysis.js';
import type { CliIO } from './io.js';
import { plainWavAudio } from './analyze-wav.js';


const USAGE = 'usage: s2v analyze <audio> [--fps N] [--json]';
const JSON_CURVES = ['rms', 'onset', 'bass', 'mid', 'high', 'brightness', 'percussive', 'harmonic', 'vocal', 'mouth'];

function parse(args: string[]): { file: string; fps?: number; json: boolean } {
  let file: string | undefined;
  let fps: number | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--json') json = true;
    else if (a === '--fps' || a.startsWith('--fps=')) {
      const v = a.includes('=') ? a.slice(6) : args[++i];
      fps = Number(v);
      if (!v || !Number.isFinite(fps) || fps <= 0 || fps > 1000) throw new S2VError('E100', `--fps needs a number between 0 and 1000 (got ${v ?? 'nothing'})`, { where: '--fps' });
    } else if (a.startsWith('-')) throw new S2VError('E100', `unknown option ${a}`, { where: 'analyze', hint: USAGE });
    else if (file) throw new S2VError('E100', `only one audio file, got "${file}" and "${a}"`, { where: 'analyze', hint: USAGE });
    else file = a;
  }
  if (!file) throw new S2VError('E100', 'no audio file given', { where: 'analyze', hint: USAGE });
  return { file: path.resolve(file), fps, json };
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;

export async function analyzeCommand(args: string[], io: CliIO): Promise<number> {
  // The services `s2v run` analyses audio with, and only those: the rest of the runtime (node
  // catalog, remote backends, speech, LLM) is modules `s2v analyze` need not load. Nothing is
  // cached: analysing the same file twice analyses it twice.
  const services = createAnalysisServices();
  try {
    return await analyze(args, io, services);
  } finally {
    // Stops the model's worker thread before the process ends (see pool.ts).
    await services.inference.dispose();
  }
}

async function analyze(args: string[], io: CliIO, services: AnalysisServices): Promise<number> {
  let opts: ReturnType<typeof parse>;
  let audio: AudioValue;
  try {
    opts = parse(args);
    // The models' worker threads boot on the other core while ffprobe and then the analysis run;
    // the analysis does not wait for the model's check (prepare), which it awaits only where it
    // needs the model. A plain WAV's header says what ffprobe would (analyze-wav.ts), without
    // starting ffprobe.
    const file = opts.file;
    void services.audio.prepare?.();
    audio = await plainWavAudio(file).then((wav) => wav ?? services.media.describeAudio(file));
  } catch (e) {
    io.stderr(`error: ${errorLine(e)}\n`);
    return 2;
  }
  try {
    const service = services.audio;
    // With --json, the analysis keeps its decode for the viseme pass and starts it early.
    const features = await service.analyze(audio, { visemes: opts.json ? { fps: opts.fps } : undefined });
    if (opts.json) {
      const fps = opts.fps ?? features.rate;
      const frames = Math.max(1, Math.ceil(features.durationSec * fps));
      const atFps = service.curvesAtFps(features, fps, frames);
      const names = [...JSON_CURVES, ...Object.keys(atFps).filter((k) => !JSON_CURVES.includes(k))];
      const curves = Object.fromEntries(names.filter((k) => atFps[k]).map((k) => [k, Array.from(atFps[k]!, r3)]));
      // Per frame: the dominant viseme, every viseme's weight (2 decimals) and the jaw opening they imply.
      // The JSON carries no pitch: leave out its cost.
      const vis = await service.visemes!(audio, features, fps, frames, { pitch: false });
      const K = vis.names.length;
      const r2 = (x: number) => Math.round(x * 100) / 100;
      const rows = Array.from({ length: frames }, (_, i) => Array.from(vis.weights.subarray(i * K, (i + 1) * K), r2));
      const visemes = {
        names: vis.names,
        dominant: rows.map((row) => vis.names[row.indexOf(Math.max(...row))]),
        weights: rows,
        jaw: Array.from(vis.jaw, r3),
      };
      io.stdout(
        `${JSON.stringify({
          durationSec: features.durationSec,
          sampleRate: features.sampleRate,
          tempo: features.tempo,
          beats: features.beats,
          // Added, not changed: true when `beats` lists each beat and its midpoint (twice as dense as `tempo`).
          beatsWithMidpoints: features.beatsWithMidpoints === true,
          downbeats: features.downbeats,
          onsets: features.onsets,
          speech: features.speech,
          fps,
          curves,
          visemes,
        })}\n`,
      );
    } else {
      const speechSec = features.speech.reduce((s, [a, b]) => s + b - a, 0);
      const lines = [
        `${path.basename(opts.file)}: ${features.durationSec.toFixed(1)} s, ${audio.sampleRate} Hz, ${audio.channels} ch`,
        `tempo      ${features.tempo.toFixed(1)} BPM (confidence ${features.tempoConfidence.toFixed(2)})`,
        `beats      ${features.beats.length} (${features.downbeats.length} downbeats), onsets ${features.onsets.length}` +
          (features.beatsWithMidpoints ? ' · each beat and its midpoint: the beats could not be told from the "ands"' : ''),
        `speech     ${features.speech.length} span${features.speech.length === 1 ? '' : 's'}, ${speechSec.toFixed(1)} s` +
          (features.speech.length ? `: ${features.speech.slice(0, 4).map(([a, b]) => `${a.toFixed(2)}–${b.toFixed(2)}`).join(', ')}${features.speech.length > 4 ? ', …' : ''}` : ''),
        `sections   ${features.sections.length ? features.sections.map((s) => s.toFixed(1)).join(', ') : 'none'}`,
        ...(features.warnings.length ? features.warnings.map((w) => `warning    ${w}`) : ['warnings   none']),
      ];
      io.stdout(`${lines.join('\n')}\n`);
    }
    return 0;
  } catch (e) {
    io.stderr(`error: ${errorLine(e)}\n`);
    return isS2VError(e) ? e.exitCode : 1;
  }
}
