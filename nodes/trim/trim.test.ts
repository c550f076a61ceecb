import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S2VError, type AudioValue, type FeaturesValue } from '../../src/engine/index.js';
import { createMediaService } from '../../src/media/index.js';
import { trimNode } from './trim.node.js';
import { testContext } from '../../test/fixtures/audio/node-context.js';
import { clickTimes, clicksAt, clickTrack, tone } from '../../test/fixtures/audio/synth.js';

let dir: string;
let audio: AudioValue;
let clicks: AudioValue;
let clickBeats: number[];
/** Irregular clicks: any shift of the cut moves every one of them to a time no click had. */
const EVENTS = [0.35, 0.9, 1.62, 2.05, 2.87, 3.4, 4.13, 4.66];
let events: AudioValue;
const media = createMediaService();

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's2v-trim-'));
  const src = path.join(dir, 'tone.wav');
  await media.writeWav(src, tone({ freq: 220, durationSec: 4, amp: 0.5, sampleRate: 22050 }), 22050, 1);
  audio = { kind: 'audio', path: src, durationSec: 4, sampleRate: 22050, channels: 1, label: 'tone.wav' };
  const c = clickTrack({ bpm: 120, durationSec: 12 });
  const cp = path.join(dir, 'clicks.wav');
  await media.writeWav(cp, c.pcm, c.sampleRate, 1);
  clicks = { kind: 'audio', path: cp, durationSec: 12, sampleRate: c.sampleRate, channels: 1 };
  clickBeats = c.beats;
  const ep = path.join(dir, 'events.wav');
  await media.writeWav(ep, clicksAt(EVENTS, 5, 22050), 22050, 1);
  events = { kind: 'audio', path: ep, durationSec: 5, sampleRate: 22050, channels: 1, label: 'events.wav' };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const trim = (a: AudioValue, p: Record<string, unknown>, features?: FeaturesValue) =>
  trimNode.evaluate({ inputs: { audio: a, features }, params: trimNode.params.parse(p), ctx: testContext() });

