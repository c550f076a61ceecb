/**
 * The evaluator's promises beyond the happy path, on a real disk cache: the events and
 * results a host relies on (error summaries, blocked chains, warnings replayed from the
 * cache, clamped progress, timings), live 'never' nodes, missing outputs, cancel before
 * start, bounded concurrency by default, sub-results (ctx.cached).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testNode } from '../../test/support/test-node.js';
import { DiskCache, S2VError, createCatalog, defineNode, parseGraph, runGraph, type CacheStore, type RunEvent } from './index.js';
import { fakeServices } from '../../test/support/fake-services.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-eval-contract-'));
  runs.length = 0;
  inFlight = 0;
  maxInFlight = 0;
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const runs: string[] = [];
let inFlight = 0;
let maxInFlight = 0;
const services = fakeServices();

/** Emits whatever its params say: a value of any kind, warnings, progress, an error. */
const src = testNode('t-src', 'source', {
  outputs: { out: { type: 'text' } },
  params: z.object({
    value: z.unknown().optional(),
    warn: z.array(z.string()).default([]),
    progress: z.array(z.number()).default([]),
    throwCode: z.string().optional(),
    throwPlain: z.string().optional(),
    omitOutput: z.boolean().default(false),
    delayMs: z.number().default(0),
  }),
  async evaluate({ params, ctx }) {
    runs.push(ctx.nodeId);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      for (const w of params.warn) ctx.warn(w);
      for (const f of params.progress) ctx.progress(f, `at ${f}`);
      if (params.delayMs) await new Promise((r) => setTimeout(r, params.delayMs));
      if (params.throwCode) throw new S2VError(params.throwCode as never, 'refused on purpose', { where: `node "${ctx.nodeId}"`, exitCode: 1 });
      if (params.throwPlain) throw new Error(params.throwPlain);
      return (params.omitOutput ? {} : { out: params.value ?? ctx.nodeId }) as { out: string };
    } finally {
      inFlight--;
    }
  },
});

/** Passes its input through, recording that it ran. */
const pass = testNode('t-pass', 'utility', {
  inputs: { in: { type: 'text' }, in2: { type: 'text', optional: true } },
  outputs: { out: { type: 'text' } },
  async evaluate({ inputs, ctx }) {
    runs.push(ctx.nodeId);
    return { out: `${String(inputs.in)}>${ctx.nodeId}` };
  },
});

let liveCounter = 0;
/** Live input: never cached. */
const live = testNode('t-live', 'source', {
  outputs: { out: { type: 'text' } },
  cache: 'never',
  async evaluate({ ctx }) {
    runs.push(ctx.nodeId);
    return { out: `live-${++liveCounter}` };
  },
});

let produced = 0;
/** Uses ctx.cached for two sub-results named by its params. */
const parts = testNode('t-parts', 'model', {
  outputs: { out: { type: 'text' } },
  params: z.object({ names: z.array(z.string()).default(['a', 'b']), failOn: z.string().optional() }),
  async evaluate({ params, ctx }) {
    runs.push(ctx.nodeId);
    const got: string[] = [];
    for (const name of params.names) {
      const r = await ctx.cached!({ part: name }, async (d) => {
        produced++;
        if (name === params.failOn) throw new Error(`part ${name} failed`);
        const f = path.join(d, `${name}.txt`);
        await fs.writeFile(f, `made ${name}`);
        return { file: f };
      });
      got.push(`${name}:${r.hit ? 'hit' : 'made'}:${await fs.readFile(r.value.file, 'utf8')}`);
    }
    return { out: got.join(',') };
  },
});

const catalog = createCatalog([src, pass, live, parts]);

type N = { id: string; type: string; params?: Record<string, unknown> };
const g = (nodes: N[], edges: Array<[string, string, string?]> = []) =>
  parseGraph({
    schemaVersion: 1,
    nodes: nodes.map((n) => ({ params: {}, ...n })),
    edges: edges.map(([from, to, port]) => ({ from: { node: from, port: 'out' }, to: { node: to, port: port ?? 'in' } })),
  });

function run(graph: ReturnType<typeof g>, extra: Partial<Parameters<typeof runGraph>[1]> = {}) {
  const events: RunEvent[] = [];
  return runGraph(graph, { catalog, services, cache: new DiskCache(dir), onEvent: (e) => events.push(e), ...extra }).then((r) => ({ ...r, events }));
}

