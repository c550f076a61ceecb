/**
 * The Host and Origin guards on their own (the server test drives them over HTTP): both
 * compare the whole value, so a page on port 43210 never passes for a server on 4321, and
 * a look-alike host name never passes for localhost.
 */
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkHost, checkOrigin, checkToken, newToken } from './security.js';

const req = (headers: Record<string, string | string[]>) => ({ headers }) as unknown as IncomingMessage;
const status = (fn: () => void): number | 'ok' => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    return (e as { status?: number }).status ?? -1;
  }
};

describe('Origin guard', () => {
  it('accepts exactly this server’s own origins (either loopback name, any letter case) and no Origin at all', () => {
    expect(status(() => checkOrigin(req({ origin: 'http://127.0.0.1:4321' }), 4321))).toBe('ok');
    expect(status(() => checkOrigin(req({ origin: 'http://localhost:4321' }), 4321))).toBe('ok');
    expect(status(() => checkOrigin(req({ origin: 'HTTP://LocalHost:4321' }), 4321))).toBe('ok');
    expect(status(() => checkOrigin(req({}), 4321))).toBe('ok');
  });

  it.each([
    ['http://127.0.0.1:43210', 'a page on port 43210 is not the server on 4321 (no prefix match)'],
    ['http://localhost:43219', 'longer port on localhost'],
    ['http://127.0.0.1:4321.evil.example', 'a host that merely starts with ours'],
    ['http://localhost:4321@evil.example', 'userinfo trick'],
    ['http://127.0.0.1:432', 'a shorter port (suffix of ours)'],
    ['https://127.0.0.1:4321', 'another scheme is another origin'],
    ['http://evil.example', 'another site'],
    ['null', 'an opaque origin (sandboxed frame, file:)'],
    ['', 'an empty Origin header'],
  ])('refuses Origin %j with 403: %s', (origin) => {
    expect(status(() => checkOrigin(req({ origin }), 4321))).toBe(403);
  });

  it('names the refused origin in the one-line error, cut to 80 characters', () => {
    const long = `http://evil.example/${'x'.repeat(200)}`;
    let message = '';
    try {
      checkOrigin(req({ origin: long }), 4321);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`origin "${long.slice(0, 80)}" is not allowed`);
  });
});

describe('Host guard', () => {
  it('accepts 127.0.0.1:port and localhost:port in any letter case', () => {
    expect(status(() => checkHost(req({ host: '127.0.0.1:4321' }), 4321))).toBe('ok');
    expect(status(() => checkHost(req({ host: 'LOCALHOST:4321' }), 4321))).toBe('ok');
  });
  it.each(['127.0.0.1:43210', 'localhost:432', 'localhost', '127.0.0.1', 'localhost.evil.example:4321', 'evil.example:4321', '[::1]:4321', ''])(
    'refuses Host %j with 403 (DNS rebinding)',
    (host) => {
      expect(status(() => checkHost(req(host ? { host } : {}), 4321))).toBe(403);
    },
  );
  it('names the refused host, lower-cased and cut to 80 characters', () => {
    let message = '';
    try {
      checkHost(req({ host: `REBIND.example:${'9'.repeat(100)}` }), 4321);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`host "${`rebind.example:${'9'.repeat(100)}`.slice(0, 80)}" is not allowed`);
    expect(() => checkHost(req({}), 4321)).toThrow('host "" is not allowed');
  });
});

describe('session token', () => {
  const url = (q = '') => new URL(`http://127.0.0.1:4321/api/x${q}`);
  it('is 32 hex characters and new every time', () => {
    const a = newToken();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(newToken()).not.toBe(a);
  });
  it('accepts the exact token from the header (first of several) or the query; refuses anything else with 401', () => {
    const t = newToken();
    expect(status(() => checkToken(req({ 'x-s2v-token': t }), url(), t))).toBe('ok');
    expect(status(() => checkToken(req({ 'x-s2v-token': [t, 'junk'] }), url(), t))).toBe('ok');
    expect(status(() => checkToken(req({}), url(`?token=${t}`), t))).toBe('ok');
    expect(status(() => checkToken(req({}), url(), t))).toBe(401);
    expect(status(() => checkToken(req({ 'x-s2v-token': t.slice(0, 31) }), url(), t))).toBe(401);
    expect(status(() => checkToken(req({ 'x-s2v-token': `${t}0` }), url(), t))).toBe(401);
    expect(status(() => checkToken(req({ 'x-s2v-token': t.toUpperCase() }), url(), t))).toBe(401);
    // A header, even a wrong one, is what counts: a right query token does not rescue it.
    expect(status(() => checkToken(req({ 'x-s2v-token': 'f'.repeat(32) }), url(`?token=${t}`), t))).toBe(401);
  });
  it('says which token is missing or wrong', () => {
    const t = newToken();
    const msg = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    };
    expect(msg(() => checkToken(req({}), url(), t))).toBe('missing session token (X-S2V-Token header or ?token=)');
    expect(msg(() => checkToken(req({ 'x-s2v-token': 'nope' }), url(), t))).toBe('wrong session token');
  });
});
