/**
 * The studio's local server: the HTTP + WebSocket API in API.md, on 127.0.0.1 only,
 * guarded by a per-session token plus Host/Origin checks. One engine, shared with the
 * CLI: graphs run through `runGraph` with the same catalog, services and cache.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, WebSocket } from 'ws';
import { PORT_COLORS, errorLine, type CacheStore, type Catalog, type Services } from '../engine/index.js';
import { HttpError, nodeOf, readJson, sendError, sendJson } from './http.js';
import { checkHost, checkOrigin, checkToken, newToken } from './security.js';
import { REPO_ROOT, defaultDataDir, insideRoots, realOrResolved } from './paths.js';
import { sendFile } from './send-file.js';
import { receiveAsset } from './assets.js';
import { DocumentStore } from './documents.js';
import { TemplateStore } from './templates.js';
import { prepareRunGraph, type RunRoots } from './run-prep.js';
import { RunManager, type RunMessage } from './runs.js';
import { DEFAULT_STATIC_DIR, serveStatic } from './static.js';
import { FaceDetector } from './detect-face.js';
import { shareRoutes } from './share.js';

/** What the server needs from a runtime (src/runtime's `Runtime` fits; tests pass stubs). */
export interface StudioRuntime {
  catalog: Catalog;
  services: Services;
  cache: CacheStore;
  dispose?(): Promise<void>;
}

export interface StudioServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to `createRuntime({ cacheDir })` from src/runtime, disposed on close. */
  runtime?: StudioRuntime;
  /** Used only when no runtime is given. */
  cacheDir?: string;
  /** Built UI folder (default dist/app). */
  staticDir?: string;
  /** Documents, assets and outputs live here (default: per-user data folder, or S2V_DATA_DIR). */
  dataDir?: string;
  /** Template graphs (default: the repo's graphs/). */
  graphsDir?: string;
  /** Upload size cap in bytes (default 2 GiB). */
  maxUploadBytes?: number;
  /** Opens the OS file manager on a path (the desktop shell passes nw.Shell.showItemInFolder). */
  reveal?: (path: string) => void | Promise<void>;
}