describe('evaluator: errors, blocked chains and their summaries', () => {
  it('names each input of a failed node briefly: value kind + path, kind, short or cut strings, numbers', async () => {
    const long = 'x'.repeat(80);
    const strs = await run(g([{ id: 'x', type: 't-src', params: { throwPlain: 'boom\nsecond line' } }]));
    expect(strs.nodes.get('x')!.error, 'a plain Error is reported by its first line').toBe('boom');
    // A node that fails with inputs: each is summarised in the node-error event.
    const failing = defineNode({ ...pass, type: 't-fail', async evaluate() {
      throw new Error('cannot');
    } });
    const cat2 = createCatalog([src, failing]);
    const events: RunEvent[] = [];
    const r2 = await runGraph(
      parseGraph({
        schemaVersion: 1,
        nodes: [
          { id: 'file', type: 't-src', params: { value: { kind: 'audio', path: '/a/b.wav' } } },
          { id: 'bare', type: 't-src', params: { value: { kind: 'features' } } },
          { id: 'f', type: 't-fail' },
          { id: 'long', type: 't-src', params: { value: long } },
          { id: 'num', type: 't-src', params: { value: 42 } },
          { id: 'f2', type: 't-fail' },
        ],
        edges: [
          { from: { node: 'file', port: 'out' }, to: { node: 'f', port: 'in' } },
          { from: { node: 'bare', port: 'out' }, to: { node: 'f', port: 'in2' } },
          { from: { node: 'long', port: 'out' }, to: { node: 'f2', port: 'in' } },
          { from: { node: 'num', port: 'out' }, to: { node: 'f2', port: 'in2' } },
        ],
      }),
      { catalog: cat2, services, cache: new DiskCache(dir), onEvent: (e) => events.push(e) },
    );
    expect(r2.failed.sort()).toEqual(['f', 'f2']);
    const err = (node: string) => events.find((e) => e.event === 'node-error' && e.node === node) as Extract<RunEvent, { event: 'node-error' }>;
    expect(err('f').inputs).toEqual({ in: 'audio /a/b.wav', in2: 'features' });
    expect(err('f2').inputs).toEqual({ in: `${JSON.stringify('x'.repeat(57))}…`, in2: '42' });
    expect(err('f')).toMatchObject({ type: 't-fail', message: 'cannot', code: undefined });
    const sixty = await runGraph(
      parseGraph({ schemaVersion: 1, nodes: [{ id: 's', type: 't-src', params: { value: 'y'.repeat(60) } }, { id: 'f', type: 't-fail' }], edges: [{ from: { node: 's', port: 'out' }, to: { node: 'f', port: 'in' } }] }),
      { catalog: cat2, services, cache: new DiskCache(dir), onEvent: (e) => events.push(e) },
    );
    expect(sixty.failed).toEqual(['f']);
    expect(events.filter((e) => e.event === 'node-error').at(-1)).toMatchObject({ inputs: { in: JSON.stringify('y'.repeat(60)) } });
  });

  it('an S2VError keeps its code in the event; the run keeps the FIRST error; a blocked chain points at the root', async () => {
    const r = await run(
      g(
        [
          { id: 'bad', type: 't-src', params: { throwCode: 'E110' } },
          { id: 'mid', type: 't-pass' },
          { id: 'end', type: 't-pass' },
          { id: 'late', type: 't-src', params: { throwPlain: 'later failure', delayMs: 30 } },
        ],
        [['bad', 'mid'], ['mid', 'end']],
      ),
      { concurrency: 1 },
    );
    expect(r.ok).toBe(false);
    expect(r.failed.sort()).toEqual(['bad', 'late']);
    expect(r.blocked).toEqual(['mid', 'end']);
    expect(r.nodes.get('end')).toMatchObject({ status: 'blocked', error: 'bad' });
    expect(r.events.filter((e) => e.event === 'node-blocked')).toEqual([
      { event: 'node-blocked', node: 'mid', type: 't-pass', blockedBy: 'bad' },
      { event: 'node-blocked', node: 'end', type: 't-pass', blockedBy: 'bad' },
    ]);
    expect(r.events.find((e) => e.event === 'node-error' && e.node === 'bad')).toMatchObject({ code: 'E110', message: 'E110 node "bad": refused on purpose' });
    expect((r.error as S2VError).code).toBe('E110');
    expect(r.nodes.get('bad')!.error).toBe('E110 node "bad": refused on purpose');
  });

  it('a node that throws E121 itself is reported cancelled, not failed-with-a-message', async () => {
    const r = await run(g([{ id: 'c', type: 't-src', params: { throwCode: 'E121' } }, { id: 'd', type: 't-pass' }], [['c', 'd']]));
    expect(r.nodes.get('c')).toMatchObject({ status: 'cancelled', error: 'E121 node "c": cancelled' });
    expect(r.failed).toEqual(['c']);
    expect(r.blocked).toEqual(['d']);
  });

  it('a signal aborted before the run starts runs nothing and leaves nothing', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await run(g([{ id: 'a', type: 't-src' }, { id: 'b', type: 't-pass' }], [['a', 'b']]), { signal: ac.signal });
    expect(runs).toEqual([]);
    expect(r.nodes.get('a')!.status).toBe('cancelled');
    expect(r.nodes.get('b')!.status).toBe('blocked');
    expect((r.error as S2VError).code).toBe('E121');
    expect((await new DiskCache(dir).stats()).entries).toBe(0);
  });

  it('a node that leaves out a declared output fails with E120 naming the output and the node', async () => {
    const r = await run(g([{ id: 'o', type: 't-src', params: { omitOutput: true } }]));
    expect(r.nodes.get('o')!.error).toBe('E120 node "o": produced no "out" output');
    expect((await new DiskCache(dir).stats()).entries).toBe(0);
    expect(await fs.readdir(path.join(dir, 'tmp')).catch(() => [])).toEqual([]);
  });

  it('an unknown target is E100 naming it', async () => {
    await expect(run(g([{ id: 'a', type: 't-src' }]), { target: 'zz' })).rejects.toMatchObject({ code: 'E100', message: 'no node "zz" to run up to', where: 'target' });
  });
});

