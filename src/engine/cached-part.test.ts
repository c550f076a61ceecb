import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DiskCache, createCatalog, defineNode, parseGraph, runGraph } from './index.js';
import { noServices } from '../../test/support/stub-nodes.js';

/** Records which parts were produced (not served from the cache). */
const produced: string[] = [];

/** A node made of parts, like a long remote generation made of segments. */
const partsNode = defineNode({
  type: 'stub-parts',
  version: 1,
  title: 'Parts',
  category: 'utility',
  description: 'each seed is one cached part',
  inputs: {},
  outputs: { text: { type: 'text' } },
  params: z.object({ seeds: z.array(z.number()), failAt: z.number().optional() }),
  cache: 'pure',
  async evaluate({ params, ctx }) {
    const texts: string[] = [];
    for (const [i, seed] of params.seeds.entries()) {
      const { value } = await ctx.cached!({ part: i, seed }, async (dir) => {
        if (params.failAt === i) throw new Error(`part ${i} failed`);
        produced.push(`${i}:${seed}`);
        const file = path.join(dir, 'part.txt');
        await fs.writeFile(file, `part ${i} seed ${seed}`);
        return { file };
      });
      texts.push(await fs.readFile(value.file, 'utf8'));
    }
    return { text: texts.join(' | ') };
  },
});

const catalog = createCatalog([partsNode]);
const graph = (params: Record<string, unknown>) => parseGraph({ schemaVersion: 1, nodes: [{ id: 'p', type: 'stub-parts', params }], edges: [] });

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-parts-'));
  produced.length = 0;
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const run = (params: Record<string, unknown>) => runGraph(graph(params), { catalog, services: noServices, cache: new DiskCache(dir) });

describe('ctx.cached (sub-results with their own cache entries)', () => {
  it('a retake of one part re-produces only that part; the others come from their entries', async () => {
    const first = await run({ seeds: [1, 2, 3] });
    expect(first.ok).toBe(true);
    expect(produced).toEqual(['0:1', '1:2', '2:3']);
    produced.length = 0;
    const retake = await run({ seeds: [1, 9, 3] });
    expect(retake.ran).toEqual(['p']);
    expect(produced).toEqual(['1:9']);
    expect(retake.nodes.get('p')!.outputs!.text).toBe('part 0 seed 1 | part 1 seed 9 | part 2 seed 3');
  });

  it('an identical re-run (fresh cache object, as after a restart) produces nothing', async () => {
    await run({ seeds: [4, 5] });
    produced.length = 0;
    const again = await run({ seeds: [4, 5] });
    expect(again.cached).toEqual(['p']);
    expect(produced).toEqual([]);
  });

  it('parts finished before a failure are kept, so the next attempt resumes after them', async () => {
    const failed = await run({ seeds: [7, 8], failAt: 1 });
    expect(failed.ok).toBe(false);
    expect(produced).toEqual(['0:7']);
    produced.length = 0;
    const retry = await run({ seeds: [7, 8] });
    expect(retry.ok).toBe(true);
    expect(produced).toEqual(['1:8']);
  });
});
