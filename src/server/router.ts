/**
 * The API's route table: method + path pattern → handler. Patterns are written as the API.md
 * documents them (`/documents/:name/versions/:id`); a `:name` segment matches one path segment,
 * handed to the handler still URL-encoded (the handler's `safeName` decodes and checks it).
 */
import type http from 'node:http';
import { HttpError } from './http.js';

export interface RouteRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  /** The `:name` segments of the pattern, by name. */
  params: Record<string, string>;
}

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  /** Path below /api, e.g. `/runs/:id/cancel`. */
  path: string;
  handle(r: RouteRequest): Promise<void> | void;
}

function match(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p.startsWith(':')) params[p.slice(1)] = parts[i]!;
    else if (p !== parts[i]) return undefined;
  }
  return params;
}

/**
 * A handler for everything under /api. An unknown path is 404; a path whose first segment the
 * table knows, asked with a method (or shape) it does not serve, is 405.
 */
export function routeTable(routes: readonly Route[]) {
  const table = routes.map((r) => ({ ...r, pattern: r.path.split('/').filter(Boolean) }));
  const known = new Set(table.map((r) => r.pattern[0]));
  return async function dispatch(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split('/').filter(Boolean).slice(1); // drop "api"
    const method = req.method ?? 'GET';
    for (const r of table) {
      if (r.method !== method) continue;
      const params = match(r.pattern, parts);
      if (params) return r.handle({ req, res, url, params });
    }
    if (known.has(parts[0])) throw new HttpError(405, `${method} ${url.pathname} is not supported`);
    throw new HttpError(404, `no API endpoint ${url.pathname}`);
  };
}
