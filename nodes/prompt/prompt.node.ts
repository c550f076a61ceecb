/** Prompt: text the user writes to describe the scene (look, subject, atmosphere). */
import { z } from 'zod';
import { defineNode, describesRhythm } from '../../src/engine/index.js';

export const promptNode = defineNode({
  type: 'prompt',
  version: 1,
  title: 'Prompt',
  category: 'text',
  description: 'Describe the scene: subject, look, light, atmosphere. The audio sets the timing.',
  inputs: {},
  outputs: { text: { type: 'text', label: 'prompt' } },
  params: z.object({
    text: z.string().max(10_000).default('').describe('What the video should look like'),
  }),
  widgets: { text: { kind: 'text', multiline: true, placeholder: 'a neon-lit city at night, rain, cinematic' } },
  cache: 'pure',
  async evaluate({ params, ctx }) {
    if (describesRhythm(params.text)) {
      ctx.warn('the prompt describes rhythm or timing; describe the scene instead — the audio already drives the timing');
    }
    return { text: params.text.trim() };
  },
});
