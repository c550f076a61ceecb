/** Server addresses a graph may name: only absolute http(s) URLs, never data:/file: or anything fetch might also read. */
import { describe, expect, it } from 'vitest';
import { isHttpUrl } from './urls.js';

describe('isHttpUrl', () => {
  it.each(['http://127.0.0.1:8080/v1', 'https://llm.example.com/v1/chat/completions', '  https://example.com  ', 'HTTP://EXAMPLE.COM'])('accepts %s', (u) => {
    expect(isHttpUrl(u)).toBe(true);
  });
  it.each(['data:text/plain,hi', 'file:///etc/passwd', 'ftp://example.com', 'ws://127.0.0.1', '/v1/chat', 'example.com', '', 'http//x'])('refuses %s', (u) => {
    expect(isHttpUrl(u)).toBe(false);
  });
});
