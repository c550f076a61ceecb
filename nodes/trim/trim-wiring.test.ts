/**
 * Trim's decisions, fast: the node runs against an in-memory media stand-in that cuts the
 * source samples exactly as asked (8 kHz, so the waveform peaks are over known samples) and an
 * audio analyser that returns a known beat grid. trim.test.ts checks the same node on real
 * ffmpeg with clicks at known times; this file checks, per call, the span handed to the cutter,
 * the snapping rules, the errors and the peaks — quick enough for the mutation run of
 * nodes/trim (test/mutation, group trim) to run it for every mutant.
 */
import { describe, expect, it } from 'vitest';
import { S2VError, type AudioValue, type FeaturesValue, type NodeContext } from '../../src/engine/index.js';
import { trimNode } from './trim.node.js';
import { waveformPeaks } from './peaks.js';
import { fakeServices } from '../../test/support/fake-services.js';

const RATE = 8000;

/** A source of `sec` seconds whose sample i is `f(i)`. */
const source = (sec: number, f: (i: number) => number) => Float32Array.from({ length: Math.round(sec * RATE) }, (_, i) => f(i));

function harness(files: Record<string, Float32Array>, beats?: number[]) {
  const cuts: Array<{ input: string; output: string; startSec: number; durationSec: number; fadeInSec?: number; fadeOutSec?: number; signal?: AbortSignal }> = [];
  const analysed: AudioValue[] = [];
  const progress: Array<[number, string | undefined]> = [];
  const warnings: string[] = [];
  const ac = new AbortController();
  const media = {
    async trimAudio(o: (typeof cuts)[number]) {
      cuts.push(o);
      const pcm = files[o.input]!;
      files[o.output] = pcm.slice(Math.round(o.startSec * RATE), Math.round((o.startSec + o.durationSec) * RATE));
    },
    async *decodeAudioStream(p: string, o: { sampleRate: number; signal?: AbortSignal }) {
      expect(o.sampleRate).toBe(RATE);
      expect(o.signal).toBe(ac.signal);
      const pcm = files[p]!;
      // Odd-sized chunks, so buckets straddle chunk boundaries.
      for (let i = 0; i < pcm.length; i += 333) yield pcm.subarray(i, i + 333);
    },
  };
  const audio = {
    async analyze(a: AudioValue, o: { progress?: (f: number) => void }) {
      analysed.push(a);
      o.progress?.(0.5);
      return { kind: 'features', beats: beats ?? [] } as unknown as FeaturesValue;
    },
  };
  const ctx: NodeContext = {
    nodeId: 'cut', nodeType: 'trim', signal: ac.signal,
    progress: (f, m) => progress.push([f, m]), warn: (m) => warnings.push(m), log: () => undefined, doNotCache: () => undefined,
    artifactDir: async () => '/art/cut',
    services: fakeServices({ media, audio }),
  };
  return { cuts, analysed, progress, warnings, ctx, signal: ac.signal };
}

const SRC = '/in/song.wav';
const song = (over: Partial<AudioValue> = {}): AudioValue => ({ kind: 'audio', path: SRC, durationSec: 4, sampleRate: 44100, channels: 2, label: 'song', ...over });

async function trim(p: Record<string, unknown>, o: { features?: number[]; analysedBeats?: number[]; audio?: Partial<AudioValue> } = {}) {
  const files: Record<string, Float32Array> = { [SRC]: source(4, (i) => Math.sin(i / 10) * 0.5) };
  const h = harness(files, o.analysedBeats);
  const features = o.features ? ({ kind: 'features', beats: o.features } as unknown as FeaturesValue) : undefined;
  const out = await trimNode.evaluate({ inputs: { audio: song(o.audio), features }, params: trimNode.params.parse(p), ctx: h.ctx });
  return { ...h, out: out.audio, files };
}

async function failure(p: Record<string, unknown>, o: { features?: number[] } = {}): Promise<string> {
  const e = await trim(p, o).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(S2VError);
  expect((e as S2VError).code).toBe('E106');
  return (e as S2VError).oneLine();
}

