/**
 * Screenwriter: deterministic per seed, adds cinematic elements, keeps the user's words,
 * follows the music's character, flags rhythm wording; the LLM backend against a real
 * OpenAI-compatible server on 127.0.0.1 (success, HTTP 500, garbage JSON, no answer).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { cancelledError, codeFingerprint, isS2VError, type FeaturesValue, type LlmService } from '../../src/engine/index.js';
import { scriptedLlm } from '../../test/support/fake-text-services.js';
import { chat, completionsUrl, createLlmService } from '../../src/backends/llm/openai-chat.js';
import { recordingContext, refusalOf } from '../../test/support/node-context.js';
import { audioCharacter } from './character.js';
import { expandScene } from './expand.js';
import { ATMOSPHERE, CAMERA, GRADES, LENSES, LIGHTING, SHOTS } from './vocab.js';
import { SYSTEM_PROMPT } from './llm-prompt.js';
import { screenwriterNode } from './screenwriter.node.js';
import { fakeServices } from '../../test/support/fake-services.js';

const params = (over: Record<string, unknown>) => screenwriterNode.params.parse(over);
type Inputs = { prompt?: string; features?: FeaturesValue };
// The writer reaches only the LLM service; touching any other service is a test failure.
const writeWith = async (llm: LlmService, over: Record<string, unknown>, inputs: Inputs = {}, signal?: AbortSignal) => {
  const { ctx, warnings, cacheable } = recordingContext({ services: fakeServices({ llm }), nodeId: 'writer', nodeType: 'screenwriter', signal });
  const { text } = await screenwriterNode.evaluate({ inputs: { prompt: inputs.prompt, features: inputs.features }, params: params(over), ctx });
  return { text, warnings, cacheable: cacheable(), ctx };
};
const realLlm = createLlmService();
const write = (over: Record<string, unknown>, inputs: Inputs = {}, signal?: AbortSignal) => writeWith(realLlm, over, inputs, signal);

function features(tempo: number, onsetsPerSec: number, rms: number, brightness: number): FeaturesValue {
  const seconds = 10;
  const frames = seconds * 100;
  return {
    kind: 'features', durationSec: seconds, sampleRate: 22050, tempo, tempoConfidence: 0.9,
    beats: [], downbeats: [], onsets: Array.from({ length: onsetsPerSec * seconds }, (_, i) => i / onsetsPerSec),
    speech: [], sections: [], rate: 100, warnings: [],
    curves: { rms: new Array(frames).fill(rms), brightness: new Array(frames).fill(brightness) },
  };
}

const all = (r: Record<string, string[]>) => Object.values(r).flat();
const countElements = (text: string) =>
  [all(SHOTS), all(LENSES), all(CAMERA), all(LIGHTING), all(GRADES), all(ATMOSPHERE)].filter((list) =>
    list.some((phrase) => text.toLowerCase().includes(phrase.toLowerCase())),
  ).length;

describe('screenwriter (built in)', () => {
  it('is deterministic per seed and differs across seeds', async () => {
    const a = await write({ text: 'a red fox in a snowy forest', seed: 4 });
    const b = await write({ text: 'a red fox in a snowy forest', seed: 4 });
    expect(a.text).toBe(b.text);
    const others = await Promise.all([5, 6, 7, 8].map((seed) => write({ text: 'a red fox in a snowy forest', seed })));
    expect(new Set([a.text, ...others.map((o) => o.text)]).size).toBeGreaterThan(2);
  });

  it('keeps the subject words verbatim and adds at least four cinematic elements', async () => {
    const { text, warnings } = await write({ text: 'an old lighthouse keeper reading a letter', seed: 1 });
    expect(text.startsWith('an old lighthouse keeper reading a letter')).toBe(true);
    expect(countElements(text)).toBeGreaterThanOrEqual(4);
    expect(warnings).toEqual([]);
  });

  it('takes the idea from the input port over the param', async () => {
    const { text } = await write({ text: 'ignored' }, { prompt: 'a neon koi pond' });
    expect(text.startsWith('a neon koi pond')).toBe(true);
  });

  it('follows the music: calm + dark vs energetic + bright', () => {
    const calmDark = audioCharacter(features(72, 1, 0.2, 0.05));
    const wildBright = audioCharacter(features(150, 8, 0.7, 0.6));
    expect([calmDark.energy, calmDark.tone]).toEqual(['calm', 'dark']);
    expect([wildBright.energy, wildBright.tone]).toEqual(['energetic', 'bright']);
    for (const seed of [0, 1, 2, 3]) {
      const calm = expandScene('a dancer on a rooftop', seed, calmDark).elements;
      expect(CAMERA.calm).toContain(calm.camera);
      expect(LIGHTING.dark).toContain(calm.lighting);
      const wild = expandScene('a dancer on a rooftop', seed, wildBright).elements;
      expect(CAMERA.energetic).toContain(wild.camera);
      expect(GRADES.bright).toContain(wild.grade);
    }
  });

  it('flags rhythm wording and rewrites it toward the scene', async () => {
    const { text, warnings } = await write({ text: 'a dancer moves to the beat, then pauses, in sync with the music, flashing on every kick', seed: 0 });
    expect(warnings.join(' ')).toMatch(/rhythm wording.*moves to the beat.*then pauses.*in sync with the music.*on every kick/);
    expect(text).not.toMatch(/beat|in sync|every kick/i);
    expect(text.startsWith('a dancer moves, then holds still, flashing')).toBe(true);
  });

  it('an empty idea is E107', async () => {
    const err = await write({ text: ' ' }).catch((e) => e);
    expect(isS2VError(err) && err.code).toBe('E107');
  });
});

describe('screenwriter asking ctx.services.llm (scripted answers, no server)', () => {
  it('sends the brief, the rhythm-free idea and the music\'s mood with the params, and cleans the answer', async () => {
    const llm = scriptedLlm({ ok: true, text: 'Prompt: "A dancer on a rooftop at dusk, slow dolly-in."' });
    const { text, warnings, ctx } = await writeWith(llm, { text: 'a dancer on a rooftop, moving to the beat', seed: 9, llmUrl: 'http://llm.local:8080', llmModel: 'm', llmTimeoutSec: 12 }, { features: features(72, 1, 0.2, 0.05) });
    expect(text).toBe('A dancer on a rooftop at dusk, slow dolly-in.');
    expect(warnings.join(' ')).toMatch(/rhythm wording rewritten \("moving to the beat"\)/);
    const req = llm.requests[0]!;
    expect(req).toMatchObject({ url: 'http://llm.local:8080', model: 'm', seed: 9, timeoutSec: 12, where: 'node "writer"' });
    expect(req.signal).toBe(ctx.signal);
    expect(req.messages).toEqual([
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: 'a dancer on a rooftop, moving\n(The music is calm and dark; let the look match it.)' },
    ]);
  });

  it('a failure reason becomes a warning, the built-in take, and no cache entry', async () => {
    const { text, warnings, cacheable } = await writeWith(scriptedLlm({ ok: false, reason: 'HTTP 503 from http://llm.local' }), { text: 'a lighthouse', seed: 3, llmUrl: 'http://llm.local' });
    expect(text).toBe((await write({ text: 'a lighthouse', seed: 3 })).text);
    expect(warnings).toEqual(['LLM unavailable (HTTP 503 from http://llm.local); used the built-in screenwriter']);
    expect(cacheable).toBe(false);
  });

  it('a cancel thrown by the service is the run\'s error, not a fallback', async () => {
    const llm = scriptedLlm(() => {
      throw cancelledError('node "writer"');
    });
    const err = await writeWith(llm, { text: 'a lighthouse', llmUrl: 'http://llm.local' }).catch((e) => e);
    expect(isS2VError(err) && err.code).toBe('E121');
  });

  it('without llmUrl the service is never asked', async () => {
    const llm = scriptedLlm({ ok: true, text: 'never' });
    await writeWith(llm, { text: 'a lighthouse' });
    expect(llm.requests).toEqual([]);
  });
});

describe('screenwriter (LLM backend)', () => {
  let server: http.Server;
  let base: string;
  const seen: Array<{ url?: string; body: { model?: string; messages?: Array<{ role: string; content: string }> } }> = [];
  let mode: 'ok' | '500' | 'garbage' | 'hang' | 'rhythm' = 'ok';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        seen.push({ url: req.url, body: JSON.parse(raw || '{}') });
        if (mode === 'hang') return; // never answers
        if (mode === '500') {
          res.writeHead(500, { 'content-type': 'application/json' });
          return res.end('{"error":"model crashed"}');
        }
        if (mode === 'garbage') {
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{"choices": [ this is not json');
        }
        const content = mode === 'rhythm' ? 'A lighthouse pulses to the beat under storm clouds' : '"A lighthouse at dusk, wide shot on a 35mm lens, slow dolly-in, warm rim light."';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('success: posts an OpenAI chat request and returns the answer', async () => {
    mode = 'ok';
    const { text, warnings, cacheable } = await write({ text: 'a lighthouse', llmUrl: base, llmModel: 'tiny' });
    expect(text).toBe('A lighthouse at dusk, wide shot on a 35mm lens, slow dolly-in, warm rim light.');
    expect(warnings).toEqual([]);
    expect(cacheable).toBe(true);
    const last = seen.at(-1)!;
    expect(last.url).toBe('/v1/chat/completions');
    expect(last.body.model).toBe('tiny');
    expect(last.body.messages?.at(-1)?.content).toContain('a lighthouse');
  });

  it('strips rhythm wording the LLM adds, with a warning', async () => {
    mode = 'rhythm';
    const { text, warnings } = await write({ text: 'a lighthouse', llmUrl: `${base}/v1/` });
    expect(text).toBe('A lighthouse pulses under storm clouds');
    expect(warnings.join(' ')).toMatch(/LLM wrote rhythm wording/);
    expect(completionsUrl(`${base}/v1/`)).toBe(`${base}/v1/chat/completions`);
  });

  it.each([
    ['500', /HTTP 500/],
    ['garbage', /not JSON/],
  ] as const)('%s → built-in fallback with a warning', async (m, reason) => {
    mode = m;
    const { text, warnings, cacheable } = await write({ text: 'a lighthouse', seed: 2, llmUrl: base });
    expect(text).toBe((await write({ text: 'a lighthouse', seed: 2 })).text);
    expect(warnings.join(' ')).toMatch(reason);
    expect(warnings.join(' ')).toMatch(/built-in screenwriter/);
    // A fallback must not stick in the cache: the next run asks the LLM again.
    expect(cacheable).toBe(false);
  });

  it('a server that never answers → fallback after the timeout, no hang', async () => {
    mode = 'hang';
    const { text, warnings } = await write({ text: 'a lighthouse', llmUrl: base, llmTimeoutSec: 0.3 });
    expect(text.startsWith('a lighthouse')).toBe(true);
    expect(warnings.join(' ')).toMatch(/no answer within 0.3 s/);
  });

  it('nothing listening → fallback with a warning', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const { warnings } = await write({ text: 'a lighthouse', llmUrl: `http://127.0.0.1:${port}` });
    expect(warnings.join(' ')).toMatch(/cannot reach .*ECONNREFUSED/);
  });

  it.each(['file:///etc/passwd', 'data:application/json,{}', 'ftp://127.0.0.1/', 'localhost:8080'])(
    'llmUrl %s is refused: E106 when the graph is validated, and the LLM client never fetches it',
    async (url) => {
      const err = refusalOf(screenwriterNode, { text: 'a fox', llmUrl: url }, 'w');
      expect(isS2VError(err) && err.code).toBe('E106');
      expect((err as { oneLine(): string }).oneLine()).toMatch(/node "w": param llmUrl: must be an http:\/\/ or https:\/\//);
      const answer = await chat({ url, model: '', messages: [{ role: 'user', content: 'a fox' }], seed: 0, timeoutSec: 1 });
      expect(answer).toEqual({ ok: false, reason: `${url} is not an http:// or https:// URL` });
    },
  );

  it('a user cancel while waiting is E121, not a fallback', async () => {
    mode = 'hang';
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await write({ text: 'a lighthouse', llmUrl: base, llmTimeoutSec: 30 }, {}, ac.signal).catch((e) => e);
    expect(isS2VError(err) && err.code).toBe('E121');
  });
});

describe('Screenwriter cache key', () => {
  // A cached prompt is served only to the writer that wrote it: an upgraded vocabulary or expander
  // writes again (code-fingerprint.test.ts: the fingerprint follows nodes/screenwriter/ and nothing
  // unrelated); before, the key held the params and inputs only.
  it('names the writer\'s code', async () => {
    expect(screenwriterNode.cache).toBe('fingerprint');
    const fp = await screenwriterNode.fingerprint!(params({ text: 'a lighthouse' }), recordingContext({ services: fakeServices() }).ctx);
    expect(fp).toBe(`code:${await codeFingerprint('screenwriter')}`);
    expect(fp).toMatch(/^code:[0-9a-f]{64}$/);
  });
});
