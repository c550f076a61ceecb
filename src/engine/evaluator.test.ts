import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskCache, LayeredCache, parseGraph, runGraph, type CacheStore, type GraphDoc, type RunEvent } from './index.js';
import { calls, maxInFlight, noServices, resetCalls, stubCatalog } from '../../test/support/stub-nodes.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-eval-'));
  resetCalls();
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

/**   a ─┐
 *       ├─ join ─ join2
 *   b ─┘          ▲
 *   c ────────────┘      (c is an independent branch until join2)                    */
function graph(over: Partial<Record<string, Record<string, unknown>>> = {}): GraphDoc {
  return parseGraph({
    schemaVersion: 1,
    nodes: [
      { id: 'a', type: 'stub-text', params: { value: 'A', ...over.a } },
      { id: 'b', type: 'stub-text', params: { value: 'B', ...over.b } },
      { id: 'c', type: 'stub-text', params: { value: 'C', ...over.c } },
      { id: 'join', type: 'stub-join', params: { ...over.join } },
      { id: 'join2', type: 'stub-join', params: { sep: '|', ...over.join2 } },
    ],
    edges: [
      { from: { node: 'a', port: 'text' }, to: { node: 'join', port: 'a' } },
      { from: { node: 'b', port: 'text' }, to: { node: 'join', port: 'b' } },
      { from: { node: 'join', port: 'text' }, to: { node: 'join2', port: 'a' } },
      { from: { node: 'c', port: 'text' }, to: { node: 'join2', port: 'b' } },
    ],
  });
}

function run(g: GraphDoc, cache: CacheStore = new DiskCache(dir), extra: Partial<Parameters<typeof runGraph>[1]> = {}) {
  const events: RunEvent[] = [];
  return runGraph(g, { catalog: stubCatalog, services: noServices, cache, onEvent: (e) => events.push(e), ...extra }).then((r) => ({ ...r, events }));
}

