/** Stub nodes for evaluator tests: they record every evaluation so tests can assert what ran. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { createCatalog, defineNode } from '../../src/engine/index.js';
import { fakeServices } from './fake-services.js';

export const calls: string[] = [];
export let inFlight = 0;
export let maxInFlight = 0;

export function resetCalls(): void {
  calls.length = 0;
  inFlight = 0;
  maxInFlight = 0;
}

async function tracked<T>(id: string, fn: () => Promise<T>): Promise<T> {
  calls.push(id);
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  try {
    return await fn();
  } finally {
    inFlight--;
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new Error('aborted'));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(new Error('aborted'));
    });
  });

/** A source of text: params.value, after an optional delay. */
export const textSource = defineNode({
  type: 'stub-text',
  version: 1,
  title: 'Text source',
  category: 'source',
  description: 'stub',
  inputs: {},
  outputs: { text: { type: 'text' } },
  params: z.object({ value: z.string().default('x'), delayMs: z.number().default(0), skipCache: z.boolean().default(false) }),
  cache: 'pure',
  evaluate: ({ params, ctx }) =>
    tracked(ctx.nodeId, async () => {
      if (params.delayMs) await sleep(params.delayMs, ctx.signal);
      if (params.skipCache) ctx.doNotCache();
      return { text: params.value };
    }),
});

/** Joins two texts; writes an artifact file so cache entries contain files. */
export const joinNode = defineNode({
  type: 'stub-join',
  version: 1,
  title: 'Join',
  category: 'utility',
  description: 'stub',
  inputs: { a: { type: 'text' }, b: { type: 'text', optional: true } },
  outputs: { text: { type: 'text' }, file: { type: 'text' } },
  params: z.object({ sep: z.string().default('+'), fail: z.boolean().default(false), waitForAbort: z.boolean().default(false) }),
  cache: 'pure',
  evaluate: ({ inputs, params, ctx }) =>
    tracked(ctx.nodeId, async () => {
      const dir = await ctx.artifactDir();
      const joined = [inputs.a, inputs.b].filter((v) => v !== undefined).join(params.sep);
      await fs.writeFile(path.join(dir, 'joined.txt'), joined);
      ctx.progress(0.5, 'half way');
      if (params.waitForAbort) await sleep(60_000, ctx.signal);
      if (params.fail) throw new Error('stub join exploded');
      return { text: joined, file: path.join(dir, 'joined.txt') };
    }),
});

/** A number-producing node, used for port type mismatch tests. */
export const numberNode = defineNode({
  type: 'stub-number',
  version: 1,
  title: 'Number',
  category: 'source',
  description: 'stub',
  inputs: {},
  outputs: { n: { type: 'number' } },
  params: z.object({ n: z.number().min(0).default(1) }),
  cache: 'pure',
  evaluate: ({ params, ctx }) => tracked(ctx.nodeId, async () => ({ n: params.n })),
});

export const stubCatalog = createCatalog([textSource, joinNode, numberNode]);

/** Services are never touched by stub nodes; any access is a test bug. */
export const noServices = fakeServices();