describe('trim: the span it cuts', () => {
  it('start + end: the cutter gets exactly that span, its fades and the signal; the output names it', async () => {
    const r = await trim({ start: 1.25, end: 3.5, fadeIn: 0.1, fadeOut: 0.2 });
    expect(r.cuts).toEqual([{ input: SRC, output: '/art/cut/trim.wav', startSec: 1.25, durationSec: 2.25, fadeInSec: 0.1, fadeOutSec: 0.2, signal: r.signal }]);
    expect(r.out).toMatchObject({ kind: 'audio', path: '/art/cut/trim.wav', durationSec: 2.25, sampleRate: 44100, channels: 2, label: 'song [1.25 s–3.5 s]' });
    expect(r.progress.at(-1)).toEqual([1, undefined]);
    expect(r.analysed).toEqual([]);
  });

  it('start + duration (duration wins over end); no end means the end of the audio', async () => {
    expect((await trim({ start: 0.5, duration: 1, end: 3 })).cuts[0]).toMatchObject({ startSec: 0.5, durationSec: 1 });
    expect((await trim({ start: 3.2 })).cuts[0]!.durationSec).toBeCloseTo(0.8, 12);
    expect((await trim({})).cuts[0]).toMatchObject({ startSec: 0, durationSec: 4 });
  });

  it('an end up to 50 ms past the audio is clamped to it; further is an error', async () => {
    expect((await trim({ start: 3, end: 4.05 })).cuts[0]!.durationSec).toBe(1);
    expect(await failure({ start: 3, end: 4.051 })).toBe('E106 node "cut": end 4.051 s is past the end of the audio (4 s) (hint: lower end/duration)');
  });

  it('refuses what cannot be cut, in one line naming the node', async () => {
    expect(await failure({ start: 4 })).toBe('E106 node "cut": start 4 s is past the end of the audio (4 s) (hint: lower start)');
    expect(await failure({ start: 2, end: 2 })).toBe('E106 node "cut": end 2 s must be after start 2 s');
    expect(await failure({ start: 2, end: 2.0099 })).toBe('E106 node "cut": trimmed span 0.01 s is shorter than 10 ms (hint: lower start or raise end/duration)');
    expect(await failure({ start: 1, end: 2, fadeIn: 0.6, fadeOut: 0.41 })).toBe('E106 node "cut": fades (0.6 s + 0.41 s) are longer than the trimmed span (1 s)');
  });

  it('exactly 10 ms, and fades exactly filling the span, are allowed', async () => {
    expect((await trim({ start: 0, duration: 0.01 })).cuts[0]!.durationSec).toBe(0.01);
    expect((await trim({ start: 1, end: 2, fadeIn: 0.5, fadeOut: 0.5 })).cuts[0]).toMatchObject({ durationSec: 1, fadeInSec: 0.5, fadeOutSec: 0.5 });
  });

  it('an exact upstream beat grid moves with the cut (ms precision); without one there is none', async () => {
    const r = await trim({ start: 1, end: 3 }, { audio: { beats: [0.5, 1, 1.2346, 2.9999, 3, 3.5] } });
    expect(r.out.beats).toEqual([0, 0.235, 2]);
    expect('beats' in (await trim({ start: 1, end: 3 })).out).toBe(false);
  });

  it('the label falls back to the file name', async () => {
    expect((await trim({ start: 1, end: 2 }, { audio: { label: undefined } })).out.label).toBe('song.wav [1 s–2 s]');
  });
});

describe('trim: snapping to beats', () => {
  it('start to the nearest beat, end to the nearest beat after the start', async () => {
    const r = await trim({ start: 1.1, end: 2.9, snapToBeat: true }, { features: [0.5, 1.25, 2, 2.75, 3.5] });
    expect(r.cuts[0]).toMatchObject({ startSec: 1.25, durationSec: 1.5 });
    // A tie goes to the earlier beat; the end never snaps onto or before the start.
    const tie = await trim({ start: 1.5, end: 1.6, snapToBeat: true }, { features: [1, 2, 3] });
    expect(tie.cuts[0]).toMatchObject({ startSec: 1, durationSec: 1 });
    const after = await trim({ start: 0.9, end: 1.05, snapToBeat: true }, { features: [1, 1.5, 3] });
    expect(after.cuts[0]).toMatchObject({ startSec: 1, durationSec: 0.5 });
  });

  it('an end beat past the audio clamps to its end', async () => {
    const r = await trim({ start: 3.3, snapToBeat: true }, { features: [1, 3.5, 4.6] });
    expect(r.cuts[0]).toMatchObject({ startSec: 3.5, durationSec: 0.5 });
  });

  it('without features it analyses the audio (progress up to 80 %) and snaps to what it finds', async () => {
    const r = await trim({ start: 0.9, end: 2.6, snapToBeat: true }, { analysedBeats: [0, 1, 2, 2.5, 3] });
    expect(r.analysed).toHaveLength(1);
    expect(r.analysed[0]!.path).toBe(SRC);
    expect(r.progress[0]).toEqual([0.4, 'finding beats']);
    expect(r.cuts[0]).toMatchObject({ startSec: 1, durationSec: 1.5 });
    // Connected features are used as they are.
    expect((await trim({ start: 0.9, end: 2.6, snapToBeat: true }, { features: [0, 1, 2, 2.5, 3] })).analysed).toEqual([]);
  });

  it('two beats are enough to snap to', async () => {
    const r = await trim({ start: 0.9, end: 2.2, snapToBeat: true }, { features: [1, 2] });
    expect(r.warnings).toEqual([]);
    expect(r.cuts[0]).toMatchObject({ startSec: 1, durationSec: 1 });
  });

  it('fewer than two beats: a warning, and the cut as asked; snapping off ignores beats', async () => {
    const r = await trim({ start: 0.25, end: 0.75, snapToBeat: true }, { features: [1] });
    expect(r.warnings).toEqual(['no beats found to snap to; cutting at the given times']);
    expect(r.cuts[0]).toMatchObject({ startSec: 0.25, durationSec: 0.5 });
    const off = await trim({ start: 0.25, end: 0.75 }, { features: [0, 1, 2] });
    expect(off.cuts[0]).toMatchObject({ startSec: 0.25, durationSec: 0.5 });
    expect(off.warnings).toEqual([]);
  });

  it('snapping that leaves no span says so, with the snapped times', async () => {
    expect(await failure({ start: 3.3, end: 3.4, snapToBeat: true }, { features: [1, 2, 3.5] }))
      .toBe('E106 node "cut": snapping to beats leaves no span (start 3.5 s, end 3.4 s) (hint: widen the span or turn off snap to beat)');
  });
});

