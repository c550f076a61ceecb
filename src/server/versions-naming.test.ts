/**
 * Studio 2 server side: a save over a document keeps the replaced text as a version (listed
 * newest first, each readable again, names confined like documents), and a run given the
 * document's name writes each render to a file of its own unless the graph chose a path.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvents, startTestServer, type TestServer } from '../../test/support/studio-server.js';
import type { RunMessage } from './runs.js';
import { renderFileName } from './run-prep.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

const doc = (n: number) => ({ schemaVersion: 1, nodes: Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'num', params: { value: i } })), edges: [] });
const put = (name: string, body: unknown) => s.api(`/api/documents/${encodeURIComponent(name)}`, { method: 'PUT', body: JSON.stringify(body) });

describe('document versions', () => {
  it('keeps every replaced save, newest first, and serves each one', async () => {
    for (const n of [1, 2, 3]) {
      expect((await put('Song take', doc(n))).status).toBe(200);
      // Versions are named by save time (ms); saves in one ms would share a name.
      await new Promise((r) => setTimeout(r, 15));
    }
    const list = (await (await s.api('/api/documents/Song%20take/versions')).json()) as Array<{ id: string; saved: string; nodes: number }>;
    expect(list.map((v) => v.nodes)).toEqual([2, 1]);
    expect(Date.parse(list[0]!.saved)).toBeGreaterThanOrEqual(Date.parse(list[1]!.saved));
    const old = (await (await s.api(`/api/documents/Song%20take/versions/${list[1]!.id}`)).json()) as { nodes: unknown[] };
    expect(old.nodes).toHaveLength(1);
    // The current document is the last save.
    expect(((await (await s.api('/api/documents/Song%20take')).json()) as { nodes: unknown[] }).nodes).toHaveLength(3);
  });

  it('refuses version ids and names that would leave the folder, and says when there is none', async () => {
    expect((await s.api('/api/documents/Song%20take/versions/..%2F..%2Fx')).status).toBe(400);
    expect((await s.api('/api/documents/..%2Fx/versions')).status).toBe(400);
    const missing = await s.api('/api/documents/Song%20take/versions/2020-01-01T00-00-00-000Z');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: string }).error).toBe('no version "2020-01-01T00-00-00-000Z" of document "Song take"');
    expect(await (await s.api('/api/documents/never-saved/versions')).json()).toEqual([]);
  });
});

describe('render file names', () => {
  it('names a render after the document and the time, with a counter when taken', async () => {
    const dir = await fs.mkdtemp(path.join(s.dataDir, 'names-'));
    const at = new Date(2026, 11, 4, 9, 5, 7);
    const taken = new Set<string>();
    expect(renderFileName('My song: take 1', dir, taken, at)).toBe('My-song-take-1-20261204-090507.mp4');
    expect(renderFileName('My song: take 1', dir, taken, at)).toBe('My-song-take-1-20261204-090507-2.mp4');
    await fs.writeFile(path.join(dir, 'x-20261204-090507.mp4'), '');
    expect(renderFileName('x', dir, new Set(), at)).toBe('x-20261204-090507-2.mp4');
    expect(renderFileName('///', dir, new Set(), at)).toBe('render-20261204-090507.mp4');
  });

  it('gives each run of a named graph its own output file, but keeps a path the graph chose', async () => {
    const graph = (params: Record<string, unknown>) => ({
      schemaVersion: 1,
      nodes: [{ id: 'a', type: 'num', params: { value: 4 } }, { id: 'out', type: 'sink', params }],
      edges: [{ from: { node: 'a', port: 'value' }, to: { node: 'out', port: 'value' } }],
    });
    const run = async (body: unknown) => {
      const ev = await openEvents(s, { Origin: `http://127.0.0.1:${s.port}` });
      const r = await s.api('/api/runs', { method: 'POST', body: JSON.stringify(body) });
      const { runId } = (await r.json()) as { runId: string };
      const done = (await ev.until((m) => m.runId === runId && m.event === 'run-done')) as Extract<RunMessage, { event: 'run-done' }>;
      ev.close();
      return (done.outputs.out!.video as { path: string }).path;
    };
    const first = await run({ graph: graph({}), name: 'Night drive' });
    const second = await run({ graph: graph({}), name: 'Night drive' });
    for (const f of [first, second]) expect(path.basename(f)).toMatch(/^Night-drive-\d{8}-\d{6}(-\d+)?\.mp4$/);
    expect(first).not.toBe(second);
    expect(path.dirname(first)).toBe(path.join(s.dataDir, 'outputs'));
    expect(await fs.readFile(first, 'utf8')).toBe('4');
    expect(await fs.readFile(second, 'utf8')).toBe('4');
    // A path the graph chose is kept, name or not.
    expect(await run({ graph: graph({ path: 'mine/take.mp4' }), name: 'Night drive' })).toBe(path.join(s.dataDir, 'outputs', 'mine', 'take.mp4'));
  });
});
