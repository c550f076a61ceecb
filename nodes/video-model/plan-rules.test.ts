/**
 * The long-audio planner's rules one at a time, each on a case worked out by hand (plan.test.ts
 * checks the invariants on every shipped grid): where a cut may fall and which boundary wins,
 * the extend layout, the audio sent with each request, and the one-line description.
 */
import { describe, expect, it } from 'vitest';
import type { FrameGrid } from '../../src/engine/index.js';
import { describePlan, extendLayout, planGeneration, type PlanInput } from './plan.js';

/** 10 fps, 1 + 2n frames up to 101: a chain request keeps at most 100 frames (10 s). */
const grid: FrameGrid = { fps: 10, base: 1, step: 2, maxFrames: 101 };
const none = { beats: [], downbeats: [], sections: [], speech: [] as Array<[number, number]> };
const plan = (durationSec: number, features: Partial<NonNullable<PlanInput['features']>> = {}, over: Partial<PlanInput> = {}) =>
  planGeneration({ durationSec, grid, longAudio: 'chain', features: { ...none, ...features }, ...over });
const cuts = (p: ReturnType<typeof plan>) => p.segments.map((s) => [s.frames, s.cut]);

describe('where the planner cuts', () => {
  it('with nothing to cut on: at the limit (100 kept frames), the rest in the last segment', () => {
    expect(cuts(plan(25))).toEqual([[100, 'limit'], [100, 'limit'], [50, 'end']]);
    expect(cuts(plan(10))).toEqual([[100, 'end']]);
  });

  it('only in the last 40 % of a request: a beat before frame 60 is not used', () => {
    expect(cuts(plan(15, { beats: [5.9] }))).toEqual([[100, 'limit'], [50, 'end']]);
    expect(cuts(plan(15, { beats: [6.0] }))).toEqual([[60, 'beat'], [90, 'end']]);
    expect(cuts(plan(15, { beats: [10.0] }))).toEqual([[100, 'beat'], [50, 'end']]);
    expect(cuts(plan(15, { beats: [10.1] }))).toEqual([[100, 'limit'], [50, 'end']]);
  });

  it('the latest boundary of the best kind: a phrase over a downbeat over a beat, whatever their order', () => {
    expect(cuts(plan(15, { beats: [7, 9], downbeats: [6.5] }))).toEqual([[65, 'downbeat'], [85, 'end']]);
    expect(cuts(plan(15, { beats: [7, 9], downbeats: [6.5, 8] }))).toEqual([[80, 'downbeat'], [70, 'end']]);
    expect(cuts(plan(15, { beats: [9], downbeats: [8], sections: [6.2] }))).toEqual([[62, 'phrase'], [88, 'end']]);
    expect(cuts(plan(15, { beats: [7, 9] }))).toEqual([[90, 'beat'], [60, 'end']]);
  });

  it('a pause of at least 0.15 s between vocal phrases is a phrase cut in its middle; a shorter one is not', () => {
    expect(cuts(plan(15, { speech: [[0, 7], [7.2, 15]] }))).toEqual([[71, 'phrase'], [79, 'end']]);
    expect(cuts(plan(15, { speech: [[0, 7], [7.14, 15]], beats: [9.5] }))).toEqual([[100, 'limit'], [50, 'end']]);
  });

  it('never a beat or downbeat inside a word, but one in a pause is fine', () => {
    const speech: Array<[number, number]> = [[0, 8.9], [9.1, 15]];
    // 9.0 s falls in the pause (a phrase cut at 9.0 too); 8.5 s is inside the first phrase.
    expect(cuts(plan(15, { speech, beats: [8.5], downbeats: [] }))).toEqual([[90, 'phrase'], [60, 'end']]);
    expect(cuts(plan(15, { speech: [[0, 15]], beats: [8.5], downbeats: [7.5] }))).toEqual([[100, 'limit'], [50, 'end']]);
    expect(cuts(plan(15, { speech: [[0, 8.5]], beats: [8.5] }))).toEqual([[85, 'beat'], [65, 'end']]);
  });

  it('a cap below the model limit makes shorter segments; at least one frame each', () => {
    expect(cuts(plan(5, {}, { maxSegmentFrames: 20 }))).toEqual([[20, 'limit'], [20, 'limit'], [10, 'end']]);
    expect(plan(0.3, {}, { maxSegmentFrames: 0 }).segments.map((s) => s.frames)).toEqual([1, 1, 1]);
  });

  it('without features: cuts at the limit', () => {
    expect(planGeneration({ durationSec: 15, grid, longAudio: 'chain' }).segments.map((s) => s.cut)).toEqual(['limit', 'end']);
  });
});