describe('trim: waveform peaks', () => {
  it('min and max of every 1/50 s (160 samples at 8 kHz), rounded to 3 decimals, the last partial bucket kept', async () => {
    // A ramp: sample i = i / 10000 − 0.1, over 0.03 s + 10 samples.
    const pcm = Float32Array.from({ length: 250 }, (_, i) => i / 10000 - 0.1);
    const media = { async *decodeAudioStream() { yield pcm.subarray(0, 100); yield pcm.subarray(100); } };
    const p = await waveformPeaks(media as never, 'x');
    expect(p.bucketsPerSec).toBe(50);
    expect(p.min).toEqual([-0.1, Number((160 / 10000 - 0.1).toFixed(3))]);
    expect(p.max).toEqual([Number((159 / 10000 - 0.1).toFixed(3)), Number((249 / 10000 - 0.1).toFixed(3))]);
    // 100 buckets a second: 80 samples each.
    const fine = await waveformPeaks(media as never, 'x', { bucketsPerSec: 100 });
    expect(fine.min).toHaveLength(4);
    expect(fine.max[0]).toBeCloseTo(79 / 10000 - 0.1, 3);
    // An exact number of buckets leaves no empty one at the end.
    const exact = { async *decodeAudioStream() { yield new Float32Array(320).fill(0.25); } };
    expect(await waveformPeaks(exact as never, 'x')).toEqual({ bucketsPerSec: 50, min: [0.25, 0.25], max: [0.25, 0.25] });
  });

  it('the node adds the peaks of the trimmed file', async () => {
    const r = await trim({ start: 1, end: 1.5 });
    expect(r.out.peaks!.max).toHaveLength(25);
    const cut = r.files['/art/cut/trim.wav']!;
    expect(r.out.peaks!.max[0]).toBe(Math.round(Math.max(...cut.subarray(0, 160)) * 1000) / 1000);
    expect(r.out.peaks!.min[24]).toBe(Math.round(Math.min(...cut.subarray(24 * 160, 25 * 160)) * 1000) / 1000);
  });
});

describe('trim: what it declares', () => {
  it('an audio node: audio in (features optional, for the beats), audio out, params with safe defaults and bounds', () => {
    expect(trimNode).toMatchObject({ type: 'trim', category: 'audio', title: 'Trim', cache: 'pure' });
    expect(trimNode.inputs).toMatchObject({ audio: { type: 'audio' }, features: { type: 'features', optional: true } });
    expect(trimNode.inputs.audio).not.toHaveProperty('optional');
    expect(trimNode.outputs).toEqual({ audio: { type: 'audio' } });
    expect(trimNode.params.parse({})).toEqual({ start: 0, fadeIn: 0, fadeOut: 0, snapToBeat: false });
    for (const bad of [{ start: -1 }, { end: -0.5 }, { duration: 0 }, { fadeIn: -0.1 }, { fadeOut: -0.1 }, { snapToBeat: 'yes' }]) {
      expect(() => trimNode.params.parse(bad), JSON.stringify(bad)).toThrow();
    }
    // Every param has a studio control of the right kind (numbers in seconds, a toggle).
    expect(Object.fromEntries(Object.entries(trimNode.widgets ?? {}).map(([k, w]) => [k, [w!.kind, 'unit' in w! ? w.unit : undefined, 'min' in w! ? w.min : undefined]]))).toEqual({
      start: ['number', 's', 0], end: ['number', 's', 0], duration: ['number', 's', 0], fadeIn: ['number', 's', 0], fadeOut: ['number', 's', 0], snapToBeat: ['toggle', undefined, undefined],
    });
  });
});
