/**
 * The three guards every request passes: Host (DNS rebinding), Origin (other web pages)
 * and, for /api, the per-session token. A page on another site can neither read the
 * API (no token) nor drive it through a rebound name (Host) or a form post (Origin).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http.js';

/** 32 hex characters, new for every server start. */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}

function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

/** Host must name this server by loopback address or `localhost`, with our port. */
export function checkHost(req: IncomingMessage, port: number): void {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowedHosts(port).has(host)) throw new HttpError(403, `host "${host.slice(0, 80)}" is not allowed`);
}

/** An Origin header, when present, must be this server's own. */
export function checkOrigin(req: IncomingMessage, port: number): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const ok = [...allowedHosts(port)].some((h) => origin.toLowerCase() === `http://${h}`);
  if (!ok) throw new HttpError(403, `origin "${origin.slice(0, 80)}" is not allowed`);
}

/** The token from `X-S2V-Token` or `?token=`, compared in constant time. */
export function checkToken(req: IncomingMessage, url: URL, token: string): void {
  const header = req.headers['x-s2v-token'];
  const given = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('token') ?? '';
  if (!given) throw new HttpError(401, 'missing session token (X-S2V-Token header or ?token=)');
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw new HttpError(401, 'wrong session token');
}
