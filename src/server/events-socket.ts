/**
 * The run-event WebSocket (`/api/events`): the same Host/Origin/token checks as HTTP, a refused
 * upgrade gets a plain HTTP answer, and every run message goes to every client — except that a
 * stalled client may miss progress ticks, never state changes.
 */
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import type { RunMessage } from '../protocol/studio-api.js';
import { HttpError } from './http.js';
import { checkHost, checkOrigin, checkToken } from './security.js';

export function eventsSocket(guard: { token: string; port: () => number }) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  return {
    broadcast(msg: RunMessage): void {
      const text = JSON.stringify(msg);
      for (const ws of wss.clients) {
        if (ws.readyState !== WebSocket.OPEN) continue;
        if (msg.event === 'node-progress' && ws.bufferedAmount > 1024 * 1024) continue;
        ws.send(text);
      }
    },
    upgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      try {
        if (url.pathname !== '/api/events') throw new HttpError(404, 'no WebSocket endpoint here');
        checkHost(req, guard.port());
        checkOrigin(req, guard.port());
        checkToken(req, url, guard.token);
      } catch (e) {
        const status = e instanceof HttpError ? e.status : 400;
        const body = JSON.stringify({ error: (e as Error).message });
        socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close(): void {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
