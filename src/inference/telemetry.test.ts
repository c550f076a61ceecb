import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMediaService } from '../media/index.js';
import { quietOnnxruntime } from './pool.js';
import { clickTrack } from '../../test/fixtures/audio/synth.js';
import { outcomeSync } from '../../test/support/processes.js';

const S2V = path.resolve(import.meta.dirname, '../../bin/s2v.js');
let dir: string;
let wav: string;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 's2v-telemetry-'));
  wav = path.join(dir, 'clicks.wav');
  const c = clickTrack({ bpm: 120, durationSec: 3 });
  await createMediaService().writeWav(wav, c.pcm, c.sampleRate, 1);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `s2v analyze` (which loads onnxruntime in the VAD's worker) with `home` as HOME and TMPDIR. */
function analyzeWithHome(home: string, env: NodeJS.ProcessEnv = {}) {
  const base = { ...process.env };
  delete base.ORT_DISABLE_TELEMETRY;
  return outcomeSync(process.execPath, [S2V, 'analyze', wav], { timeoutMs: 60_000, env: { ...base, HOME: home, TMPDIR: home, ...env } });
}

describe('onnxruntime telemetry', () => {
  it('is off: loading a model writes nothing under HOME or the temp folder', () => {
    const home = mkdtempSync(path.join(dir, 'home-'));
    const o = analyzeWithHome(home);
    expect(o.code, o.stderr).toBe(0);
    // onnxruntime-node 1.30 with telemetry on: ~/.cache/Microsoft/DeveloperTools/.onnxruntime/onnxruntime.db and $TMPDIR/mat-debug-<pid>.log.
    expect(readdirSync(home)).toEqual([]);
  }, 90_000);

  // Not by running onnxruntime with telemetry on: that would queue uploads to a third party from `npm test`.
  it('a user who sets ORT_DISABLE_TELEMETRY themselves keeps their choice; unset, it becomes 1', () => {
    const before = process.env.ORT_DISABLE_TELEMETRY;
    try {
      process.env.ORT_DISABLE_TELEMETRY = '0';
      quietOnnxruntime();
      expect(process.env.ORT_DISABLE_TELEMETRY).toBe('0');
      delete process.env.ORT_DISABLE_TELEMETRY;
      quietOnnxruntime();
      expect(process.env.ORT_DISABLE_TELEMETRY).toBe('1');
    } finally {
      if (before === undefined) delete process.env.ORT_DISABLE_TELEMETRY;
      else process.env.ORT_DISABLE_TELEMETRY = before;
    }
  });
});
