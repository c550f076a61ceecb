/**
 * The route table: a request reaches the handler whose method and pattern match, with its
 * `:name` segments; other shapes of a known endpoint answer 405, unknown endpoints 404.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendError, sendJson } from './http.js';
import { routeTable, type Route } from './router.js';

const routes: Route[] = [
  { method: 'GET', path: '/documents', handle: ({ res }) => sendJson(res, 200, { route: 'list' }) },
  { method: 'GET', path: '/documents/:name', handle: ({ res, params }) => sendJson(res, 200, { route: 'load', params }) },
  { method: 'PUT', path: '/documents/:name', handle: ({ res, params }) => sendJson(res, 200, { route: 'save', params }) },
  { method: 'GET', path: '/documents/:name/versions/:version', handle: ({ res, params }) => sendJson(res, 200, { route: 'version', params }) },
  { method: 'POST', path: '/runs/:id/cancel', handle: async ({ res, params, url }) => sendJson(res, 200, { route: 'cancel', params, q: url.searchParams.get('q') }) },
];

let server: http.Server;
let base: string;
beforeAll(async () => {
  const dispatch = routeTable(routes);
  server = http.createServer((req, res) => {
    dispatch(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')).catch((e) => sendError(res, e));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const call = async (method: string, p: string) => {
  const res = await fetch(`${base}${p}`, { method, ...(method === 'PUT' || method === 'POST' ? { body: '{}' } : {}) });
  return [res.status, await res.json()];
};

describe('routeTable', () => {
  it('picks the route by method and pattern, and hands over the named segments (still URL-encoded)', async () => {
    expect(await call('GET', '/documents')).toEqual([200, { route: 'list' }]);
    expect(await call('GET', '/documents/My%20song')).toEqual([200, { route: 'load', params: { name: 'My%20song' } }]);
    expect(await call('PUT', '/documents/a')).toEqual([200, { route: 'save', params: { name: 'a' } }]);
    expect(await call('GET', '/documents/a/versions/3')).toEqual([200, { route: 'version', params: { name: 'a', version: '3' } }]);
    expect(await call('POST', '/runs/r1/cancel?q=x')).toEqual([200, { route: 'cancel', params: { id: 'r1' }, q: 'x' }]);
  });

  it('answers 405 for a known endpoint asked with another method or shape, 404 for an unknown one', async () => {
    expect(await call('DELETE', '/documents/a')).toEqual([405, { error: 'DELETE /api/documents/a is not supported' }]);
    expect(await call('GET', '/documents/a/versions')).toEqual([405, { error: 'GET /api/documents/a/versions is not supported' }]);
    expect(await call('GET', '/runs/r1/cancel')).toEqual([405, { error: 'GET /api/runs/r1/cancel is not supported' }]);
    expect(await call('GET', '/nothing')).toEqual([404, { error: 'no API endpoint /api/nothing' }]);
    expect(await call('GET', '')).toEqual([404, { error: 'no API endpoint /api' }]);
  });
});
