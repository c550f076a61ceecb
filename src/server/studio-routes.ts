/**
 * The studio's API routes (API.md), one small handler each. Everything a handler needs comes
 * in the `StudioScope` that startServer builds once: the runtime's catalog and services, the
 * data folders, the stores and the run manager.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { PORT_COLORS, errorLine, prepareGraph, type Catalog, type Services } from '../engine/index.js';
import { HttpError, nodeOf, readJson, sendJson } from './http.js';
import { sendFile } from './send-file.js';
import { receiveAsset } from './assets.js';
import type { DocumentStore } from './documents.js';
import type { TemplateStore } from './templates.js';
import { studioFilePolicy, type RunRoots } from './run-prep.js';
import type { RunManager } from './runs.js';
import type { FaceDetector } from './detect-face.js';
import type { Route } from './router.js';

export interface StudioScope {
  catalog: Catalog;
  services: Services;
  version: string;
  dirs: { dataDir: string; assetsDir: string; outputsDir: string; documentsDir: string; graphsDir: string };
  runRoots: RunRoots;
  documents: DocumentStore;
  templates: TemplateStore;
  runs: RunManager;
  faces: FaceDetector;
  maxUploadBytes: number;
  token: string;
  /** A path the browser may read (or reveal), as its real path; throws 403 otherwise. */
  allowedFile(raw: string | null): Promise<string>;
  /** Opens the OS file manager on a path (desktop shell only). */
  reveal?: (path: string) => void | Promise<void>;
}

/** Local and remote models side by side, in the one shape the studio's model picker reads. */
async function listAllModels(services: Services): Promise<unknown[]> {
  try {
    const local = await services.inference.listModels();
    const remote = (await services.backends?.listRemoteModels()) ?? [];
    return [...local, ...remote.map((m) => ({
      id: m.id, title: m.title, version: m.version, kind: m.backend, remote: true, requiresImage: m.image === 'required',
      features: [], files: [], license: m.license ?? '', description: m.description ?? '', requirements: m.requirements,
      defaults: { width: m.sizes[0]!.width, height: m.sizes[0]!.height, fps: m.grid.fps },
    }))];
  } catch (e) {
    throw new HttpError(500, `cannot list models: ${errorLine(e)}`);
  }
}

/** The `path` field of a JSON body, as a file the browser may use. */
async function bodyFile(s: StudioScope, body: unknown): Promise<string> {
  const p = (body as { path?: unknown } | null)?.path;
  return s.allowedFile(typeof p === 'string' ? p : null);
}