describe('evaluator: events, warnings, progress, timing', () => {
  it('warnings are events and results; a cache hit replays them; progress is clamped to 0..1', async () => {
    const graph = g([{ id: 'w', type: 't-src', params: { warn: ['quiet input', 'clipped'], progress: [-0.5, 0.25, 3] } }]);
    const first = await run(graph);
    expect(first.nodes.get('w')!.warnings).toEqual(['quiet input', 'clipped']);
    expect(first.events.filter((e) => e.event === 'node-warning').map((e) => (e as { message: string }).message)).toEqual(['quiet input', 'clipped']);
    expect(first.events.filter((e) => e.event === 'node-progress').map((e) => (e as { fraction: number }).fraction)).toEqual([0, 0.25, 1]);
    expect(first.events.find((e) => e.event === 'node-progress')).toEqual({ event: 'node-progress', node: 'w', type: 't-src', fraction: 0, message: 'at -0.5' });
    const second = await run(graph);
    expect(second.cached).toEqual(['w']);
    expect(second.nodes.get('w')).toMatchObject({ status: 'cached', warnings: ['quiet input', 'clipped'], outputs: { out: 'w' } });
    expect(second.events.map((e) => e.event)).toEqual(['run-start', 'node-warning', 'node-warning', 'node-cached', 'run-done']);
  });

  it('reports plausible seconds for the run and for each node', async () => {
    const r = await run(g([{ id: 'slow', type: 't-src', params: { delayMs: 60 } }]));
    const done = r.events.find((e) => e.event === 'node-done') as { seconds: number };
    expect(done.seconds).toBeGreaterThanOrEqual(0.05);
    expect(done.seconds).toBeLessThan(30);
    expect(r.seconds).toBeGreaterThanOrEqual(done.seconds);
    expect(r.seconds).toBeLessThan(30);
  });

  it('runs without an onEvent listener and with a cache that has no evict()', async () => {
    const disk = new DiskCache(dir);
    const bare: CacheStore = { get: (k) => disk.get(k), begin: (k) => disk.begin(k), delete: (k) => disk.delete(k), stats: () => disk.stats(), clear: () => disk.clear() };
    const r = await runGraph(g([{ id: 'a', type: 't-src' }]), { catalog, services, cache: bare });
    expect(r.ok).toBe(true);
    expect(r.nodes.get('a')!.outputs).toEqual({ out: 'a' });
  });

  it('runs two independent nodes at once by default, never more', async () => {
    const nodes = ['a', 'b', 'c', 'd'].map((id) => ({ id, type: 't-src', params: { value: id, delayMs: 40 } }));
    const r = await run(g(nodes));
    expect(r.ran.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(maxInFlight).toBe(2);
  });
});

describe('evaluator: live nodes and sub-results', () => {
  it('a "never" node runs every time; what depends on it runs again and is not kept', async () => {
    const graph = g([{ id: 'mic', type: 't-live' }, { id: 'use', type: 't-pass' }, { id: 'other', type: 't-src' }], [['mic', 'use']]);
    const a = await run(graph);
    const b = await run(graph);
    expect(a.ran.sort()).toEqual(['mic', 'other', 'use']);
    expect(b.ran.sort()).toEqual(['mic', 'use']);
    expect(b.cached).toEqual(['other']);
    expect(a.nodes.get('use')!.outputs!.out).not.toBe(b.nodes.get('use')!.outputs!.out);
    expect(a.nodes.get('use')!.key).not.toBe(b.nodes.get('use')!.key);
    // Only the ordinary node's entry stays on disk.
    expect((await new DiskCache(dir).stats()).entries).toBe(1);
  });

  it('ctx.cached keeps each sub-result: a re-run with one new part makes only that part; a failed part is not kept', async () => {
    produced = 0;
    const one = await run(g([{ id: 'p', type: 't-parts', params: { names: ['a', 'b'] } }]));
    expect(one.nodes.get('p')!.outputs!.out).toBe('a:made:made a,b:made:made b');
    expect(produced).toBe(2);
    const two = await run(g([{ id: 'p', type: 't-parts', params: { names: ['a', 'b', 'c'] } }]));
    expect(two.nodes.get('p')!.outputs!.out).toBe('a:hit:made a,b:hit:made b,c:made:made c');
    expect(produced).toBe(3);
    const bad = await run(g([{ id: 'p', type: 't-parts', params: { names: ['a', 'd'], failOn: 'd' } }]));
    expect(bad.nodes.get('p')!.error).toBe('part d failed');
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
    produced = 0;
    const again = await run(g([{ id: 'p', type: 't-parts', params: { names: ['d'] } }]));
    expect(again.nodes.get('p')!.outputs!.out).toBe('d:made:made d');
    expect(produced).toBe(1);
  });
});
