/**
 * The studio's local server: the HTTP + WebSocket API in API.md, on 127.0.0.1 only,
 * guarded by a per-session token plus Host/Origin checks. One engine, shared with the
 * CLI: graphs run through `runGraph` with the same catalog, services and cache.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { insideRoots, realOrResolved, type CacheStore, type Catalog, type Services } from '../engine/index.js';
import { HttpError, sendError } from './http.js';
import { checkHost, checkOrigin, checkToken, newToken } from './security.js';
import { REPO_ROOT, defaultDataDir } from './paths.js';
import { DocumentStore } from './documents.js';
import { TemplateStore } from './templates.js';
import type { RunRoots } from './run-prep.js';
import { RunManager } from './runs.js';
import { DEFAULT_STATIC_DIR, serveStatic } from './static.js';
import { FaceDetector } from './detect-face.js';
import { shareRoutes } from './share.js';
import { eventsSocket } from './events-socket.js';
import { routeTable } from './router.js';
import { studioRoutes } from './studio-routes.js';

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

  let port = 0;
  const events = eventsSocket({ token, port: () => port });
  const runs = new RunManager({
    catalog: rt.catalog,
    services: rt.services,
    cache: rt.cache,
    broadcast: (msg) => events.broadcast(msg),
    onOutputPaths: (paths) => paths.forEach((p) => path.isAbsolute(p) && producedFiles.add(path.resolve(p))),
  });

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
  const api = routeTable([...share, ...studioRoutes({
    catalog: rt.catalog,
    services: rt.services,
    version,
    dirs: { dataDir, assetsDir, outputsDir, documentsDir, graphsDir },
    runRoots,
    documents,
    templates,
    runs,
    faces: new FaceDetector(rt.services),
    maxUploadBytes: maxUpload,
    token,
    allowedFile,
    reveal: opts.reveal,
  })]);

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

  server.on('upgrade', (req, socket, head) => events.upgrade(req, socket, head));

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
        events.close();
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
