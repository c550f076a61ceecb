/**
 * Screenwriter: a short idea in, a cinematic scene prompt out. Built in and offline by
 * default (deterministic per seed; shot, lens, camera move, light, grade, atmosphere chosen
 * to fit the music when Features are connected). Rhythm wording is flagged and rewritten —
 * the audio already sets the timing. With `llmUrl` it asks any OpenAI-compatible server
 * (through ctx.services.llm) and falls back to the built-in writer, with a warning, on any
 * failure or timeout.
 */
import { z } from 'zod';
import { S2VError, codeFingerprint, defineNode, isHttpUrl, rewriteRhythm } from '../../src/engine/index.js';
import { audioCharacter } from './character.js';
import { expandScene } from './expand.js';
import { cleanAnswer, sceneMessages } from './llm-prompt.js';

export const screenwriterNode = defineNode({
  type: 'screenwriter',
  version: 1,
  title: 'Screenwriter',
  category: 'text',
  description:
    'Expands a short idea into a cinematic scene prompt (shot, lens, camera move, lighting, grade, atmosphere) that fits the music. Offline by default; optionally uses a local LLM (llama.cpp, Ollama, LM Studio).',
  inputs: {
    prompt: { type: 'text', optional: true, label: 'Idea', description: 'Overrides the text param when connected.', overrides: 'text' },
    features: { type: 'features', optional: true, label: 'Features', description: 'Calm/energetic and bright/dark choices follow the music.' },
  },
  outputs: { text: { type: 'text', label: 'prompt' } },
  params: z.object({
    text: z.string().max(10_000).default('').describe('The idea: who or what, where'),
    seed: z.number().int().min(0).max(2 ** 32 - 1).default(0).describe('Another seed, another take'),
    // Refused when the graph is validated, before any run: file:, data: etc. are never fetched.
    llmUrl: z
      .string()
      .max(500)
      .default('')
      .refine((u) => !u.trim() || isHttpUrl(u), 'must be an http:// or https:// server address (or empty)')
      .describe('OpenAI-compatible server, e.g. http://127.0.0.1:8080 (empty = built in)'),
    llmModel: z.string().max(200).default('').describe('Model name sent to the server'),
    llmTimeoutSec: z.number().min(0.1).max(600).default(20).describe('Give up on the server after this many seconds'),
  }),
  widgets: {
    text: { kind: 'text', multiline: true, placeholder: 'a fox in a snowy forest', label: 'Idea' },
    seed: { kind: 'number', min: 0, step: 1, label: 'Seed' },
    llmUrl: { kind: 'text', placeholder: 'built in (offline)', label: 'LLM server' },
    llmModel: { kind: 'text', placeholder: 'server default', label: 'LLM model' },
    llmTimeoutSec: { kind: 'number', min: 0.1, max: 600, step: 1, unit: 's', label: 'LLM timeout' },
  },
  // Deterministic for the built-in writer. With an LLM the text may differ run to run, but the
  // key still covers every param (URL, model, seed), so a cached take is reused until one
  // changes. The key also names the writer's code and vocabulary (the code fingerprint,
  // src/engine/cache/code-version.ts): an upgraded writer writes again.
  cache: 'fingerprint',
  async fingerprint() {
    return `code:${await codeFingerprint('screenwriter')}`;
  },
  async evaluate({ inputs, params, ctx }) {
    const where = `node "${ctx.nodeId}"`;
    const idea = ((inputs.prompt ?? '').trim() || params.text.trim()).replace(/[\s.;,!]+$/, '');
    if (!idea) throw new S2VError('E107', 'no idea to expand', { where, hint: 'write the text param or connect a Prompt node' });
    const rhythm = rewriteRhythm(idea);
    if (rhythm.flagged.length) {
      ctx.warn(`rhythm wording rewritten (${rhythm.flagged.map((f) => `"${f}"`).join(', ')}): describe the scene — the audio already sets the timing`);
    }
    const subject = rhythm.text || idea;
    const character = inputs.features ? audioCharacter(inputs.features) : undefined;
    if (character) ctx.log(`music reads as ${character.energy} and ${character.tone}`);

    if (params.llmUrl.trim()) {
      ctx.progress(0.1, 'asking the LLM');
      const answer = await ctx.services.llm.chat({
        url: params.llmUrl,
        model: params.llmModel,
        messages: sceneMessages(subject, character ? `${character.energy} and ${character.tone}` : undefined),
        seed: params.seed,
        timeoutSec: params.llmTimeoutSec,
        signal: ctx.signal,
        where,
      });
      if (answer.ok) {
        const cleaned = rewriteRhythm(cleanAnswer(answer.text));
        if (cleaned.flagged.length) ctx.warn(`the LLM wrote rhythm wording (${cleaned.flagged.join(', ')}); removed`);
        ctx.progress(1);
        return { text: cleaned.text };
      }
      ctx.warn(`LLM unavailable (${answer.reason}); used the built-in screenwriter`);
      // Not the LLM's answer: don't let the fallback stick once the server is back.
      ctx.doNotCache();
    }
    const scene = expandScene(subject, params.seed, character);
    ctx.progress(1);
    return { text: scene.text };
  },
});
