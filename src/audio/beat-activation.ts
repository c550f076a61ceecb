/**
 * A learned "a beat is here" cue: a tiny MLP that reads the onset envelopes the frame analysis
 * already computes around a point, at quarter-beat steps over ±1 beat of the grid's own period,
 * and says how much the point looks like a beat rather than a point ½, ⅓ or ⅔ of a beat away
 * from one. Plain maths here (≈ 0.6 M multiply-adds per grid of 70 beats with the shipped net):
 * cheaper than a worker round trip. Trained by models/build/beatnet on the dev half of the beat
 * corpus; the weights (models/beatnet/beat-net.json) are read on first use only, so an analysis
 * whose phase is clear never loads them. metrical-level.ts asks it only when the phase cues are
 * in doubt (its fail-safe).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S2VError } from '../engine/errors.js';
import { accentEnvelope } from './beat-accent.js';
import { mean, peakAround } from './stats.js';

/** Weights of a one-hidden-layer MLP, row-major: w1 is hidden × inputs. */
export interface BeatNet {
  /** Beats of context either side (quarter-beat steps) and channels read (activationChannels order). */
  context: number;
  channels: number;
  inputs: number;
  hidden: number;
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: number;
}

/** Envelopes the net reads, per frame. */
export interface ActivationInput {
  flux: Float32Array;
  fluxHigh: Float32Array;
  /** Linear band magnitudes: kick/bass, body, treble (at least the first two). */
  bands: Float32Array[];
  /** Log-mel bands (lowest first, `spectrumDim` per row) and 12-bin chroma, a row every `spectrumFrames` frames. */
  spectrum: Float32Array;
  chroma: Float32Array;
  spectrumDim: number;
  spectrumFrames: number;
}

const FLOOR = 0.05;
/** Spectrum bands that hold the bass (≈ up to 300 Hz). */
const BASS_BANDS = 5;

/** Quarter-beat steps over ±`context` beats. */
export function steps(context: number): number[] {
  const out: number[] = [];
  for (let k = -4 * context; k <= 4 * context; k++) out.push(k / 4);
  return out;
}

/**
 * The per-excerpt normalised channels (each over its own mean), computed once per input: full,
 * high, bass-band, body-band and treble-band onsets, then bass-spectrum change and chroma change
 * between consecutive rows (held over the row's frames).
 */
export function activationChannels(inp: ActivationInput, count = 7): Float32Array[] {
  const n = inp.flux.length;
  const rowChange = (data: Float32Array, dim: number, dims: number) => {
    const out = new Float32Array(n);
    const rows = Math.floor(data.length / dim);
    for (let r = 1; r < rows; r++) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += Math.abs(data[r * dim + d]! - data[(r - 1) * dim + d]!);
      for (let f = r * inp.spectrumFrames - (inp.spectrumFrames >> 1), k = 0; k < inp.spectrumFrames; k++, f++) if (f >= 0 && f < n) out[f] = s;
    }
    return out;
  };
  const raw = [inp.flux, inp.fluxHigh, ...inp.bands.slice(0, 3).map((b) => accentEnvelope([b]))];
  if (count > 5) raw.push(rowChange(inp.spectrum, inp.spectrumDim, Math.min(BASS_BANDS, inp.spectrumDim)));
  if (count > 6) raw.push(rowChange(inp.chroma, 12, 12));
  // Then each log-mel band's rise from the row before (pitched bass re-attacks vs kicks, etc.).
  const rows = Math.floor(inp.spectrum.length / inp.spectrumDim);
  for (let b = 0; b < Math.min(inp.spectrumDim, count - 7); b++) {
    const out = new Float32Array(n);
    for (let r = 1; r < rows; r++) {
      const v = Math.max(0, inp.spectrum[r * inp.spectrumDim + b]! - inp.spectrum[(r - 1) * inp.spectrumDim + b]!);
      for (let f = r * inp.spectrumFrames - (inp.spectrumFrames >> 1), k = 0; k < inp.spectrumFrames; k++, f++) if (f >= 0 && f < n) out[f] = v;
    }
    raw.push(out);
  }
  return raw.map((c) => {
    const m = mean(c) || 1;
    const out = new Float32Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = c[i]! / m;
    return out;
  });
}