describe('Trim', () => {
  it('cuts exactly at start and end: clicks at known times land at (time − start), none lost or added', async () => {
    const { audio: out } = await trim(events, { start: 1.5, end: 4.5 });
    const pcm = await media.decodeAudio(out.path, { sampleRate: 22050, channels: 1 });
    expect(pcm.length / 22050).toBeCloseTo(3, 2);
    const expected = EVENTS.filter((t) => t >= 1.5 && t < 4.5).map((t) => t - 1.5);
    const found = clickTimes(pcm, 22050);
    expect(found.length, `clicks found at ${found.map((t) => t.toFixed(3)).join(', ')}`).toBe(expected.length);
    found.forEach((t, i) => expect(Math.abs(t - expected[i]!), `click ${i} at ${t.toFixed(3)} s, expected ${expected[i]!.toFixed(3)} s`).toBeLessThan(0.003));
    // The same cut by duration, from a start between two clicks.
    const { audio: byDuration } = await trim(events, { start: 0.5, duration: 1.3 });
    const pcm2 = await media.decodeAudio(byDuration.path, { sampleRate: 22050, channels: 1 });
    const found2 = clickTimes(pcm2, 22050);
    expect(found2.map((t) => Math.round(t * 1000))).toEqual(EVENTS.filter((t) => t >= 0.5 && t < 1.8).map((t) => Math.round((t - 0.5) * 1000)));
  });

  it('cuts start + duration with fades into a WAV and adds peaks', async () => {
    const { audio: out } = await trim(audio, { start: 1, duration: 2, fadeIn: 0.5, fadeOut: 0.5 });
    const probe = await media.probe(out.path);
    expect(probe.audio!.durationSec).toBeCloseTo(2, 1);
    expect(out.durationSec).toBe(2);
    expect(out.label).toBe('tone.wav [1 s–3 s]');
    const pcm = await media.decodeAudio(out.path, { sampleRate: 22050, channels: 1 });
    const peakOf = (a: number, b: number) => Math.max(...Array.from(pcm.subarray(Math.round(a * 22050), Math.round(b * 22050)), Math.abs));
    expect(peakOf(0, 0.05)).toBeLessThan(0.1);
    expect(peakOf(0.9, 1.1)).toBeGreaterThan(0.45);
    expect(peakOf(1.95, 2)).toBeLessThan(0.1);
    expect(out.peaks!.bucketsPerSec).toBe(50);
    expect(out.peaks!.max.length).toBeGreaterThanOrEqual(99);
    expect(Math.max(...out.peaks!.max)).toBeGreaterThan(0.45);
    expect(Math.min(...out.peaks!.min)).toBeLessThan(-0.45);
  });

  it('end defaults to the end of the audio; end param works too', async () => {
    expect((await trim(audio, { start: 3 })).audio.durationSec).toBeCloseTo(1, 3);
    expect((await trim(audio, { start: 0.5, end: 1.5 })).audio.durationSec).toBeCloseTo(1, 3);
  });

  it.each([
    [{ start: 5 }, /start 5 s is past the end of the audio \(4 s\)/],
    [{ start: 1, end: 6 }, /end 6 s is past the end/],
    [{ start: 1, duration: 3.5 }, /end 4.5 s is past the end/],
    [{ start: 2, end: 1 }, /end 1 s must be after start 2 s/],
    [{ start: 0, duration: 1, fadeIn: 0.8, fadeOut: 0.5 }, /fades .* are longer than the trimmed span/],
    [{ start: 3.99999 }, /trimmed span 0 s is shorter than 10 ms/],
    [{ start: 1, end: 1.001 }, /trimmed span 0.001 s is shorter than 10 ms/],
    // No beat after the snapped start: the end would land before it.
    [{ start: 3.3, end: 3.4, snapToBeat: true }, /snapping to beats leaves no span \(start 3.5 s, end 3.4 s\)/],
    // Beats from a longer file: the start snaps past this audio's end.
    [{ start: 3.9, end: 4, snapToBeat: true, beats: [1, 4.5, 5] }, /snapping to beats leaves no span \(start 4.5 s, end 4 s\)/],
  ])('out of range %j → one clear error', async ({ beats, ...p }: Record<string, unknown>, msg) => {
    const features = { kind: 'features', beats: (beats as number[] | undefined) ?? [1, 2, 3.5] } as FeaturesValue;
    const e = await trim(audio, p, features).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(S2VError);
    expect((e as S2VError).oneLine()).toMatch(msg);
    expect((e as S2VError).oneLine()).toContain('node "n1"');
  });

  it('snaps to beats from a features input', async () => {
    const features = { kind: 'features', beats: [0.5, 1.25, 2.0, 2.75, 3.5] } as FeaturesValue;
    const { audio: out } = await trim(audio, { start: 1.1, end: 2.9, snapToBeat: true }, features);
    expect(out.label).toBe('tone.wav [1.25 s–2.75 s]');
    expect(out.durationSec).toBeCloseTo(1.5, 6);
  });

  it('snaps to beats it finds itself when no features are connected, and carries an exact beat grid', async () => {
    const { audio: out } = await trim({ ...clicks, beats: clickBeats }, { start: 2.2, end: 7.3, snapToBeat: true });
    const near = (t: number) => clickBeats.reduce((a, b) => (Math.abs(b - t) < Math.abs(a - t) ? b : a));
    const [, span] = out.label!.match(/\[(.*)\]/)!;
    const [a, b] = span!.split('–').map((s) => parseFloat(s));
    expect(Math.abs(a! - near(2.2))).toBeLessThan(0.03);
    expect(Math.abs(b! - near(7.3))).toBeLessThan(0.03);
    expect(out.beats![0]).toBeCloseTo(near(2.2) - a!, 1);
  });
});

