/**
 * How Audio Generate uses the speech service (a recording stand-in, so no engine runs): what it
 * asks for, where the WAV goes, what it reports, and that music never touches speech.
 */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { S2VError, codeFingerprint, isS2VError } from '../../src/engine/index.js';
import { createMediaService } from '../../src/media/index.js';
import { recordingSpeech } from '../../test/support/fake-text-services.js';
import { recordingContext } from '../../test/support/node-context.js';
import { audioGenerateNode } from './audio-generate.node.js';
import { fakeServices } from '../../test/support/fake-services.js';

const params = (over: Record<string, unknown>) => audioGenerateNode.params.parse(over);

function run(speech: ReturnType<typeof recordingSpeech>, over: Record<string, unknown>, prompt?: string) {
  const services = fakeServices({ media: createMediaService(), speech });
  const rec = recordingContext({ services, nodeId: 'voice', nodeType: 'audio-generate' });
  return { rec, result: audioGenerateNode.evaluate({ inputs: { prompt }, params: params(over), ctx: rec.ctx }) };
}

describe('audio-generate speech mode through ctx.services.speech', () => {
  it('asks for the connected text over the param, with the voice, the run signal and the node named', async () => {
    const speech = recordingSpeech({ durationSec: 2.25 });
    const { rec, result } = run(speech, { mode: 'speech', prompt: 'ignored', voice: 'en-gb+f3' }, '  Good evening.  ');
    const { audio } = await result;
    expect(speech.requests).toHaveLength(1);
    const req = speech.requests[0]!;
    expect(req).toMatchObject({ text: 'Good evening.', voice: 'en-gb+f3', where: 'node "voice"' });
    expect(req.signal).toBe(rec.ctx.signal);
    expect(path.basename(req.outPath)).toBe('speech.wav');
    expect(audio).toEqual({ kind: 'audio', path: req.outPath, durationSec: 2.25, sampleRate: 44100, channels: 2, label: 'speech: Good evening.' });
    expect(rec.logs).toContain('speech by espeak-ng');
  });

  it('an empty voice param means the engine default (no voice sent)', async () => {
    const speech = recordingSpeech();
    await run(speech, { mode: 'speech', prompt: 'hello', voice: '' }).result;
    expect(speech.requests[0]!.voice).toBeUndefined();
  });

  it("the service's error reaches the run unchanged", async () => {
    const speech = recordingSpeech({ error: new S2VError('E122', 'speech mode needs a text-to-speech engine', { where: 'node "voice"' }) });
    const err = await run(speech, { mode: 'speech', prompt: 'hello' }).result.catch((e) => e);
    expect(isS2VError(err) && err.oneLine()).toBe('E122 node "voice": speech mode needs a text-to-speech engine');
  });

  it('music mode does not call the speech service', async () => {
    const speech = recordingSpeech();
    const { audio } = await run(speech, { mode: 'music', prompt: 'techno 130 bpm', duration: 1 }).result;
    expect(audio.beats?.[1]).toBeCloseTo(60 / 130, 9);
    expect(speech.requests).toEqual([]);
  });
});

describe('audio-generate cache key', () => {
  // A cached soundtrack is served only to the generator that composed it: an upgraded arranger or
  // instrument composes again (code-fingerprint.test.ts: the fingerprint follows nodes/audio-generate/).
  it('names the generator\'s code', async () => {
    expect(audioGenerateNode.cache).toBe('fingerprint');
    const fp = await audioGenerateNode.fingerprint!(params({ prompt: 'lo-fi 84 bpm' }), recordingContext({ services: fakeServices() }).ctx);
    expect(fp).toBe(`code:${await codeFingerprint('audio-generate')}`);
    expect(fp).toMatch(/^code:[0-9a-f]{64}$/);
  });
});
