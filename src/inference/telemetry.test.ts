import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMediaService } from '../media/index.js';
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

  it('a user who sets ORT_DISABLE_TELEMETRY themselves keeps their choice (what the test above relies on onnxruntime to do when it is not set)', () => {
    const home = mkdtempSync(path.join(dir, 'home-'));
    const o = analyzeWithHome(home, { ORT_DISABLE_TELEMETRY: '0' });
    expect(o.code, o.stderr).toBe(0);
    expect(existsSync(path.join(home, '.cache', 'Microsoft'))).toBe(true);
  }, 90_000);
});