describe('Trim output value', () => {
  it('passes sample rate and channels on, names the span, and moves an exact beat grid with the cut', async () => {
    const { audio: out } = await trim({ ...events, beats: EVENTS, label: undefined }, { start: 1.5, end: 4.5 });
    expect(out).toMatchObject({ kind: 'audio', durationSec: 3, sampleRate: 22050, channels: 1, label: 'events.wav [1.5 s–4.5 s]' });
    expect(out.beats).toEqual(EVENTS.filter((t) => t >= 1.5 && t < 4.5).map((t) => Math.round((t - 1.5) * 1000) / 1000));
    // No grid in, no grid out (detected beats stay in the features value).
    const { audio: plain } = await trim(events, { start: 1.5, end: 4.5 });
    expect('beats' in plain).toBe(false);
  });

  it('waveform peaks: 50 buckets a second; loud where the clicks are, exactly silent between them', async () => {
    const { audio: out } = await trim(events, { start: 1.5, end: 4.5 });
    const { peaks } = out;
    expect(peaks!.max).toHaveLength(150);
    expect(peaks!.min).toHaveLength(150);
    const loud = new Set(EVENTS.filter((t) => t >= 1.5 && t < 4.5).map((t) => Math.floor((t - 1.5) * 50)));
    peaks!.max.forEach((m, i) => {
      // A click rings for ~25 ms and the 8 kHz resampler rings a little before it: buckets
      // more than 2 away from every click are exactly silent.
      const near = [-2, -1, 0, 1, 2].some((d) => loud.has(i + d));
      if (loud.has(i)) expect(m, `bucket ${i}`).toBeGreaterThan(0.4);
      else if (!near) expect([m, peaks!.min[i]], `bucket ${i}`).toEqual([0, 0]);
    });
    for (const v of [...peaks!.max, ...peaks!.min]) expect(Math.round(v * 1000) / 1000).toBe(v);
  });

  it('snapping: start to the nearest beat, end to the nearest beat after it; fewer than two beats warns and cuts as asked', async () => {
    const features = { kind: 'features', beats: [0.5, 1.0, 1.6, 2.0] } as FeaturesValue;
    const { audio: a } = await trim(audio, { start: 0.74, end: 0.8, snapToBeat: true }, features);
    // start 0.74 → 0.5 (nearer than 1.0); end 0.8 → nearest beat after 0.5 = 1.0.
    expect(a.label).toBe('tone.wav [0.5 s–1 s]');
    const ctx = testContext();
    const { audio: b } = await trimNode.evaluate({ inputs: { audio, features: { kind: 'features', beats: [1] } as FeaturesValue }, params: trimNode.params.parse({ start: 0.2, end: 0.7, snapToBeat: true }), ctx });
    expect(ctx.warnings).toEqual(['no beats found to snap to; cutting at the given times']);
    expect(b.label).toBe('tone.wav [0.2 s–0.7 s]');
    // End beyond the last beat stays at the end of the audio when the nearest beat is past it.
    const { audio: c } = await trim(audio, { start: 3.3, snapToBeat: true }, { kind: 'features', beats: [1, 3.5, 4.6] } as FeaturesValue);
    expect(c.label).toBe('tone.wav [3.5 s–4 s]');
  });

  it('fades that exactly fill the span are allowed; an end up to 50 ms past the audio is clamped to it', async () => {
    const { audio: a } = await trim(audio, { start: 3, fadeIn: 0.5, fadeOut: 0.5 });
    expect(a.durationSec).toBeCloseTo(1, 9);
    const { audio: b } = await trim(audio, { start: 3, end: 4.04 });
    expect(b.durationSec).toBeCloseTo(1, 9);
    const e = await trim(audio, { start: 3, end: 4.06 }).catch((x: unknown) => x as S2VError);
    expect((e as S2VError).oneLine()).toBe('E106 node "n1": end 4.06 s is past the end of the audio (4 s) (hint: lower end/duration)');
  });
});