describe('what each request holds', () => {
  it('continuing segments repeat the last frame; the audio starts there and never runs past the file', () => {
    const p = plan(12.34);
    expect(p.frames).toBe(124);
    expect(p.segments).toEqual([
      { index: 0, startSec: 0, endSec: 10, frames: 100, genFrames: 101, dropFirst: 0, audioStartSec: 0, audioDurationSec: 10.1, cut: 'limit' },
      { index: 1, startSec: 10, endSec: 12.34, frames: 24, genFrames: 25, dropFirst: 1, audioStartSec: 9.9, audioDurationSec: 12.34 - 9.9, cut: 'end' },
    ]);
  });

  it('extend layout: as few equal chunks on the grid as hold the frames', () => {
    const wan: FrameGrid = { fps: 16, base: 1, step: 4, maxFrames: 77 };
    expect(extendLayout(10, wan)).toEqual({ chunkFrames: 13, extendSteps: 0, genFrames: 13 });
    expect(extendLayout(77, wan)).toEqual({ chunkFrames: 77, extendSteps: 0, genFrames: 77 });
    expect(extendLayout(78, wan)).toEqual({ chunkFrames: 41, extendSteps: 1, genFrames: 82 });
    expect(extendLayout(154, wan)).toEqual({ chunkFrames: 77, extendSteps: 1, genFrames: 154 });
    expect(extendLayout(155, wan)).toEqual({ chunkFrames: 53, extendSteps: 2, genFrames: 159 });
    // A grid whose maximum is not on it: the largest grid value below it.
    expect(extendLayout(100, { fps: 16, base: 1, step: 4, maxFrames: 79 })).toEqual({ chunkFrames: 53, extendSteps: 1, genFrames: 106 });
    expect(() => extendLayout(10, { fps: 16, base: 5, step: 4, maxFrames: 3 })).toThrow('frame grid max 3 is below its base 5');
    // A grid that holds only its base: chunks of exactly that.
    expect(extendLayout(10, { fps: 16, base: 5, step: 4, maxFrames: 5 })).toEqual({ chunkFrames: 5, extendSteps: 1, genFrames: 10 });
  });

  it('an extend request holds up to 4 chunks: 4 × 101 − 1 = 403 kept frames', () => {
    const p = planGeneration({ durationSec: 50, grid, longAudio: 'extend' });
    expect(p.segments.map((s) => [s.frames, s.chunkFrames, s.extendSteps, s.genFrames])).toEqual([[403, 101, 3, 404], [97, 99, 0, 99]]);
  });

  it('describes each segment, with the extend steps when there are some', () => {
    const lines = describePlan(planGeneration({ durationSec: 12.34, grid, longAudio: 'extend', maxSegmentFrames: 150 }));
    // 124 kept frames in two equal chunks of 63 (the grid value ≥ 62).
    expect(lines).toEqual(['segment 1/1: 0.00–12.34 s, 126 frames (63 + 1×63 extend) @ 10 fps, cut at end']);
    expect(describePlan(plan(12.34))).toEqual([
      'segment 1/2: 0.00–10.00 s, 101 frames @ 10 fps, cut at limit',
      'segment 2/2: 10.00–12.34 s, 25 frames @ 10 fps, cut at end',
    ]);
  });
});
