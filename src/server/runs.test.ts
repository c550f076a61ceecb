import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEvents, startTestServer, type TestServer } from '../../test/support/studio-server.js';
import type { RunMessage, RunRecord } from './runs.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

type Node = { id: string; type: string; params?: Record<string, unknown> };
const graphOf = (nodes: Node[], edges: Array<[string, string, string, string]>) => ({
  schemaVersion: 1,
  nodes,
  edges: edges.map(([fn, fp, tn, tp]) => ({ from: { node: fn, port: fp }, to: { node: tn, port: tp } })),
});

const sumGraph = () =>
  graphOf(
    [
      { id: 'a', type: 'num', params: { value: 2 } },
      { id: 'b', type: 'num', params: { value: 3 } },
      { id: 'sum', type: 'add' },
      { id: 'c', type: 'num', params: { value: 7 } },
      { id: 'out', type: 'sink' },
    ],
    [
      ['a', 'value', 'sum', 'a'],
      ['b', 'value', 'sum', 'b'],
      ['sum', 'sum', 'out', 'value'],
    ],
  );

async function startRun(body: unknown): Promise<string> {
  const r = await s.api('/api/runs', { method: 'POST', body: JSON.stringify(body) });
  expect(r.status, await r.clone().text()).toBe(200);
  return ((await r.json()) as { runId: string }).runId;
}

