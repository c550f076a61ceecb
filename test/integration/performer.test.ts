/**
 * The performer's acceptance on a real render (512×512 @ 24, real onnxruntime + ffmpeg):
 * espeak-ng speech with phoneme timings between known silences, the shipped portrait.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Services } from '../../src/engine/index.js';
import { createServices } from '../../src/runtime/index.js';
import { runPerformer, type PerformerRun } from '../support/performer-run.js';

let services: Services;
let dir: string;
let run: PerformerRun;

beforeAll(async () => {
  services = createServices({});
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-performer-'));
  run = await runPerformer(services, dir);
  console.log(JSON.stringify(run, (_, v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v)));
}, 300_000);

afterAll(async () => {
  await (services?.inference as unknown as { dispose?: () => Promise<void> })?.dispose?.();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('performer on a real render', () => {
  it('finds the face (no fallback warning)', () => {
    expect(run.warnings).toEqual([]);
  });

  it('the upper face (eyes, brows, forehead) departs > 15 grey levels from its median in ≤ 1 % of frames', () => {
    expect(run.upperFaceOver15).toBeLessThanOrEqual(0.01);
  });

  it('the mouth moves ≥ 3× as much during speech as during silence', () => {
    expect(run.motionSpeech).toBeGreaterThanOrEqual(3 * run.motionSilence);
  });

  it('the rendered mouth opening follows the phonemes\u2019 openness (r ≥ 0.5)', () => {
    expect(run.openingR).toBeGreaterThanOrEqual(0.5);
  });

  // espeak-ng's default voice "en" and these sentences are held out of the bilabial detector's training.
  it('the rendered lips are shut (no inside of the mouth showing) on ≥ 80 % of p/b/m frames, and open on most other speech frames', () => {
    expect(run.bilabialFrames).toBeGreaterThan(10);
    expect(run.closedOnBilabials).toBeGreaterThanOrEqual(0.8);
    expect(run.closedOnOther).toBeLessThan(0.6);
    expect(run.openingOpenVowel).toBeGreaterThan(3 * run.openingBilabial);
  });
});
