import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../../test/support/processes.js';
import { makePhonemeSpeech } from '../../test/fixtures/audio/phonemes.js';
import { FFMPEG } from '../../test/support/ffmpeg.js';
import { classifyVisemes, VISEMES } from './visemes.js';
import { VisemeThread } from './viseme-thread.js';

const FPS = 24;
let dir: string;
let pcm: Float32Array;
let frames: number;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 's2v-viseme-thread-'));
  const speech = makePhonemeSpeech(dir, 'Papa made a map. Oh, you see a big bubble?');
  pcm = new Float32Array(runSync(FFMPEG, ['-v', 'error', '-i', speech.path, '-f', 'f32le', '-ac', '1', '-ar', '16000', '-']).buffer.slice(0));
  frames = Math.ceil(speech.durationSec * FPS);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('viseme classifier thread', () => {
  it('gives exactly the weights of a pass on this thread, for the whole file and for a slice of it, and leaves the caller\u2019s samples alone', async () => {
    const thread = new VisemeThread();
    try {
      thread.start();
      const whole = await thread.classify(pcm, FPS, frames);
      expect(whole).toEqual(classifyVisemes(pcm, FPS, frames));
      // Some frames are not silence: the comparison is not between two empty tracks.
      expect(Array.from({ length: frames }, (_, i) => whole[i * VISEMES.length]!).filter((sil) => sil < 0.5).length).toBeGreaterThan(frames / 4);
      const slice = pcm.subarray(16000, 48000);
      const before = Float32Array.from(slice);
      expect(await thread.classify(slice, FPS, 48)).toEqual(classifyVisemes(before, FPS, 48));
      expect(slice).toEqual(before);
    } finally {
      await thread.stop();
    }
  }, 60_000);

  it('stops when idle and starts again for the next call, with the same answer', async () => {
    const thread = new VisemeThread(50);
    try {
      const first = await thread.classify(pcm, FPS, frames);
      expect(thread.alive).toBe(true);
      await new Promise((r) => setTimeout(r, 300));
      expect(thread.alive).toBe(false);
      expect(await thread.classify(pcm, FPS, frames)).toEqual(first);
    } finally {
      await thread.stop();
    }
  }, 60_000);

  it('a thread started for work that never comes stops like an idle one', async () => {
    const thread = new VisemeThread(50);
    thread.start();
    expect(thread.alive).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(thread.alive).toBe(false);
  });

  it('stop() with a call in flight: the call is answered on the calling thread, not left hanging', async () => {
    const thread = new VisemeThread();
    const inFlight = thread.classify(pcm, FPS, frames);
    await thread.stop();
    expect(await inFlight).toEqual(classifyVisemes(pcm, FPS, frames));
  }, 60_000);

  it('when its thread dies, the calls in flight and later ones are answered on the calling thread', async () => {
    const thread = new VisemeThread();
    thread.start();
    const inFlight = thread.classify(pcm, FPS, frames);
    // Kill the thread from inside, as a crash would (not via stop(), which is on purpose).
    (thread as unknown as { running: { worker: { terminate(): Promise<number> } } }).running.worker.terminate();
    const want = classifyVisemes(pcm, FPS, frames);
    expect(await inFlight).toEqual(want);
    expect(thread.alive).toBe(false);
    expect(await thread.classify(pcm, FPS, frames)).toEqual(want);
  }, 60_000);
});