describe('runs', () => {
  it('streams node events over the WebSocket and finishes with run-done carrying outputs', async () => {
    const ev = await openEvents(s, { Origin: `http://127.0.0.1:${s.port}` });
    const runId = await startRun({ graph: sumGraph() });
    const done = (await ev.until((m) => m.runId === runId && m.event === 'run-done')) as Extract<RunMessage, { event: 'run-done' }>;
    ev.close();
    expect(done.ok).toBe(true);
    expect(done.outputs.sum).toEqual({ sum: 5 });
    // The Output node's relative default path landed in <dataDir>/outputs/.
    const written = (done.outputs.out!.video as { path: string }).path;
    expect(written).toBe(path.join(s.dataDir, 'outputs', 'renders', 'sink.mp4'));
    expect(await fs.readFile(written, 'utf8')).toBe('5');
    const mine = ev.messages.filter((m) => m.runId === runId);
    expect(mine[0]).toMatchObject({ event: 'run-start' });
    expect((mine[0] as { nodes: string[] }).nodes.sort()).toEqual(['a', 'b', 'c', 'out', 'sum']);
    const started = mine.filter((m) => m.event === 'node-start').map((m) => (m as { node: string }).node);
    expect(started.sort()).toEqual(['a', 'b', 'c', 'out', 'sum']);
    expect(mine.some((m) => m.event === 'node-progress' && m.node === 'sum' && m.fraction === 0.5)).toBe(true);
    expect(mine.at(-1)!.event).toBe('run-done');

    const rec = (await (await s.api(`/api/runs/${runId}`)).json()) as RunRecord;
    expect(rec.status).toBe('done');
    expect(rec.events.map((e) => e.event)).toEqual(mine.map((e) => e.event));
    // The output is servable and the second run comes from the cache except the never-cached sink.
    expect(await (await s.api(`/api/files?path=${encodeURIComponent(written)}`)).text()).toBe('5');
    const ev2 = await openEvents(s);
    const again = await startRun({ graph: sumGraph() });
    const done2 = (await ev2.until((m) => m.runId === again && m.event === 'run-done')) as Extract<RunMessage, { event: 'run-done' }>;
    ev2.close();
    expect(done2.cached.sort()).toEqual(['a', 'b', 'c', 'sum']);
    expect(done2.ran).toEqual(['out']);
  });

  it('runs only the target and its ancestors', async () => {
    const ev = await openEvents(s);
    const g = sumGraph();
    g.nodes.find((n) => n.id === 'a')!.params = { value: 40 };
    const runId = await startRun({ graph: g, target: 'sum' });
    const done = (await ev.until((m) => m.runId === runId && m.event === 'run-done')) as Extract<RunMessage, { event: 'run-done' }>;
    ev.close();
    const touched = [...done.ran, ...done.cached].sort();
    expect(touched).toEqual(['a', 'b', 'sum']);
    expect(done.outputs.sum).toEqual({ sum: 43 });
    expect(done.outputs.out).toBeUndefined();
    const start = ev.messages.find((m) => m.runId === runId && m.event === 'run-start') as { nodes: string[] };
    expect(start.nodes.sort()).toEqual(['a', 'b', 'sum']);
    const bad = await s.api('/api/runs', { method: 'POST', body: JSON.stringify({ graph: g, target: 'ghost' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/ghost/);
  });

  it('cancels a run mid-way: the waiting node stops, downstream is blocked, status is cancelled', async () => {
    const ev = await openEvents(s);
    const g = graphOf(
      [
        { id: 'n', type: 'num' },
        { id: 'w', type: 'wait' },
        { id: 'after', type: 'sink', params: { path: 'never/written.mp4' } },
      ],
      [
        ['n', 'value', 'w', 'x'],
        ['w', 'x', 'after', 'value'],
      ],
    );
    const runId = await startRun({ graph: g });
    await ev.until((m) => m.runId === runId && m.event === 'node-progress' && m.node === 'w');
    expect(((await (await s.api(`/api/runs/${runId}`)).json()) as RunRecord).status).toBe('running');
    const cancel = await s.api(`/api/runs/${runId}/cancel`, { method: 'POST' });
    expect(await cancel.json()).toEqual({ ok: true });
    const done = (await ev.until((m) => m.runId === runId && m.event === 'run-done')) as Extract<RunMessage, { event: 'run-done' }>;
    ev.close();
    expect(done.ok).toBe(false);
    expect(done.failed).toEqual(['w']);
    expect(done.blocked).toEqual(['after']);
    expect(done.error).toMatch(/E121/);
    const rec = (await (await s.api(`/api/runs/${runId}`)).json()) as RunRecord;
    expect(rec.status).toBe('cancelled');
    expect(rec.events.some((e) => e.event === 'node-error' && e.node === 'w' && e.code === 'E121')).toBe(true);
    await expect(fs.access(path.join(s.dataDir, 'outputs', 'never'))).rejects.toThrow();
    // Cancelling a finished or unknown run.
    expect(await (await s.api(`/api/runs/${runId}/cancel`, { method: 'POST' })).json()).toEqual({ ok: false });
    expect((await s.api('/api/runs/0000/cancel', { method: 'POST' })).status).toBe(404);
  });

  it('reports a failing run as failed with the node error', async () => {
    const ev = await openEvents(s);
    const g = graphOf([{ id: 'f', type: 'file-src', params: { path: path.join(s.dataDir, 'assets', 'missing.png') } }], []);
    const runId = await startRun({ graph: g });
    const done = (await ev.until((m) => m.runId === runId && m.event === 'run-done')) as Extract<RunMessage, { event: 'run-done' }>;
    ev.close();
    expect(done.failed).toEqual(['f']);
    expect(done.error).toMatch(/E108.*missing\.png/);
    expect(((await (await s.api(`/api/runs/${runId}`)).json()) as RunRecord).status).toBe('failed');
  });
});

describe('run requests are confined', () => {
  it('refuses file params outside the assets and graphs folders with 400 naming the node', async () => {
    const secret = path.join(s.root, 'secret.txt');
    await fs.writeFile(secret, 'nope');
    for (const p of [secret, '/etc/passwd', '../secret.txt', path.join(s.dataDir, 'assets', '..', '..', 'secret.txt')]) {
      const r = await s.api('/api/runs', { method: 'POST', body: JSON.stringify({ graph: graphOf([{ id: 'reader', type: 'file-src', params: { path: p } }], []) }) });
      expect(r.status, p).toBe(400);
      const body = (await r.json()) as { error: string; node?: string };
      expect(body.node).toBe('reader');
      expect(body.error).toMatch(/node "reader".*outside/);
    }
  });

  it('accepts graph-relative file params inside graphs/ and runs them', async () => {
    const ev = await openEvents(s);
    const runId = await startRun({ graph: graphOf([{ id: 'r', type: 'file-src', params: { path: 'assets/note.txt' } }], []) });
    const done = (await ev.until((m) => m.runId === runId && m.event === 'run-done')) as Extract<RunMessage, { event: 'run-done' }>;
    ev.close();
    expect(done.outputs.r).toEqual({ text: 'hello from graphs' });
  });

  it('keeps output paths, relative or absolute, inside outputs/', async () => {
    const sinkTo = (p: string) => graphOf([{ id: 'n', type: 'num' }, { id: 'o', type: 'sink', params: { path: p } }], [['n', 'value', 'o', 'value']]);
    const escape = path.join(s.root, 'escape.mp4');
    for (const p of ['../../escape.mp4', escape, path.join(s.dataDir, 'outputs', '..', 'escape.mp4')]) {
      const r = await s.api('/api/runs', { method: 'POST', body: JSON.stringify({ graph: sinkTo(p) }) });
      expect(r.status, p).toBe(400);
      const body = (await r.json()) as { error: string; node?: string };
      expect(body.node).toBe('o');
      expect(body.error).toMatch(/node "o".*outside the outputs folder/);
    }
    await expect(fs.access(escape)).rejects.toThrow();
    // An absolute path that already lies in outputs/ is fine.
    const inside = path.join(s.dataDir, 'outputs', 'abs', 'take.mp4');
    const ev = await openEvents(s);
    const runId = await startRun({ graph: sinkTo(inside) });
    const done = (await ev.until((m) => m.runId === runId && m.event === 'run-done')) as Extract<RunMessage, { event: 'run-done' }>;
    ev.close();
    expect((done.outputs.o!.video as { path: string }).path).toBe(inside);
    expect(await fs.readFile(inside, 'utf8')).toBe('1');
  });

  it('validates graphs without running them', async () => {
    const ok = await s.api('/api/validate', { method: 'POST', body: JSON.stringify({ graph: sumGraph() }) });
    expect(await ok.json()).toEqual({ ok: true });
    const unconnected = graphOf([{ id: 'lonely', type: 'add' }], []);
    const bad = (await (await s.api('/api/validate', { method: 'POST', body: JSON.stringify({ graph: unconnected }) })).json()) as {
      ok: boolean;
      error: string;
      node?: string;
    };
    expect(bad).toMatchObject({ ok: false, node: 'lonely' });
    expect(bad.error).toMatch(/required input "a"/);
    const r = await s.api('/api/runs', { method: 'POST', body: JSON.stringify({ graph: unconnected }) });
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({ node: 'lonely' });
  });

  it('answers 501 to reveal outside the desktop app', async () => {
    const r = await s.api('/api/reveal', { method: 'POST', body: JSON.stringify({ path: s.graphsDir }) });
    expect(r.status).toBe(501);
  });
});

describe('reveal in the desktop app', () => {
  it('passes allowed paths to the shell and refuses others', async () => {
    const revealed: string[] = [];
    const d = await startTestServer({ reveal: (p) => void revealed.push(p) });
    try {
      const note = path.join(d.graphsDir, 'assets', 'note.txt');
      expect(await (await d.api('/api/reveal', { method: 'POST', body: JSON.stringify({ path: note }) })).json()).toEqual({ ok: true });
      expect((await d.api('/api/reveal', { method: 'POST', body: JSON.stringify({ path: '/etc/passwd' }) })).status).toBe(403);
      expect(revealed).toEqual([await fs.realpath(note)]);
      expect(((await (await d.api('/api/info')).json()) as { desktop: boolean }).desktop).toBe(true);
    } finally {
      await d.close();
    }
  });
});

describe('shutdown', () => {
  it('close() cancels a live run and tells connected clients', async () => {
    const d = await startTestServer();
    const ev = await openEvents(d);
    const r = await d.api('/api/runs', { method: 'POST', body: JSON.stringify({ graph: graphOf([{ id: 'w', type: 'wait' }], []) }) });
    const { runId } = (await r.json()) as { runId: string };
    await ev.until((m) => m.runId === runId && m.event === 'node-progress');
    await d.close();
    const done = (await ev.until((m) => m.runId === runId && m.event === 'run-done')) as Extract<RunMessage, { event: 'run-done' }>;
    expect(done.failed).toEqual(['w']);
    expect(done.error).toMatch(/E121/);
  });
});