export interface StudioServer {
  /** `http://127.0.0.1:<port>/?token=<token>` */
  url: string;
  port: number;
  /** The address actually bound (always 127.0.0.1). */
  address: string;
  token: string;
  dataDir: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_UPLOAD = 2 * 1024 ** 3;

/** Start the studio server. Resolves once it listens. */
export async function startServer(opts: StudioServerOptions = {}): Promise<StudioServer> {
  let runtime = opts.runtime;
  let ownsRuntime = false;
  if (!runtime) {
    const { createRuntime } = await import('../runtime/index.js');
    runtime = createRuntime({ cacheDir: opts.cacheDir });
    ownsRuntime = true;
  }
  const rt = runtime;
  const dataDir = path.resolve(opts.dataDir ?? defaultDataDir());
  const graphsDir = path.resolve(opts.graphsDir ?? path.join(REPO_ROOT, 'graphs'));
  const staticDir = path.resolve(opts.staticDir ?? DEFAULT_STATIC_DIR);
  const assetsDir = path.join(dataDir, 'assets');
  const outputsDir = path.join(dataDir, 'outputs');
  const documentsDir = path.join(dataDir, 'graphs');
  for (const d of [assetsDir, outputsDir, documentsDir]) await fs.mkdir(d, { recursive: true });
  const cacheDir = rt.cache.dir ?? (await rt.cache.stats().catch(() => ({ dir: undefined }))).dir;
  const maxUpload = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
  const token = newToken();
  const version = JSON.parse(await fs.readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')).version as string;

  const documents = new DocumentStore(documentsDir);
  const templates = new TemplateStore(graphsDir, rt.catalog);
  const runRoots: RunRoots = { readable: [assetsDir, graphsDir], graphsDir, outputsDir };
  const fileRoots = [assetsDir, graphsDir, outputsDir, ...(cacheDir ? [cacheDir] : [])];
  /** Files a run of this session reported outside the roots (e.g. an unknown cache dir); served and revealable. */
  const producedFiles = new Set<string>();
  const faces = new FaceDetector(rt.services);

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const broadcast = (msg: RunMessage) => {
    const text = JSON.stringify(msg);
    for (const ws of wss.clients) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      // A stalled client may miss progress ticks, never state changes.
      if (msg.event === 'node-progress' && ws.bufferedAmount > 1024 * 1024) continue;
      ws.send(text);
    }
  };
  const runs = new RunManager({
    catalog: rt.catalog,
    services: rt.services,
    cache: rt.cache,
    broadcast,
    onOutputPaths: (paths) => paths.forEach((p) => path.isAbsolute(p) && producedFiles.add(path.resolve(p))),
  });

  /** A path the browser may read (or reveal), as its real path; 403 otherwise. */
  const allowedFile = async (raw: string | null): Promise<string> => {
    if (!raw) throw new HttpError(400, 'missing ?path=');
    if (!path.isAbsolute(raw)) throw new HttpError(400, 'path must be absolute');
    const real = await insideRoots(raw, fileRoots);
    if (real) return real;
    const resolved = path.resolve(raw);
    if (producedFiles.has(resolved)) return realOrResolved(resolved);
    throw new HttpError(403, `not allowed: ${path.basename(raw)} is outside the studio's folders`);
  };

  const share = shareRoutes({ catalog: rt.catalog, services: rt.services, dataDir, assetsDir, graphsDir, documentsDir, readableRoots: fileRoots, maxUploadBytes: maxUpload, token });
  const api = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> => {
    const parts = url.pathname.split('/').filter(Boolean).slice(1); // drop "api"
    const method = req.method ?? 'GET';
    if (await share(req, res, parts, method)) return;
    const route = `${method} ${parts[0] ?? ''}`;
    const one = parts.length === 2 ? parts[1]! : undefined;
    switch (true) {
      case route === 'GET info' && parts.length === 1:
        return sendJson(res, 200, { version, desktop: Boolean(opts.reveal), dataDir, assetsDir, outputsDir, documentsDir, graphsDir });
      case route === 'GET catalog' && parts.length === 1:
        return sendJson(res, 200, { nodes: rt.catalog.info(), portColors: PORT_COLORS });
      case route === 'GET models' && parts.length === 1: {
        let models;
        try {
          models = await rt.services.inference.listModels();
          // Remote models side by side with the local ones, in the same shape the picker reads.
          const remote = (await rt.services.backends?.listRemoteModels()) ?? [];
          models = [...models, ...remote.map((m) => ({
            id: m.id, title: m.title, version: m.version, kind: m.backend, remote: true, requiresImage: m.image === 'required',
            features: [], files: [], license: m.license ?? '', description: m.description ?? '', requirements: m.requirements,
            defaults: { width: m.sizes[0]!.width, height: m.sizes[0]!.height, fps: m.grid.fps },
          }))];
        } catch (e) {
          throw new HttpError(500, `cannot list models: ${errorLine(e)}`);
        }
        return sendJson(res, 200, models);
      }
      case route === 'GET templates' && parts.length === 1:
        return sendJson(res, 200, await templates.list());
      case route === 'GET templates' && one !== undefined:
        return sendJson(res, 200, await templates.load(one));
      case route === 'GET documents' && parts.length === 1:
        return sendJson(res, 200, await documents.list());
      case route === 'GET documents' && one !== undefined:
        return sendJson(res, 200, await documents.load(one));
      case route === 'GET documents' && parts.length === 3 && parts[2] === 'versions':
        return sendJson(res, 200, await documents.versions(parts[1]!));
      case route === 'GET documents' && parts.length === 4 && parts[2] === 'versions':
        return sendJson(res, 200, await documents.loadVersion(parts[1]!, parts[3]!));
      case route === 'PUT documents' && one !== undefined:
        return sendJson(res, 200, await documents.save(one, await readJson(req)));
      case route === 'POST assets' && parts.length === 1: {
        const a = await receiveAsset(req, assetsDir, maxUpload);
        const q = new URLSearchParams({ path: a.path, token });
        return sendJson(res, 200, { ...a, url: `/api/files?${q}` });
      }
      case (route === 'GET files' || route === 'HEAD files') && parts.length === 1:
        return sendFile(req, res, await allowedFile(url.searchParams.get('path')));
      case route === 'POST validate' && parts.length === 1: {
        const body = (await readJson(req)) as { graph?: unknown };
        try {
          if (body?.graph === undefined) throw new HttpError(400, 'expected { graph }');
          await prepareRunGraph(body.graph, rt.catalog, runRoots);
          return sendJson(res, 200, { ok: true });
        } catch (e) {
          if (e instanceof HttpError) throw e;
          return sendJson(res, 200, { ok: false, error: errorLine(e), ...nodeOf(e) });
        }
      }
      case route === 'POST runs' && parts.length === 1: {
        const body = (await readJson(req)) as { graph?: unknown; target?: unknown; name?: unknown };
        if (body?.graph === undefined) throw new HttpError(400, 'expected { graph, target?, name? }');
        if (body.target !== undefined && typeof body.target !== 'string') throw new HttpError(400, 'target must be a node id');
        // With a name (the studio sends the document's), Output nodes left on their default path get a file of their own.
        const renderName = typeof body.name === 'string' && body.name.trim() ? body.name : undefined;
        const graph = await prepareRunGraph(body.graph, rt.catalog, runRoots, { renderName });
        if (body.target && !graph.nodes.some((n) => n.id === body.target)) {
          throw new HttpError(400, `no node "${body.target}" to run up to`, { node: body.target });
        }
        return sendJson(res, 200, { runId: runs.start(graph, body.target as string | undefined) });
      }
      case route === 'GET runs' && one !== undefined: {
        const r = runs.get(one);
        if (!r) throw new HttpError(404, `no run "${one.slice(0, 40)}"`);
        return sendJson(res, 200, r);
      }
      case route === 'POST runs' && parts.length === 3 && parts[2] === 'cancel': {
        if (!runs.get(parts[1]!)) throw new HttpError(404, `no run "${parts[1]!.slice(0, 40)}"`);
        return sendJson(res, 200, { ok: runs.cancel(parts[1]!) });
      }
      case route === 'POST detect-face' && parts.length === 1: {
        const body = (await readJson(req)) as { path?: unknown };
        const file = await allowedFile(typeof body?.path === 'string' ? body.path : null);
        const st = await fs.stat(file).catch(() => undefined);
        if (!st?.isFile()) throw new HttpError(404, `no such file: ${path.basename(file)}`);
        return sendJson(res, 200, await faces.detect(file));
      }
      case route === 'POST reveal' && parts.length === 1: {
        const body = (await readJson(req)) as { path?: unknown };
        if (!opts.reveal) throw new HttpError(501, 'revealing files needs the desktop app (npm start)');
        const file = await allowedFile(typeof body?.path === 'string' ? body.path : null);
        await opts.reveal(file);
        return sendJson(res, 200, { ok: true });
      }
      default: {
        const known = ['info', 'catalog', 'models', 'templates', 'documents', 'assets', 'files', 'validate', 'runs', 'reveal', 'detect-face'];
        if (known.includes(parts[0] ?? '')) throw new HttpError(405, `${method} ${url.pathname} is not supported`);
        throw new HttpError(404, `no API endpoint ${url.pathname}`);
      }
    }
  };

  let port = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    void (async () => {
      try {
        checkHost(req, port);
        checkOrigin(req, port);
        if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
          checkToken(req, url, token);
          await api(req, res, url);
        } else {
          await serveStatic(req, res, staticDir, url.pathname);
        }
      } catch (e) {
        // Unread upload bytes must not be parsed as the next request on this connection.
        if (!req.complete) res.setHeader('Connection', 'close');
        sendError(res, e);
      }
    })();
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    try {
      if (url.pathname !== '/api/events') throw new HttpError(404, 'no WebSocket endpoint here');
      checkHost(req, port);
      checkOrigin(req, port);
      checkToken(req, url, token);
    } catch (e) {
      const status = e instanceof HttpError ? e.status : 400;
      const body = JSON.stringify({ error: (e as Error).message });
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    address: bound.address,
    token,
    dataDir,
    close() {
      closing ??= (async () => {
        await runs.closeAll();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (ownsRuntime) await rt.dispose?.();
      })();
      return closing;
    },
  };
}

export type { RunMessage, RunSummary, RunRecord, RunStatus } from './runs.js';
export type { Asset, AssetKind } from './assets.js';
export type { DocumentInfo } from './documents.js';
export type { TemplateInfo } from './templates.js';
