import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isS2VError } from '../engine/errors.js';
import { Rng } from '../engine/random.js';
import { accentEnvelope } from './beat-accent.js';
import {
  BEAT_NET_FILE,
  activationChannels,
  beatNetFromJson,
  gridActivation,
  logit,
  pointFeatures,
  preferOver,
  shippedBeatNet,
  type ActivationInput,
  type BeatNet,
} from './beat-activation.js';
import { CHROMA_FRAMES, FRAME_RATE, FrameAnalyzer, SPECTRUM_DIM } from './frame-analyzer.js';
import { mean } from './stats.js';
import { meterGroove } from '../../test/fixtures/audio/meter-grooves.js';
import { BEAT_LEVEL_WASM } from './wasm/beat-level-wasm.js';
import { instantiate } from './wasm/instantiate.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 's2v-beatnet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('beat net', () => {
  // Loud chord stabs and hats on every "and", the bass on the beats: the net must take the bass
  // grid for the beat, not the stabs half a beat later (both grids from the groove's own beats).
  it('takes the bass notes of a generated off-beat-chords groove for beats rather than the stabs on the "ands"', () => {
    const g = meterGroove({ style: 'offbeat-chords', bpm: 120, durationSec: 24 });
    const fa = new FrameAnalyzer(24);
    fa.push(g.pcm);
    const e = fa.finish();
    const inp = { flux: e.flux, fluxHigh: e.fluxHigh, bands: [e.bands.bass, e.bands.mid, e.bands.treble], spectrum: e.spectrum, chroma: e.chroma, spectrumDim: SPECTRUM_DIM, spectrumFrames: CHROMA_FRAMES };
    const beats = g.beats.map((t) => t * FRAME_RATE);
    const ands = beats.slice(0, -1).map((b, i) => 0.5 * (b + beats[i + 1]!));
    expect(preferOver(shippedBeatNet(), inp, ands, beats)).toBeGreaterThan(1);
  });

  it.each([
    ['missing', undefined],
    ['not JSON', '{"context": 1,'],
    ['of the wrong shape', JSON.stringify({ context: 1, channels: 2, inputs: 18, hidden: 2, w1: [1, 2], b1: [0, 0], w2: [1, 1], b2: 0 })],
  ])('refuses a weights file that is %s in one line naming it', (_, text) => {
    const file = path.join(dir, `${_.replace(/\W/g, '-')}.json`);
    if (text !== undefined) writeFileSync(file, text);
    let err: unknown;
    try {
      shippedBeatNet(file);
    } catch (e) {
      err = e;
    }
    expect(isS2VError(err) && err.code).toBe('E111');
    expect(String((err as Error).message)).not.toContain('\n');
    expect((err as { where?: string }).where).toBe(file);
  });

  it('ships its weights beside the other models', () => {
    const net = shippedBeatNet(BEAT_NET_FILE);
    expect(net.inputs).toBe(net.channels * (8 * net.context + 1));
    expect(net.w1.length).toBe(net.inputs * net.hidden);
  });
});

