import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FrameGrid } from '../../src/engine/index.js';
import { MAX_EXTEND_STEPS, describePlan, onGrid, planGeneration, type GenerationPlan } from './plan.js';

/** The grids our remote models use (their manifests hold the same numbers). */
const grids: Array<{ name: string; grid: FrameGrid; longAudio: 'extend' | 'chain' }> = [
  { name: 'Wan 2.2 S2V on ComfyUI (chunks of 4k+1 ≤ 77, Extend steps)', grid: { fps: 16, base: 1, step: 4, maxFrames: 77 }, longAudio: 'extend' },
  { name: 'Wan 2.2 S2V on Sogni (16·s + 1)', grid: { fps: 16, base: 1, step: 16, maxFrames: 161 }, longAudio: 'chain' },
  { name: 'LTX-2.3 (1 + 8n)', grid: { fps: 25, base: 1, step: 8, maxFrames: 241 }, longAudio: 'chain' },
  { name: 'MiniMax H3 (124 + 17n)', grid: { fps: 25, base: 124, step: 17, maxFrames: 260 }, longAudio: 'chain' },
];

const onTheGrid = (n: number, g: FrameGrid) => n >= g.base && (n - g.base) % g.step === 0;

/** Everything a plan must satisfy, whatever the audio and grid. */
function checkCovers(plan: GenerationPlan, durationSec: number, g: FrameGrid, longAudio: 'extend' | 'chain') {
  const kept = plan.segments.reduce((a, s) => a + s.frames, 0);
  // Covers the audio, and by less than one frame more.
  expect(kept).toBe(plan.frames);
  expect(kept / g.fps).toBeGreaterThanOrEqual(durationSec - 1e-9);
  expect((kept - 1) / g.fps).toBeLessThan(durationSec);
  let at = 0;
  for (const s of plan.segments) {
    expect(s.startSec).toBeCloseTo(at / g.fps, 9);
    at += s.frames;
    expect(s.dropFirst).toBe(s.index === 0 ? 0 : 1);
    expect(s.genFrames).toBeGreaterThanOrEqual(s.frames + s.dropFirst);
    if (longAudio === 'extend') {
      expect(onTheGrid(s.chunkFrames!, g)).toBe(true);
      expect(s.chunkFrames!).toBeLessThanOrEqual(g.maxFrames);
      expect(s.extendSteps!).toBeLessThanOrEqual(MAX_EXTEND_STEPS);
      expect(s.genFrames).toBe(s.chunkFrames! * (s.extendSteps! + 1));
    } else {
      expect(onTheGrid(s.genFrames, g)).toBe(true);
      expect(s.genFrames).toBeLessThanOrEqual(g.maxFrames);
      // The smallest request that holds the segment: one grid step less would not.
      expect(s.genFrames - g.step < s.frames + s.dropFirst || s.genFrames === g.base).toBe(true);
    }
    // The audio sent starts at the repeated frame and never runs past the file.
    expect(s.audioStartSec).toBeCloseTo((at - s.frames - s.dropFirst) / g.fps, 9);
    expect(s.audioStartSec + s.audioDurationSec).toBeLessThanOrEqual(durationSec + 1e-9);
  }
  expect(plan.segments.at(-1)!.cut).toBe('end');
}

