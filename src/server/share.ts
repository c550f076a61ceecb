/**
 * Sharing endpoints for the studio (see API.md "Sharing"): the gallery, what a graph still
 * needs, Export (a graph → .s2vpack download), Import (an uploaded .s2vpack → checked, then
 * unpacked into the data folder → its graph) and restoring a graph from a dropped video's
 * provenance. Uploads go to a temp file under the data folder and are removed afterwards.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { parseGraph, type Catalog, type GraphDoc, type Services } from '../engine/index.js';
import { listGallery } from '../bundle/gallery.js';
import { formatNeed, whatIsMissing, type Need } from '../bundle/needs.js';
import { packDoc } from '../bundle/pack.js';
import { graphFromTags } from '../bundle/restore.js';
import { unpackBundle } from '../bundle/unpack.js';
import { fileRefs, setFileRef } from '../bundle/graph-files.js';
import { readAppVersion } from '../engine/index.js';
import { videoThumbnail } from '../media/index.js';
import { HttpError, readJson, sendJson } from './http.js';
import { insideRoots, safeFileName } from './paths.js';
import { absolutizeFileParams } from './templates.js';
import type { Route } from './router.js';
import { receiveToTemp } from './assets.js';

export interface ShareRouteOptions {
  catalog: Catalog;
  services: Services;
  dataDir: string;
  assetsDir: string;
  graphsDir: string;
  documentsDir: string;
  /** Folders whose files a graph may pack (the studio's readable roots). */
  readableRoots: string[];
  maxUploadBytes: number;
  token: string;
}

const needJson = (n: Need) => ({ ...n, line: formatNeed(n) });

function uploadName(req: http.IncomingMessage, fallback: string): string {
  const h = req.headers['x-filename'];
  const raw = Array.isArray(h) ? h[0] : h;
  if (!raw) return fallback;
  try {
    return safeFileName(decodeURIComponent(raw));
  } catch {
    return fallback;
  }
}

/** Relink restored file names to uploaded assets with the same sha256 (asset names start with it). */
async function relinkAssets(graph: GraphDoc, files: Array<{ node: string; param: string; sha256: string }>, assetsDir: string, catalog: Catalog): Promise<void> {
  const names = await fs.readdir(assetsDir).catch(() => [] as string[]);
  for (const f of files) {
    const candidate = names.find((n) => f.sha256.startsWith(n.split('-')[0] ?? '-') && n.split('-')[0]!.length >= 12);
    if (!candidate) continue;
    const abs = path.join(assetsDir, candidate);
    const h = createHash('sha256');
    for await (const chunk of createReadStream(abs)) h.update(chunk as Buffer);
    if (h.digest('hex') !== f.sha256) continue;
    const ref = fileRefs(graph, catalog).find((r) => r.node === f.node && r.param === f.param);
    if (ref) setFileRef(graph, ref, abs);
  }
}