/** The channels as the JavaScript computed them before the kernel (the reference). */
function referenceChannels(inp: ActivationInput, count = 7): Float32Array[] {
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
  if (count > 5) raw.push(rowChange(inp.spectrum, inp.spectrumDim, Math.min(5, inp.spectrumDim)));
  if (count > 6) raw.push(rowChange(inp.chroma, 12, 12));
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

/** gridActivation as the JavaScript computed it (pointFeatures and logit are still that JavaScript). */
function referenceActivation(net: BeatNet, ch: Float32Array[], grid: number[], prob = false): number {
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

describe('the beat net in WebAssembly against the JavaScript it replaced (bit for bit)', () => {
  const rng = new Rng(29);
  const noise = (n: number) => Float32Array.from({ length: n }, () => rng.next() ** 2);
  /** Random envelopes with the analysis' shapes (a spectrum and chroma row every `frames` frames). */
  const randomInput = (n: number, dim = 20, frames = 4): ActivationInput => ({
    flux: noise(n),
    fluxHigh: noise(n),
    bands: [noise(n), noise(n), noise(n)],
    spectrum: Float32Array.from({ length: Math.ceil(n / frames) * dim }, () => rng.range(-3, 3)),
    chroma: noise(Math.ceil(n / frames) * 12),
    spectrumDim: dim,
    spectrumFrames: frames,
  });
  const randomNet = (channels: number, context: number, hidden: number): BeatNet => {
    const inputs = channels * (8 * context + 1);
    const w = (k: number) => Array.from({ length: k }, () => rng.range(-1, 1));
    return beatNetFromJson({ context, channels, inputs, hidden, w1: w(inputs * hidden), b1: w(hidden), w2: w(hidden), b2: rng.range(-1, 1) });
  };
  const grooveInput = (): ActivationInput => {
    const g = meterGroove({ style: 'disco', bpm: 124, durationSec: 20 });
    const fa = new FrameAnalyzer(20);
    fa.push(g.pcm);
    const e = fa.finish();
    return { flux: e.flux, fluxHigh: e.fluxHigh, bands: [e.bands.bass, e.bands.mid, e.bands.treble], spectrum: e.spectrum, chroma: e.chroma, spectrumDim: SPECTRUM_DIM, spectrumFrames: CHROMA_FRAMES };
  };

  it.each([5, 6, 7, 12, 27, 40])('activationChannels with %i channels asked for', (count) => {
    for (const inp of [randomInput(1500), randomInput(777, 8, 3), { ...randomInput(600), bands: [noise(600)] }]) {
      expect(activationChannels(inp, count)).toEqual(referenceChannels(inp, count));
    }
  });

  it("activationChannels of a generated groove's envelopes", () => {
    const inp = grooveInput();
    expect(activationChannels(inp, 27)).toEqual(referenceChannels(inp, 27));
  });

  it('gridActivation on grids of every kind: beats, midpoints, fractional points, points off either end, one and two points', () => {
    const inp = randomInput(2000);
    for (const [channels, context, hidden] of [
      [7, 1, 5],
      [27, 1, 36],
      [12, 2, 3],
    ] as const) {
      const net = randomNet(channels, context, hidden);
      const ch = referenceChannels(inp, channels);
      const period = rng.range(30, 70);
      const beats = Array.from({ length: Math.floor(1900 / period) }, (_, i) => 20 + i * period + rng.range(-2, 2));
      const grids = [beats, beats.map((b) => Math.round(b)), beats.slice(1).map((b, i) => 0.5 * (b + beats[i]!)), [-30, 10, 50], [1990, 2010, 2050], [100, 150], [300], []];
      for (const grid of grids) {
        for (const prob of [false, true]) expect(gridActivation(net, ch, grid, prob)).toBe(referenceActivation(net, ch, grid, prob));
      }
    }
  });

  it("preferOver with the shipped net on a generated groove's envelopes (channels kept between calls)", () => {
    const inp = grooveInput();
    const net = shippedBeatNet();
    const ch = referenceChannels(inp, net.channels);
    const beats = Array.from({ length: 38 }, (_, i) => 60 + (i * 6000) / 124);
    const ands = beats.slice(1).map((b, i) => 0.5 * (b + beats[i]!));
    for (const [grid, other] of [
      [beats, ands],
      [ands, beats],
      [beats, beats.map((b) => b + 16)],
    ]) {
      expect(preferOver(net, inp, grid!, other!)).toBe(referenceActivation(net, ch, other!) - referenceActivation(net, ch, grid!));
    }
    // Another net on the same envelopes gets channels of its own.
    const small = randomNet(7, 1, 4);
    expect(preferOver(small, inp, beats, ands)).toBe(referenceActivation(small, referenceChannels(inp, 7), ands) - referenceActivation(small, referenceChannels(inp, 7), beats));
  });

  // The features' logs are the kernel's (AssemblyScript's log), rounded to f32 as pointFeatures rounds
  // Math.log's: the two agreed on all 1.11 G f32 inputs from 0.05 up (checked once, exhaustively);
  // here every 256th of them, the floor and the values below it, and what is not a number.
  it("takes the features' logs as Math.log does, once rounded to f32 (every 256th f32 from the floor up)", () => {
    const k = instantiate(BEAT_LEVEL_WASM) as unknown as { memory: WebAssembly.Memory; activationInit(...a: number[]): void; net(...a: number[]): void; points(n: number): void; logs(n: number): void; features: WebAssembly.Global };
    const CHUNK = 1 << 20;
    k.activationInit(1, 1, 0, 0);
    k.net(CHUNK, 1);
    k.points(1);
    const x = new Float32Array(k.memory.buffer, k.features.value as number, CHUNK);
    const bits = new Uint32Array(x.buffer, x.byteOffset, CHUNK);
    const input = new Float32Array(CHUNK);
    const from = new Uint32Array(Float32Array.of(0.05).buffer)[0]! - 4;
    let differ = 0;
    let count = 0;
    for (let start = from; start <= 0x7f800000; start += CHUNK * 256) {
      for (let i = 0; i < CHUNK; i++) bits[i] = Math.min(0x7f800000, start + i * 256);
      bits.set([0, 0x80000000, 1, 0x3d4ccccc, 0x3d4ccccd, 0x3d4cccce, 0x7fc00000, 0x3f800000], 0);
      input.set(x);
      k.logs(CHUNK);
      for (let i = 0; i < CHUNK; i++) if (!Object.is(x[i], Math.fround(Math.log(Math.max(0.05, input[i]!))))) differ++;
      count += CHUNK;
    }
    expect(count).toBeGreaterThan(4e6);
    expect(differ).toBe(0);
  });

  it('refuses channels that do not make the net\'s inputs, in one line', () => {
    const net = randomNet(7, 1, 3);
    expect(() => gridActivation(net, referenceChannels(randomInput(500), 6), [10, 60, 110])).toThrow(/^beatnet: 6 channels at 1 beats of context do not make its 63 inputs$/);
  });
});