describe('long-audio plan: frames cover the audio exactly on each model grid', () => {
  for (const { name, grid, longAudio } of grids) {
    for (const seconds of [3, 4.9, 13.7, 61]) {
      it(`${name}: ${seconds} s`, () => {
        const plan = planGeneration({ durationSec: seconds, grid, longAudio });
        checkCovers(plan, seconds, grid, longAudio);
        expect(plan.frames).toBe(Math.ceil(seconds * grid.fps - 1e-9));
      });
    }
  }

  // Every remote model the registry ships (ComfyUI and Sogni manifests), on its own grid.
  const modelsDir = path.resolve(import.meta.dirname, '../../models');
  const remote = fs.readdirSync(modelsDir).flatMap((d) => {
    const f = path.join(modelsDir, d, 'manifest.json');
    if (!fs.existsSync(f)) return [];
    const m = JSON.parse(fs.readFileSync(f, 'utf8')) as { id: string; kind: string; grid: FrameGrid; longAudio: 'extend' | 'chain' };
    return m.kind === 'comfyui' || m.kind === 'sogni' ? [m] : [];
  });
  it('covers every shipped remote model', () => expect(remote.length).toBeGreaterThanOrEqual(10));
  for (const m of remote) {
    it(`${m.id} (fps ${m.grid.fps}, ${m.grid.base} + ${m.grid.step}n ≤ ${m.grid.maxFrames}): 3, 4.9, 13.7 and 61 s are covered exactly`, () => {
      for (const seconds of [3, 4.9, 13.7, 61]) checkCovers(planGeneration({ durationSec: seconds, grid: m.grid, longAudio: m.longAudio }), seconds, m.grid, m.longAudio);
    });
  }

  it('Wan on ComfyUI: 4.9 s is one request of 1 base clip + 1 Extend step of 41 frames (82 ≥ 79)', () => {
    const plan = planGeneration({ durationSec: 4.9, grid: grids[0]!.grid, longAudio: 'extend' });
    expect(plan.frames).toBe(79);
    expect(plan.segments).toHaveLength(1);
    expect(plan.segments[0]).toMatchObject({ chunkFrames: 41, extendSteps: 1, genFrames: 82 });
  });

  it('Wan on ComfyUI: 61 s is split into requests of at most 1 + 3 Extend steps', () => {
    const plan = planGeneration({ durationSec: 61, grid: grids[0]!.grid, longAudio: 'extend' });
    expect(plan.segments.length).toBe(4);
    // 976 frames: three full requests (4 chunks of 77 hold 307 kept frames + the repeated one), then the rest.
    expect(plan.segments.map((s) => s.extendSteps)).toEqual([3, 3, 3, 0]);
    expect(plan.segments.map((s) => s.frames)).toEqual([307, 307, 307, 55]);
  });

  it('cuts at a pause between vocal phrases before a downbeat, and never inside a word', () => {
    const grid = grids[2]!.grid; // LTX: 241 frames = 9.64 s per request
    const features = {
      beats: [7.0, 7.5, 8.0, 8.5, 9.0, 9.5],
      downbeats: [7.0, 9.0],
      sections: [],
      // Singing from 0 to 8.2 s, a pause, then again from 8.6 s.
      speech: [[0, 8.2], [8.6, 13.7]] as Array<[number, number]>,
    };
    const plan = planGeneration({ durationSec: 13.7, grid, longAudio: 'chain', features });
    expect(plan.segments[0]!.cut).toBe('phrase');
    expect(plan.segments[0]!.endSec).toBeCloseTo(Math.round(8.4 * 25) / 25, 6);
    checkCovers(plan, 13.7, grid, 'chain');

    const noPause = planGeneration({ durationSec: 13.7, grid, longAudio: 'chain', features: { ...features, speech: [] } });
    expect(noPause.segments[0]!.cut).toBe('downbeat');
    expect(noPause.segments[0]!.endSec).toBeCloseTo(9.0, 6);
  });

  it('falls back to a hard cut at the limit when the audio has no beats or pauses', () => {
    const grid = grids[2]!.grid;
    const plan = planGeneration({ durationSec: 30, grid, longAudio: 'chain', features: { beats: [], downbeats: [], sections: [], speech: [] } });
    expect(plan.segments[0]!.cut).toBe('limit');
    expect(plan.segments[0]!.genFrames).toBe(241);
    checkCovers(plan, 30, grid, 'chain');
  });

  it('onGrid rounds up to base + k·step', () => {
    expect(onGrid(0, { base: 124, step: 17 })).toBe(124);
    expect(onGrid(125, { base: 124, step: 17 })).toBe(141);
    expect(onGrid(49, { base: 1, step: 16 })).toBe(49);
    expect(onGrid(50, { base: 1, step: 16 })).toBe(65);
  });

  it('describes each segment in one line before anything runs', () => {
    const lines = describePlan(planGeneration({ durationSec: 13.7, grid: grids[2]!.grid, longAudio: 'chain' }));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^segment 1\/2: 0\.00–9\.\d\d s, \d+ frames @ 25 fps, cut at limit$/);
  });

  it('refuses a zero or non-finite duration', () => {
    expect(() => planGeneration({ durationSec: 0, grid: grids[0]!.grid, longAudio: 'extend' })).toThrow(/positive/);
    expect(() => planGeneration({ durationSec: Number.NaN, grid: grids[0]!.grid, longAudio: 'extend' })).toThrow(/positive/);
  });
});
