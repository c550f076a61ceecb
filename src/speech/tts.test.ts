/**
 * The speech service on this machine's engine (espeak-ng; `say` on macOS): the errors a user
 * reads when there is nothing to say, no engine, or a cancel — and nothing written then.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isS2VError } from '../engine/index.js';
import { createMediaService } from '../media/index.js';
import { createSpeechService, findTtsEngine } from './index.js';

const media = createMediaService();
const speech = createSpeechService({ media });
let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-tts-test-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('speech service', () => {
  it('speaks into a stereo 44.1 kHz WAV whose length it reports', async () => {
    const out = path.join(tmp, 'hello.wav');
    const { durationSec, engine } = await speech.speak({ text: 'Hello there.', outPath: out });
    expect(engine).toBe(process.platform === 'darwin' ? 'say' : 'espeak-ng');
    const probe = await media.probe(out);
    expect(probe.audio).toMatchObject({ sampleRate: 44100, channels: 2 });
    expect(Math.abs(probe.audio!.durationSec - durationSec)).toBeLessThan(0.05);
    expect(durationSec).toBeGreaterThan(0.3);
  }, 30_000);

  it('empty text is E107 "no text to speak" and nothing is written', async () => {
    const out = path.join(tmp, 'empty-speech.wav');
    const err = await speech.speak({ text: ' \n ', outPath: out, where: 'speech' }).catch((e) => e);
    expect(isS2VError(err) && err.code).toBe('E107');
    expect(err.oneLine()).toMatch(/speech: no text to speak/);
    await expect(fs.stat(out)).rejects.toThrow();
  });

  it('no TTS engine on PATH is E122 saying what to install, for the platform', async () => {
    const linux = await findTtsEngine('linux', '/nonexistent').catch((e) => e);
    expect(isS2VError(linux) && linux.code).toBe('E122');
    expect(linux.oneLine()).toMatch(/apt install espeak-ng/);
    const mac = await findTtsEngine('darwin', '').catch((e) => e);
    expect(mac.oneLine()).toMatch(/say/);
    const service = createSpeechService({ media, platform: 'linux', pathEnv: '/nonexistent' });
    const viaService = await service.speak({ text: 'hi', outPath: path.join(tmp, 'none.wav'), where: 'node "voice"' }).catch((e) => e);
    expect(viaService.oneLine()).toMatch(/^E122 node "voice": speech mode needs a text-to-speech engine/);
  });

  it('cancel kills the engine: E121 and nothing written', async () => {
    const ac = new AbortController();
    const out = path.join(tmp, 'cancelled.wav');
    const p = speech.speak({ text: 'word '.repeat(3000), outPath: out, signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const err = await p.catch((e) => e);
    expect(isS2VError(err) && err.code).toBe('E121');
    await expect(fs.stat(out)).rejects.toThrow();
  });
});
