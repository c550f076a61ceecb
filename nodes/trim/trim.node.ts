/**
 * Trim: cut a span of the audio (start + end or duration), with fades, optionally snapped
 * to the nearest beats. Writes a WAV into the node's artifact folder and adds waveform
 * peaks for the studio.
 */
import path from 'node:path';
import { z } from 'zod';
import { defineNode, S2VError, type FeaturesValue } from '../../src/engine/index.js';
import { waveformPeaks } from './peaks.js';

const fmt = (s: number) => `${Math.round(s * 1000) / 1000} s`;
/** Shorter spans hold at most a few hundred samples, which ffmpeg may round to none at all. */
const MIN_SPAN_SEC = 0.01;

function nearest(times: number[], t: number, after?: number): number {
  let best = t;
  let d = Infinity;
  for (const x of times) {
    if (after !== undefined && x <= after) continue;
    if (Math.abs(x - t) < d) {
      d = Math.abs(x - t);
      best = x;
    }
  }
  return best;
}

export const trimNode = defineNode({
  type: 'trim',
  version: 1,
  title: 'Trim',
  category: 'audio',
  description: 'Keep a span of the audio, with optional fades; can snap the cut points to beats.',
  inputs: {
    audio: { type: 'audio' },
    features: { type: 'features', optional: true, description: 'Beats to snap to (analysed here when missing)' },
  },
  outputs: { audio: { type: 'audio' } },
  params: z.object({
    start: z.number().min(0).default(0).describe('Start, seconds'),
    end: z.number().min(0).optional().describe('End, seconds (or use duration)'),
    duration: z.number().positive().optional().describe('Length, seconds (overrides end)'),
    fadeIn: z.number().min(0).default(0).describe('Fade-in, seconds'),
    fadeOut: z.number().min(0).default(0).describe('Fade-out, seconds'),
    snapToBeat: z.boolean().default(false).describe('Move start and end to the nearest beats'),
  }),
  widgets: {
    start: { kind: 'number', min: 0, step: 0.1, unit: 's', label: 'Start' },
    end: { kind: 'number', min: 0, step: 0.1, unit: 's', label: 'End' },
    duration: { kind: 'number', min: 0, step: 0.1, unit: 's', label: 'Duration' },
    fadeIn: { kind: 'number', min: 0, step: 0.05, unit: 's', label: 'Fade in' },
    fadeOut: { kind: 'number', min: 0, step: 0.05, unit: 's', label: 'Fade out' },
    snapToBeat: { kind: 'toggle', label: 'Snap to beat' },
  },
  cache: 'pure',
  async evaluate({ inputs, params, ctx }) {
    const where = `node "${ctx.nodeId}"`;
    const audio = inputs.audio;
    const total = audio.durationSec;
    let start = params.start;
    let end = params.duration !== undefined ? start + params.duration : params.end ?? total;
    if (start >= total) throw new S2VError('E106', `start ${fmt(start)} is past the end of the audio (${fmt(total)})`, { where, hint: 'lower start' });
    // Allow a few ms of slack: containers round their durations.
    if (end > total + 0.05) throw new S2VError('E106', `end ${fmt(end)} is past the end of the audio (${fmt(total)})`, { where, hint: 'lower end/duration' });
    end = Math.min(end, total);
    if (end <= start) throw new S2VError('E106', `end ${fmt(end)} must be after start ${fmt(start)}`, { where });
    let features: FeaturesValue | undefined = inputs.features;
    if (params.snapToBeat) {
      features ??= await ctx.services.audio.analyze(audio, { signal: ctx.signal, progress: (f) => ctx.progress(0.8 * f, 'finding beats') });
      if (features.beats.length < 2) ctx.warn('no beats found to snap to; cutting at the given times');
      else {
        start = nearest(features.beats, start);
        end = Math.min(total, nearest(features.beats, end, start));
      }
    }
    const duration = end - start;
    if (duration < MIN_SPAN_SEC) {
      throw params.snapToBeat
        ? new S2VError('E106', `snapping to beats leaves no span (start ${fmt(start)}, end ${fmt(end)})`, { where, hint: 'widen the span or turn off snap to beat' })
        : new S2VError('E106', `trimmed span ${fmt(duration)} is shorter than ${MIN_SPAN_SEC * 1000} ms`, { where, hint: 'lower start or raise end/duration' });
    }
    if (params.fadeIn + params.fadeOut > duration) {
      throw new S2VError('E106', `fades (${fmt(params.fadeIn)} + ${fmt(params.fadeOut)}) are longer than the trimmed span (${fmt(duration)})`, { where });
    }
    const out = path.join(await ctx.artifactDir(), 'trim.wav');
    await ctx.services.media.trimAudio({ input: audio.path, output: out, startSec: start, durationSec: duration, fadeInSec: params.fadeIn, fadeOutSec: params.fadeOut, signal: ctx.signal });
    const peaks = await waveformPeaks(ctx.services.media, out, { signal: ctx.signal });
    // Only an exact upstream grid travels on; detected beats stay in the features value.
    const beats = audio.beats?.filter((b) => b >= start && b < end).map((b) => Math.round((b - start) * 1000) / 1000);
    ctx.progress(1);
    return {
      audio: {
        kind: 'audio',
        path: out,
        durationSec: duration,
        sampleRate: audio.sampleRate,
        channels: audio.channels,
        ...(beats ? { beats } : {}),
        label: `${audio.label ?? path.basename(audio.path)} [${fmt(start)}–${fmt(end)}]`,
        peaks,
      },
    };
  },
});
