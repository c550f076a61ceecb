/**
 * The LLM client against a real OpenAI-compatible stand-in on 127.0.0.1: the request it sends,
 * and that a server address with credentials never reaches a failure reason (a node shows those
 * as warnings). The Screenwriter's fallbacks are tested through the node (nodes/screenwriter).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chat, completionsUrl } from './openai-chat.js';

let server: http.Server;
let port: number;
const seen: Array<{ url?: string; auth?: string; body: Record<string, unknown> }> = [];
let status = 200;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      seen.push({ url: req.url, auth: req.headers.authorization, body: JSON.parse(raw || '{}') });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(status === 200 ? JSON.stringify({ choices: [{ message: { role: 'assistant', content: '  a quiet harbour at dawn  ' } }] }) : '{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('LLM client (OpenAI-compatible chat)', () => {
  it('posts the messages, model, seed and limits to /v1/chat/completions and returns the trimmed answer', async () => {
    status = 200;
    const messages = [{ role: 'system' as const, content: 'be brief' }, { role: 'user' as const, content: 'a harbour' }];
    const answer = await chat({ url: `http://127.0.0.1:${port}/v1/`, model: 'tiny', messages, seed: 7, timeoutSec: 5 });
    expect(answer).toEqual({ ok: true, text: 'a quiet harbour at dawn' });
    expect(seen.at(-1)).toMatchObject({ url: '/v1/chat/completions', body: { model: 'tiny', seed: 7, temperature: 0.7, max_tokens: 300, messages } });
    expect(completionsUrl('http://h:1')).toBe('http://h:1/v1/chat/completions');
  });

  it('a failure reason names the server without its token or user:password', async () => {
    status = 500;
    const token = await chat({ url: `http://127.0.0.1:${port}/?token=t0ken-xyz`, model: '', messages: [], timeoutSec: 5 });
    expect(token).toEqual({ ok: false, reason: `HTTP 500 from http://127.0.0.1:${port}` });
    // fetch refuses an address with credentials, quoting it in its error: the reason must not.
    const userInfo = await chat({ url: `http://alice:s3cret-pw@127.0.0.1:${port}/`, model: '', messages: [], timeoutSec: 5 });
    expect(userInfo.ok).toBe(false);
    expect(JSON.stringify(userInfo)).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(Request cannot be constructed/);
    expect(JSON.stringify(userInfo)).not.toMatch(/alice|s3cret/);
  });
});