describe('evaluator', () => {
  it('runs every node once, then serves all from cache', async () => {
    const first = await run(graph());
    expect(first.ok).toBe(true);
    expect(first.ran.sort()).toEqual(['a', 'b', 'c', 'join', 'join2']);
    expect(first.nodes.get('join2')!.outputs!.text).toBe('A+B|C');
    resetCalls();
    const second = await run(graph());
    expect(calls).toEqual([]);
    expect(second.cached.sort()).toEqual(['a', 'b', 'c', 'join', 'join2']);
    expect(second.events.filter((e) => e.event === 'node-cached')).toHaveLength(5);
  });

  it('re-runs only the changed node and what is downstream of it', async () => {
    await run(graph());
    resetCalls();
    const r = await run(graph({ b: { value: 'B2' } }));
    expect(r.ran.sort()).toEqual(['b', 'join', 'join2']);
    expect(r.cached.sort()).toEqual(['a', 'c']);
    expect(r.nodes.get('join2')!.outputs!.text).toBe('A+B2|C');
  });

  it('keys on content, not on node ids or canvas positions', async () => {
    await run(graph());
    resetCalls();
    const g = graph();
    for (const n of g.nodes) n.position = { x: 999, y: -5 };
    const r = await run(g);
    expect(r.ran).toEqual([]);
  });

  it('survives a restart: a fresh cache object on the same folder hits', async () => {
    const mem1 = new LayeredCache(new DiskCache(dir));
    await run(graph(), mem1);
    resetCalls();
    const mem2 = new LayeredCache(new DiskCache(dir));
    const r = await run(graph(), mem2);
    expect(r.cached).toHaveLength(5);
    expect(calls).toEqual([]);
    // artifacts of a disk hit point inside the cache folder and exist
    const file = r.nodes.get('join')!.outputs!.file as string;
    expect(file.startsWith(path.join(dir, 'entries'))).toBe(true);
    expect(await fs.readFile(file, 'utf8')).toBe('A+B');
  });

  it('reports a throwing node on itself and blocks what is downstream; other branches still run', async () => {
    const r = await run(graph({ join: { fail: true } }));
    expect(r.ok).toBe(false);
    expect(r.failed).toEqual(['join']);
    expect(r.blocked).toEqual(['join2']);
    expect(r.ran.sort()).toEqual(['a', 'b', 'c']);
    const err = r.events.find((e) => e.event === 'node-error');
    expect(err).toMatchObject({ node: 'join', type: 'stub-join', message: 'stub join exploded', inputs: { a: '"A"', b: '"B"' } });
    expect(r.events.find((e) => e.event === 'node-blocked')).toMatchObject({ node: 'join2', blockedBy: 'join' });
    // nothing of the failed node was kept
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
    resetCalls();
    const again = await run(graph());
    expect(again.ran.sort()).toEqual(['join', 'join2']);
  });

  it('cancels: the running node stops, downstream is blocked, nothing half-written is cached', async () => {
    const controller = new AbortController();
    const p = run(graph({ join: { waitForAbort: true } }), new DiskCache(dir), {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.event === 'node-progress' && e.node === 'join') controller.abort();
      },
    });
    const r = await p;
    expect(r.ok).toBe(false);
    expect(r.nodes.get('join')!.status).toBe('cancelled');
    expect(r.nodes.get('join2')!.status).toBe('blocked');
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
    resetCalls();
    const again = await run(graph());
    expect(again.ran.sort()).toEqual(['join', 'join2']);
    expect(again.cached.sort()).toEqual(['a', 'b', 'c']);
  });

  it('runs up to a chosen node only', async () => {
    const r = await run(graph(), new DiskCache(dir), { target: 'join' });
    expect(r.ran.sort()).toEqual(['a', 'b', 'join']);
    expect(r.nodes.has('c')).toBe(false);
    expect(r.nodes.has('join2')).toBe(false);
  });

  it('announces its plan first (topological, only the target\'s ancestors) and ends with one summary', async () => {
    const all = await run(graph());
    expect(all.events[0]).toEqual({ event: 'run-start', nodes: ['a', 'b', 'c', 'join', 'join2'] });
    const r = await run(graph({ join: { fail: true } }), new DiskCache(dir), { target: 'join' });
    expect(r.events[0]).toEqual({ event: 'run-start', nodes: ['a', 'b', 'join'] });
    expect(r.plan).toEqual(['a', 'b', 'join']);
    expect(r.events.filter((e) => e.event === 'run-start' || e.event === 'run-done')).toHaveLength(2);
    const done = r.events.at(-1)!;
    expect(done).toEqual({ event: 'run-done', ...r.summary });
    // a and b run side by side: either may be served first.
    expect({ ...r.summary, cached: [...r.summary.cached].sort() }).toMatchObject({ ok: false, ran: [], cached: ['a', 'b'], failed: ['join'], blocked: [], outputs: { a: { text: 'A' }, b: { text: 'B' } } });
    expect(r.summary.error).toBe('stub join exploded');
    expect(r.summary.seconds).toBe(r.seconds);
  });

  it('runs independent branches concurrently, bounded', async () => {
    await run(graph({ a: { delayMs: 40 }, b: { delayMs: 40 }, c: { delayMs: 40 } }), new DiskCache(dir), { concurrency: 2 });
    expect(maxInFlight).toBe(2);
    resetCalls();
    await fs.rm(dir, { recursive: true, force: true });
    await run(graph({ a: { delayMs: 20 }, b: { delayMs: 20 }, c: { delayMs: 20 } }), new DiskCache(dir), { concurrency: 1 });
    expect(maxInFlight).toBe(1);
  });

  it('enforces the cache cap after runs that wrote entries, not after fully cached ones', async () => {
    const disk = new DiskCache(dir);
    let evictions = 0;
    const counted: CacheStore = {
      get: (k) => disk.get(k),
      begin: (k) => disk.begin(k),
      delete: (k) => disk.delete(k),
      stats: () => disk.stats(),
      clear: () => disk.clear(),
      evict: async () => {
        evictions++;
      },
    };
    await run(graph(), counted);
    expect(evictions).toBe(1);
    await run(graph(), counted);
    expect(evictions).toBe(1);
  });

  it('a node that says doNotCache runs again next time; its result still feeds this run', async () => {
    const r1 = await run(graph({ b: { value: 'stand-in', skipCache: true } }));
    expect(r1.nodes.get('join2')!.outputs!.text).toBe('A+stand-in|C');
    resetCalls();
    const r2 = await run(graph({ b: { value: 'stand-in', skipCache: true } }));
    expect(r2.ran.sort()).toEqual(['b', 'join', 'join2']);
    expect(r2.cached.sort()).toEqual(['a', 'c']);
    // Nothing built from the stand-in was kept: only a and c remain in the cache.
    expect((await new DiskCache(dir).stats()).entries).toBe(2);
  });

  it('emits progress events for the running node', async () => {
    const r = await run(graph());
    expect(r.events).toContainEqual({ event: 'node-progress', node: 'join', type: 'stub-join', fraction: 0.5, message: 'half way' });
    const order = r.events.filter((e) => 'node' in e && e.node === 'join').map((e) => e.event);
    expect(order).toEqual(['node-start', 'node-progress', 'node-done']);
  });
});

describe('disk cache', () => {
  it('never serves an entry whose meta.json was not committed (crash mid-write)', async () => {
    const cache = new DiskCache(dir);
    const pending = await cache.begin('k1');
    await fs.writeFile(path.join(pending.dir, 'half.bin'), 'partial');
    // simulate a crash: the process dies before commit — a new cache instance starts
    expect(await new DiskCache(dir).get('k1')).toBeUndefined();
    const e = await (await cache.begin('k1')).commit({ v: 1 }, []);
    expect(e.outputs).toEqual({ v: 1 });
    expect((await new DiskCache(dir).get('k1'))!.outputs).toEqual({ v: 1 });
  });

  it('evicts least recently used entries above the size cap', async () => {
    const cache = new DiskCache(dir, { capBytes: 2500 });
    for (const k of ['old', 'mid', 'new']) {
      const p = await cache.begin(k);
      await fs.writeFile(path.join(p.dir, 'blob'), Buffer.alloc(1000));
      await p.commit({ file: path.join(p.dir, 'blob') }, []);
      await new Promise((r) => setTimeout(r, 20));
    }
    await cache.get('old'); // touch: now 'mid' is the least recently used
    await cache.evict();
    expect(await cache.get('mid')).toBeUndefined();
    expect((await cache.get('old'))?.key).toBe('old');
    expect((await cache.get('new'))?.key).toBe('new');
  });
});