export function featureCount(channels: number, context: number): number {
  return channels * steps(context).length;
}

/** Features of point `p` (frames) with beat period `period` (frames), written into `out` at `at`. */
export function pointFeatures(ch: Float32Array[], context: number, p: number, period: number, out: Float32Array, at = 0): void {
  let j = at;
  const st = steps(context);
  for (const c of ch) for (const s of st) out[j++] = Math.log(Math.max(FLOOR, peakAround(c, p + s * period, 2)));
}

/** Log-odds that `p` is a beat. `buf` holds the features (featureCount long). */
export function logit(net: BeatNet, x: Float32Array): number {
  let y = net.b2;
  for (let h = 0; h < net.hidden; h++) {
    let a = net.b1[h]!;
    const row = h * net.inputs;
    for (let i = 0; i < net.inputs; i++) a += net.w1[row + i]! * x[i]!;
    y += net.w2[h]! * Math.tanh(a);
  }
  return y;
}

/** Mean log-odds of the net over a grid's points (each point's period from its neighbours). */
export function gridActivation(net: BeatNet, ch: Float32Array[], grid: number[], prob = false): number {
  if (grid.length < 2) return 0;
  const x = new Float32Array(net.inputs);
  let s = 0;
  for (let i = 0; i < grid.length; i++) {
    const period = i + 1 < grid.length ? grid[i + 1]! - grid[i]! : grid[i]! - grid[i - 1]!;
    pointFeatures(ch, net.context, grid[i]!, period, x);
    const y = logit(net, x);
    s += prob ? 1 / (1 + Math.exp(-y)) : y;
  }
  return s / grid.length;
}

/** Serialised form (models/beatnet/beat-net.json): plain number arrays. */
export interface BeatNetJson {
  context: number;
  channels: number;
  inputs: number;
  hidden: number;
  w1: number[];
  b1: number[];
  w2: number[];
  b2: number;
}

export function beatNetFromJson(j: BeatNetJson): BeatNet {
  if (j.w1.length !== j.inputs * j.hidden || j.b1.length !== j.hidden || j.w2.length !== j.hidden) throw new Error('beatnet: weight shapes do not match inputs × hidden');
  if (j.inputs !== featureCount(j.channels, j.context)) throw new Error('beatnet: inputs do not match channels × context');
  return { context: j.context, channels: j.channels, inputs: j.inputs, hidden: j.hidden, w1: Float32Array.from(j.w1), b1: Float32Array.from(j.b1), w2: Float32Array.from(j.w2), b2: j.b2 };
}

/** The shipped net's file. */
export const BEAT_NET_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models/beatnet/beat-net.json');

let shipped: BeatNet | undefined;
/** The shipped net, read once; a missing or malformed file is one line naming it. */
export function shippedBeatNet(file = BEAT_NET_FILE): BeatNet {
  if (file === BEAT_NET_FILE && shipped) return shipped;
  let net: BeatNet;
  try {
    net = beatNetFromJson(JSON.parse(readFileSync(file, 'utf8')) as BeatNetJson);
  } catch (e) {
    throw new S2VError('E111', `beat net unreadable (${(e as Error).message.split('\n')[0]})`, { where: file, exitCode: 1 });
  }
  if (file === BEAT_NET_FILE) shipped = net;
  return net;
}

const channelCache = new WeakMap<Float32Array, { count: number; ch: Float32Array[] }>();
/**
 * How much more the net takes `other`'s points for beats than `grid`'s (mean log-odds, positive:
 * `other` looks more like the beat). Channels are computed once per analysis (keyed by its flux).
 */
export function preferOver(net: BeatNet, inp: ActivationInput, grid: number[], other: number[]): number {
  let c = channelCache.get(inp.flux);
  if (!c || c.count !== net.channels) channelCache.set(inp.flux, (c = { count: net.channels, ch: activationChannels(inp, net.channels) }));
  return gridActivation(net, c.ch, other) - gridActivation(net, c.ch, grid);
}
