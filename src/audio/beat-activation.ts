/**
 * A learned "a beat is here" cue: a tiny MLP that reads the onset envelopes the frame analysis
 * already computes around a point, at quarter-beat steps over ±1 beat of the grid's own period,
 * and says how much the point looks like a beat rather than a point ½, ⅓ or ⅔ of a beat away
 * from one. Plain maths here (≈ 0.6 M multiply-adds per grid of 70 beats with the shipped net):
 * cheaper than a worker round trip. Trained by models/build/beatnet on the dev half of the beat
 * corpus; the weights (models/beatnet/beat-net.json) are read on first use only, so an analysis
 * whose phase is clear never loads them. metrical-level.ts asks it only when the phase cues are
 * in doubt (its fail-safe).
 *
 * The loops run in WebAssembly (wasm/assembly/beat-activation.ts, in the beat-level module): once per `s2v analyze` whose phase
 * is in doubt, cold, where the JavaScript was interpreted with boxed doubles (≈ 0.6 M multiply-adds,
 * 34 k peak searches and logs). The kernel does the same operations in the same order; its log,
 * rounded to the features' f32, is Math.log's on every input (checked exhaustively, see its `logs`),
 * and the tanh of the hidden sums stays Math's, here, so the net's answers are bit for bit the
 * JavaScript's (beat-activation.test.ts keeps it as the reference).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { S2VError } from '../engine/errors.js';
import { accentEnvelope } from './beat-accent.js';
import { peakAround } from './stats.js';
import { BEAT_LEVEL_WASM } from './wasm/beat-level-wasm.js';
import { borrow, giveBack } from './wasm/instantiate.js';

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

/** What the kernel exports: byte offsets into its memory and its steps. */
interface ActivationKernel {
  memory: WebAssembly.Memory;
  activationInit(frames: number, channels: number, spectrumLength: number, chromaLength: number): void;
  rowChange(channel: number, which: number, length: number, dim: number, dims: number, frames: number): void;
  rise(channel: number, band: number, length: number, dim: number, frames: number): void;
  normalise(): void;
  net(inputs: number, hidden: number): void;
  points(count: number): void;
  gather(points: number, context: number): void;
  layOut(): void;
  logs(count: number): void;
  hiddenSums(points: number): void;
  channels: WebAssembly.Global;
  spectrum: WebAssembly.Global;
  chroma: WebAssembly.Global;
  w1: WebAssembly.Global;
  b1: WebAssembly.Global;
  grid: WebAssembly.Global;
  features: WebAssembly.Global;
  sums: WebAssembly.Global;
}

/** A kernel holding an excerpt's channels (borrowed: given back when the call is done). */
interface Channels {
  k: ActivationKernel;
  frames: number;
  count: number;
}

function channelView(c: Channels, i: number): Float32Array {
  return new Float32Array(c.k.memory.buffer, (c.k.channels.value as number) + 4 * i * c.frames, c.frames);
}

/** A kernel laid out for `count` channels of `frames` frames, `spectrum` and `chroma` values. */
function channelsIn(frames: number, count: number, spectrum = 0, chroma = 0): Channels {
  const k = borrow(BEAT_LEVEL_WASM) as unknown as ActivationKernel;
  k.activationInit(frames, count, spectrum, chroma);
  return { k, frames, count };
}

function giveBackChannels(c: Channels): void {
  giveBack(BEAT_LEVEL_WASM, c.k as unknown as WebAssembly.Exports);
}

/** The channels of activationChannels, computed in a kernel's memory. */
function channelKernel(inp: ActivationInput, count: number): Channels {
  const n = inp.flux.length;
  const dim = inp.spectrumDim;
  const bands = inp.bands.slice(0, 3);
  const rises = Math.max(0, Math.min(dim, count - 7));
  // The accent envelopes first: they borrow the module's spare instance too.
  const raw = [inp.flux, inp.fluxHigh, ...bands.map((b) => accentEnvelope([b]))];
  const c = channelsIn(n, raw.length + (count > 5 ? 1 : 0) + (count > 6 ? 1 : 0) + rises, inp.spectrum.length, inp.chroma.length);
  const { k } = c;
  new Float32Array(k.memory.buffer, k.spectrum.value as number, inp.spectrum.length).set(inp.spectrum);
  new Float32Array(k.memory.buffer, k.chroma.value as number, inp.chroma.length).set(inp.chroma);
  raw.forEach((r, i) => channelView(c, i).set(r));
  let next = raw.length;
  if (count > 5) k.rowChange(next++, 0, inp.spectrum.length, dim, Math.min(BASS_BANDS, dim), inp.spectrumFrames);
  if (count > 6) k.rowChange(next++, 1, inp.chroma.length, 12, 12, inp.spectrumFrames);
  // Then each log-mel band's rise from the row before (pitched bass re-attacks vs kicks, etc.).
  for (let b = 0; b < rises; b++) k.rise(next++, b, inp.spectrum.length, dim, inp.spectrumFrames);
  k.normalise();
  return c;
}