/** The sharing endpoints, as entries of the studio's route table. */
export function shareRoutes(o: ShareRouteOptions): Route[] {
  const tmpDir = path.join(o.dataDir, 'tmp');
  // Inside the assets folder: runs may read it and /api/files serves it (the studio's roots).
  const importsDir = path.join(o.assetsDir, 'imports');
  const needsOf = (graph: GraphDoc, dir: string) => whatIsMissing(graph, { catalog: o.catalog, graphDir: dir, backends: o.services.backends });
  const fileUrl = (p: string) => `/api/files?${new URLSearchParams({ path: p, token: o.token })}`;
  /** The request body as a temp file named by its X-Filename (or `fallback`), removed once `use` is done. */
  const withUpload = async (req: http.IncomingMessage, fallback: string, use: (tmp: string, name: string) => Promise<void>) => {
    const name = uploadName(req, fallback);
    const tmp = await receiveToTemp(req, tmpDir, o.maxUploadBytes, name);
    try {
      await use(tmp, name);
    } finally {
      await fs.rm(tmp, { force: true });
    }
  };

  return [
    {
      method: 'GET',
      path: '/gallery',
      handle: async ({ res }) => {
        const items = await listGallery({ catalog: o.catalog, templatesDir: o.graphsDir, savedDir: o.documentsDir, backends: o.services.backends });
        sendJson(res, 200, items.map((i) => ({ ...i, thumbnail: i.thumbnail ? fileUrl(i.thumbnail) : undefined })));
      },
    },
    {
      method: 'POST',
      path: '/needs',
      handle: async ({ req, res }) => {
        const body = (await readJson(req)) as { graph?: unknown };
        if (body?.graph === undefined) throw new HttpError(400, 'expected { graph }');
        const graph = parseGraph(body.graph, 'graph');
        sendJson(res, 200, { needs: (await needsOf(graph, o.graphsDir)).map(needJson) });
      },
    },
    {
      method: 'POST',
      path: '/bundles/export',
      handle: async ({ req, res }) => {
        const body = (await readJson(req)) as { graph?: unknown; name?: unknown };
        if (body?.graph === undefined) throw new HttpError(400, 'expected { graph, name? }');
        const graph = parseGraph(body.graph, 'graph');
        const name = safeFileName(`${typeof body.name === 'string' && body.name.trim() ? body.name.trim() : graph.metadata.title || 'graph'}`.replace(/\.s2vpack$/i, '')).replace(/\s+/g, '-');
        await fs.mkdir(tmpDir, { recursive: true });
        const out = path.join(tmpDir, `.export-${randomBytes(6).toString('hex')}.s2vpack`);
        try {
          const output = graph.nodes.find((n) => n.type === 'output' && typeof n.params.path === 'string');
          const render = output ? path.resolve(String(output.params.path)) : undefined;
          const renderOk = render ? Boolean(await insideRoots(render, o.readableRoots.concat(path.join(o.dataDir, 'outputs')))) : false;
          await packDoc(graph, o.graphsDir, out, {
            catalog: o.catalog,
            cwd: o.dataDir,
            appVersion: readAppVersion(),
            allowFile: async (abs) => Boolean(await insideRoots(abs, o.readableRoots)),
            ...(render && renderOk ? { renderPath: render, thumbnail: (video: string, png: string) => videoThumbnail({ input: video, output: png, atSec: 1, width: 320 }) } : {}),
          });
          const data = await fs.readFile(out);
          res.writeHead(200, {
            'Content-Type': 'application/zip',
            'Content-Length': data.length,
            'Content-Disposition': `attachment; filename="${name}.s2vpack"`,
            'X-Content-Type-Options': 'nosniff',
            'Cache-Control': 'no-store',
          });
          res.end(data);
        } finally {
          await fs.rm(out, { force: true });
        }
      },
    },
    {
      method: 'POST',
      path: '/bundles/import',
      handle: ({ req, res }) =>
        withUpload(req, 'bundle.s2vpack', async (tmp, name) => {
          const base = name.replace(/\.s2vpack$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'bundle';
          const dir = path.join(importsDir, `${base}-${randomBytes(4).toString('hex')}`);
          const r = await unpackBundle(tmp, dir, o.catalog);
          const graph = absolutizeFileParams(r.graph, o.catalog, r.dir);
          const needs = await whatIsMissing(r.graph, { catalog: o.catalog, graphDir: r.dir, backends: o.services.backends, sharedModels: r.models });
          sendJson(res, 200, {
            graph,
            title: r.index.title,
            dir: r.dir,
            thumbnail: r.index.thumbnail ? fileUrl(path.join(r.dir, r.index.thumbnail)) : undefined,
            needs: needs.map(needJson),
          });
        }),
    },
    {
      method: 'POST',
      path: '/graph-from-video',
      handle: ({ req, res }) =>
        withUpload(req, 'video.mp4', async (tmp, name) => {
          if (!o.services.media.readTags) throw new HttpError(501, 'this media layer cannot read video tags');
          const tags = await o.services.media.readTags(tmp);
          const { graph, provenance } = graphFromTags(tags, name, o.catalog);
          await relinkAssets(graph, provenance.files, o.assetsDir, o.catalog);
          const needs = await needsOf(graph, o.assetsDir);
          sendJson(res, 200, { graph, app: provenance.app, files: provenance.files, models: provenance.models, needs: needs.map(needJson) });
        }),
    },
  ];
}
