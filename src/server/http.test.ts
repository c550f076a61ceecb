/**
 * Errors reach the studio with the node they are about as a field of the reply, taken from the
 * error's structured `node` — also when the node named itself by its bare id, which the text of
 * `where` alone would not reveal.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { S2VError, ScratchCache, createCatalog, defineNode, parseGraph, runGraph } from '../engine/index.js';
import { noServices } from '../../test/support/stub-nodes.js';
import { HttpError, sendError } from './http.js';

/** Throws the way a node does: `where` is its bare id, as nodes/video-model does with ctx.nodeId. */
const picky = defineNode({
  type: 't-picky', version: 1, title: 'Picky', category: 'source', description: 'stub', inputs: {},
  outputs: { text: { type: 'text' } }, params: z.object({}), cache: 'pure',
  evaluate: async ({ ctx }) => {
    throw new S2VError('E107', 'audio is too short for one frame', { where: ctx.nodeId });
  },
});
const catalog = createCatalog([picky]);

let thrown: unknown;
let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((req, res) => sendError(res, req.url === '/http' ? new HttpError(404, 'gone', { node: 'z' }) : thrown));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('sendError: the node an error is about', () => {
  it('maps an error a node raised with its bare id in `where` to { node } (the evaluator sets the field)', async () => {
    const g = parseGraph({ schemaVersion: 1, nodes: [{ id: 'mic', type: 't-picky' }], edges: [] });
    const r = await runGraph(g, { catalog, services: noServices, cache: new ScratchCache() });
    thrown = r.error;
    const res = await fetch(`${base}/run`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'E107 mic: audio is too short for one frame', node: 'mic' });
  });

  it('maps an engine error raised at a node ("node \\"id\\"" for people) to { node }', async () => {
    thrown = new S2VError('E106', 'param fps: too small', { where: 'node "v"', node: 'v' });
    expect(await (await fetch(`${base}/x`)).json()).toEqual({ error: 'E106 node "v": param fps: too small', node: 'v' });
  });

  it('adds no node for an error about none, and answers 500 for what is not an S2VError', async () => {
    thrown = new S2VError('E101', 'graph file not found', { where: 'node "looks-like-one".json' });
    expect(await (await fetch(`${base}/x`)).json()).toEqual({ error: 'E101 node "looks-like-one".json: graph file not found' });
    thrown = new Error('boom');
    const res = await fetch(`${base}/x`);
    expect([res.status, await res.json()]).toEqual([500, { error: 'boom' }]);
  });

  it('passes an HttpError\'s status and extra fields through', async () => {
    const res = await fetch(`${base}/http`);
    expect([res.status, await res.json()]).toEqual([404, { error: 'gone', node: 'z' }]);
  });
});
