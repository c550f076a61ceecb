import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { rawRequest, startTestServer, type TestServer } from '../../test/support/studio-server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

const host = () => `127.0.0.1:${s.port}`;

describe('session guards', () => {
  it('binds to the loopback address only and hands out a 32-hex token in the URL', () => {
    expect(s.address).toBe('127.0.0.1');
    expect(s.token).toMatch(/^[0-9a-f]{32}$/);
    expect(s.url).toBe(`http://127.0.0.1:${s.port}/?token=${s.token}`);
  });

  it('answers 401 without a token and with a wrong one, 200 with header or query token', async () => {
    const none = await rawRequest(s.port, { path: '/api/catalog', headers: { Host: host() } });
    expect(none.status).toBe(401);
    expect(JSON.parse(String(none.body)).error).toMatch(/token/);
    const wrong = await rawRequest(s.port, { path: '/api/catalog', headers: { Host: host(), 'X-S2V-Token': 'f'.repeat(32) } });
    expect(wrong.status).toBe(401);
    const short = await rawRequest(s.port, { path: `/api/catalog?token=${s.token.slice(1)}`, headers: { Host: host() } });
    expect(short.status).toBe(401);
    const byHeader = await rawRequest(s.port, { path: '/api/catalog', headers: { Host: host(), 'X-S2V-Token': s.token } });
    expect(byHeader.status).toBe(200);
    const byQuery = await rawRequest(s.port, { path: `/api/catalog?token=${s.token}`, headers: { Host: `localhost:${s.port}` } });
    expect(byQuery.status).toBe(200);
  });

  it('answers 403 to a foreign Origin even with the right token, and accepts its own origin', async () => {
    const foreign = await rawRequest(s.port, {
      path: '/api/catalog',
      headers: { Host: host(), Origin: 'http://evil.example', 'X-S2V-Token': s.token },
    });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(String(foreign.body)).error).toMatch(/origin/);
    const otherPort = await rawRequest(s.port, {
      path: '/api/catalog',
      headers: { Host: host(), Origin: `http://127.0.0.1:${s.port + 1}`, 'X-S2V-Token': s.token },
    });
    expect(otherPort.status).toBe(403);
    // A page on port <our port>0 (4321 → 43210) is another origin, not a prefix of ours that passes.
    const longerPort = await rawRequest(s.port, {
      path: '/api/catalog',
      headers: { Host: host(), Origin: `http://127.0.0.1:${s.port}0`, 'X-S2V-Token': s.token },
    });
    expect(longerPort.status).toBe(403);
    const own = await rawRequest(s.port, { path: '/api/catalog', headers: { Host: host(), Origin: `http://localhost:${s.port}`, 'X-S2V-Token': s.token } });
    expect(own.status).toBe(200);
  });

  it('answers 403 to a foreign Host (DNS rebinding), on the API and on static files', async () => {
    for (const p of ['/api/catalog', '/']) {
      const r = await rawRequest(s.port, { path: p, headers: { Host: `rebind.example:${s.port}`, 'X-S2V-Token': s.token } });
      expect(r.status).toBe(403);
    }
    const wrongPort = await rawRequest(s.port, { path: '/api/catalog', headers: { Host: '127.0.0.1:80', 'X-S2V-Token': s.token } });
    expect(wrongPort.status).toBe(403);
  });

  it('refuses WebSocket upgrades without the token or from a foreign origin', async () => {
    const attempt = (url: string, headers: Record<string, string> = {}) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(url, { headers });
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => {
          ws.close();
          resolve(101);
        });
        ws.on('error', () => undefined);
      });
    const base = `ws://127.0.0.1:${s.port}/api/events`;
    expect(await attempt(base)).toBe(401);
    expect(await attempt(`${base}?token=${'0'.repeat(32)}`)).toBe(401);
    expect(await attempt(`${base}?token=${s.token}`, { Origin: 'http://evil.example' })).toBe(403);
    expect(await attempt(`${base}?token=${s.token}`, { Origin: `http://127.0.0.1:${s.port}` })).toBe(101);
  });
});

describe('static UI', () => {
  it('explains how to build the UI when dist is missing', async () => {
    const r = await rawRequest(s.port, { path: '/', headers: { Host: host() } });
    expect(r.status).toBe(503);
    expect(String(r.body)).toContain('npm run build:ui');
  });

  it('serves the built UI without a token, falls back to index.html, and refuses traversal', async () => {
    const ui = path.join(s.root, 'ui');
    await fs.mkdir(path.join(ui, 'assets'), { recursive: true });
    await fs.writeFile(path.join(ui, 'index.html'), '<!doctype html><title>studio</title>');
    await fs.writeFile(path.join(ui, 'assets', 'app.js'), 'console.log(1)');
    await fs.writeFile(path.join(s.root, 'secret.txt'), 'TOP-SECRET-BYTES');
    const index = await rawRequest(s.port, { path: '/', headers: { Host: host() } });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    const js = await rawRequest(s.port, { path: '/assets/app.js', headers: { Host: host() } });
    expect(String(js.body)).toBe('console.log(1)');
    expect(js.headers['content-type']).toContain('javascript');
    const route = await rawRequest(s.port, { path: '/documents/mine', headers: { Host: host() } });
    expect(String(route.body)).toContain('<title>studio</title>');
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const r = await rawRequest(s.port, { path: p, headers: { Host: host() } });
      expect([400, 403, 404]).toContain(r.status);
      expect(String(r.body)).not.toContain('TOP-SECRET-BYTES');
    }
  });
});
