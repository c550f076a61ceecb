/** Small HTTP helpers: JSON replies, bounded JSON bodies, and the error type routes throw. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorLine, isS2VError } from '../engine/index.js';

/** An error with an HTTP status; its message is the one line the client shows. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Map anything thrown by a route to a status and one line. S2VErrors are the client's fault (400). */
export function sendError(res: ServerResponse, e: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (e instanceof HttpError) return sendJson(res, e.status, { error: e.message, ...e.extra });
  if (isS2VError(e)) return sendJson(res, 400, { error: errorLine(e), ...nodeOf(e) });
  sendJson(res, 500, { error: errorLine(e) });
}

/** The node an error is about, as `{ node }` for the reply (the UI highlights it); `{}` when it is about none. */
export function nodeOf(e: unknown): { node?: string } {
  return isS2VError(e) && e.node !== undefined ? { node: e.node } : {};
}

/** Read a JSON body, refusing more than `limit` bytes (graphs are small). */
export async function readJson(req: IncomingMessage, limit = 16 * 1024 * 1024): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) throw new HttpError(400, 'request body is empty (expected JSON)');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `request body is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

export { SECURITY_HEADERS };