/**
 * The per-excerpt normalised channels (each over its own mean), computed once per input: full,
 * high, bass-band, body-band and treble-band onsets, then bass-spectrum change and chroma change
 * between consecutive rows (held over the row's frames), then each log-mel band's rise.
 */
export function activationChannels(inp: ActivationInput, count = 7): Float32Array[] {
  const c = channelKernel(inp, count);
  const out = Array.from({ length: c.count }, (_, i) => channelView(c, i).slice());
  giveBackChannels(c);
  return out;
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
  const c = channelsIn(ch[0]?.length ?? 0, ch.length);
  ch.forEach((x, i) => channelView(c, i).set(x));
  try {
    loadNet(c, net);
    return activation(c, net, grid, prob);
  } finally {
    giveBackChannels(c);
  }
}

/** The net's hidden layer into a kernel that holds channels. */
function loadNet(c: Channels, net: BeatNet): void {
  if (c.count * (8 * net.context + 1) !== net.inputs) throw new Error(`beatnet: ${c.count} channels at ${net.context} beats of context do not make its ${net.inputs} inputs`);
  const { k } = c;
  k.net(net.inputs, net.hidden);
  new Float32Array(k.memory.buffer, k.w1.value as number, net.w1.length).set(net.w1);
  new Float32Array(k.memory.buffer, k.b1.value as number, net.b1.length).set(net.b1);
  k.layOut();
}

/** gridActivation on the channels and net a kernel holds. */
function activation(c: Channels, net: BeatNet, grid: number[], prob = false): number {
  if (grid.length < 2) return 0;
  const { k } = c;
  const m = grid.length;
  k.points(m);
  new Float64Array(k.memory.buffer, k.grid.value as number, m).set(grid);
  k.gather(m, net.context);
  // pointFeatures' logs, in the kernel: rounded to f32, its log and Math.log agree on every input (see logs).
  k.logs(m * net.inputs);
  k.hiddenSums(m);
  // logit's output layer on the kernel's hidden sums.
  const sums = new Float64Array(k.memory.buffer, k.sums.value as number, m * net.hidden);
  let s = 0;
  for (let i = 0; i < m; i++) {
    let y = net.b2;
    for (let h = 0; h < net.hidden; h++) y += net.w2[h]! * Math.tanh(sums[i * net.hidden + h]!);
    s += prob ? 1 / (1 + Math.exp(-y)) : y;
  }
  return s / m;
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

const channelCache = new WeakMap<Float32Array, { count: number; ch: Float32Array }>();
/**
 * How much more the net takes `other`'s points for beats than `grid`'s (mean log-odds, positive:
 * `other` looks more like the beat). Channels are computed once per analysis (keyed by its flux).
 */
export function preferOver(net: BeatNet, inp: ActivationInput, grid: number[], other: number[]): number {
  const cached = channelCache.get(inp.flux);
  let c: Channels;
  if (cached && cached.count === net.channels) {
    c = channelsIn(inp.flux.length, cached.ch.length / Math.max(1, inp.flux.length));
    new Float32Array(c.k.memory.buffer, c.k.channels.value as number, cached.ch.length).set(cached.ch);
  } else {
    c = channelKernel(inp, net.channels);
    channelCache.set(inp.flux, { count: net.channels, ch: new Float32Array(c.k.memory.buffer, c.k.channels.value as number, c.count * c.frames).slice() });
  }
  try {
    loadNet(c, net);
    return activation(c, net, other) - activation(c, net, grid);
  } finally {
    giveBackChannels(c);
  }
}
