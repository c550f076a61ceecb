import { runSync } from '../../test/support/processes.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { micNode } from './mic.node.js';
import { testContext } from '../../test/fixtures/audio/node-context.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 's2v-mic-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('Mic', () => {
  // What browser MediaRecorders produce: WebM/Opus (Chrome, Firefox) and MP4/AAC (Safari).
  it.each([
    ['take.webm', ['-c:a', 'libopus']],
    ['take.mp4', ['-c:a', 'aac']],
  ])('reads a recorded %s asset and labels it "Mic"', async (name, codec) => {
    const file = path.join(dir, name);
    runSync(FFMPEG, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=f=300:d=1:sample_rate=48000', ...codec, file]);
    const ctx = testContext();
    const out = await micNode.evaluate({ inputs: {}, params: micNode.params.parse({ path: file }), ctx });
    expect(out.audio).toMatchObject({ kind: 'audio', path: file, label: 'Mic', sampleRate: 48000, channels: 1 });
    expect(out.audio.durationSec).toBeGreaterThan(0.9);
    expect(micNode.cache).toBe('fingerprint');
  });

  it('says so when nothing was recorded yet', async () => {
    const e = await micNode.evaluate({ inputs: {}, params: micNode.params.parse({}), ctx: testContext() }).catch((err: Error) => err);
    expect(String((e as Error).message)).toMatch(/no audio file chosen/);
  });
});