export function studioRoutes(s: StudioScope): Route[] {
  const { documents, templates, runs } = s;
  const serveFile: Route['handle'] = async ({ req, res, url }) => sendFile(req, res, await s.allowedFile(url.searchParams.get('path')));
  return [
    { method: 'GET', path: '/info', handle: ({ res }) => sendJson(res, 200, { version: s.version, desktop: Boolean(s.reveal), ...s.dirs }) },
    { method: 'GET', path: '/catalog', handle: ({ res }) => sendJson(res, 200, { nodes: s.catalog.info(), portColors: PORT_COLORS }) },
    { method: 'GET', path: '/models', handle: async ({ res }) => sendJson(res, 200, await listAllModels(s.services)) },
    { method: 'GET', path: '/templates', handle: async ({ res }) => sendJson(res, 200, await templates.list()) },
    { method: 'GET', path: '/templates/:name', handle: async ({ res, params }) => sendJson(res, 200, await templates.load(params.name!)) },
    { method: 'GET', path: '/documents', handle: async ({ res }) => sendJson(res, 200, await documents.list()) },
    { method: 'GET', path: '/documents/:name', handle: async ({ res, params }) => sendJson(res, 200, await documents.load(params.name!)) },
    { method: 'PUT', path: '/documents/:name', handle: async ({ req, res, params }) => sendJson(res, 200, await documents.save(params.name!, await readJson(req))) },
    { method: 'GET', path: '/documents/:name/versions', handle: async ({ res, params }) => sendJson(res, 200, await documents.versions(params.name!)) },
    {
      method: 'GET',
      path: '/documents/:name/versions/:version',
      handle: async ({ res, params }) => sendJson(res, 200, await documents.loadVersion(params.name!, params.version!)),
    },
    {
      method: 'POST',
      path: '/assets',
      handle: async ({ req, res }) => {
        const a = await receiveAsset(req, s.dirs.assetsDir, s.maxUploadBytes);
        sendJson(res, 200, { ...a, url: `/api/files?${new URLSearchParams({ path: a.path, token: s.token })}` });
      },
    },
    { method: 'GET', path: '/files', handle: serveFile },
    { method: 'HEAD', path: '/files', handle: serveFile },
    { method: 'POST', path: '/validate', handle: validateRoute(s) },
    { method: 'POST', path: '/runs', handle: startRunRoute(s) },
    {
      method: 'GET',
      path: '/runs/:id',
      handle: ({ res, params }) => {
        const r = runs.get(params.id!);
        if (!r) throw new HttpError(404, `no run "${params.id!.slice(0, 40)}"`);
        sendJson(res, 200, r);
      },
    },
    {
      method: 'POST',
      path: '/runs/:id/cancel',
      handle: ({ res, params }) => {
        if (!runs.get(params.id!)) throw new HttpError(404, `no run "${params.id!.slice(0, 40)}"`);
        sendJson(res, 200, { ok: runs.cancel(params.id!) });
      },
    },
    {
      method: 'POST',
      path: '/detect-face',
      handle: async ({ req, res }) => {
        const file = await bodyFile(s, await readJson(req));
        const st = await fs.stat(file).catch(() => undefined);
        if (!st?.isFile()) throw new HttpError(404, `no such file: ${path.basename(file)}`);
        sendJson(res, 200, await s.faces.detect(file));
      },
    },
    {
      method: 'POST',
      path: '/reveal',
      handle: async ({ req, res }) => {
        const body = await readJson(req);
        if (!s.reveal) throw new HttpError(501, 'revealing files needs the desktop app (npm start)');
        await s.reveal(await bodyFile(s, body));
        sendJson(res, 200, { ok: true });
      },
    },
  ];
}

/** Would this graph run? Answers 200 either way; a refusal names the node it is about. */
function validateRoute(s: StudioScope): Route['handle'] {
  return async ({ req, res }) => {
    const body = (await readJson(req)) as { graph?: unknown };
    if (body?.graph === undefined) throw new HttpError(400, 'expected { graph }');
    try {
      await prepareGraph(body.graph, s.catalog, studioFilePolicy(s.runRoots));
      sendJson(res, 200, { ok: true });
    } catch (e) {
      sendJson(res, 200, { ok: false, error: errorLine(e), ...nodeOf(e) });
    }
  };
}

function startRunRoute(s: StudioScope): Route['handle'] {
  return async ({ req, res }) => {
    const body = (await readJson(req)) as { graph?: unknown; target?: unknown; name?: unknown };
    if (body?.graph === undefined) throw new HttpError(400, 'expected { graph, target?, name? }');
    if (body.target !== undefined && typeof body.target !== 'string') throw new HttpError(400, 'target must be a node id');
    // With a name (the studio sends the document's), Output nodes left on their default path get a file of their own.
    const renderName = typeof body.name === 'string' && body.name.trim() ? body.name : undefined;
    const graph = await prepareGraph(body.graph, s.catalog, studioFilePolicy(s.runRoots, { renderName }));
    if (body.target && !graph.nodes.some((n) => n.id === body.target)) {
      throw new HttpError(400, `no node "${body.target}" to run up to`, { node: body.target });
    }
    sendJson(res, 200, { runId: s.runs.start(graph, body.target as string | undefined) });
  };
}
