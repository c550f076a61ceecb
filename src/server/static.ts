/**
 * Serving the built studio UI (dist/app, made by `vite build`). Unknown paths without an
 * extension fall back to index.html (client-side routes); anything that would leave the
 * folder is refused. When the build is missing, `/` explains how to make it.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, SECURITY_HEADERS } from './http.js';
import { REPO_ROOT, insideRoots, isWithin } from './paths.js';
import { sendFile } from './send-file.js';

export const DEFAULT_STATIC_DIR = path.join(REPO_ROOT, 'dist', 'app');

export function uiBuilt(staticDir: string): boolean {
  return fs.existsSync(path.join(staticDir, 'index.html'));
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>S2V Studio</title>
<body style="font:15px system-ui;margin:3em;max-width:40em">
<h1>S2V Studio UI is not built</h1>
<p>Run <code>npm run build:ui</code> in the project folder, then reload this page.</p>
<p>The API is running; the token in this page's address still works.</p></body>`;

export async function serveStatic(req: IncomingMessage, res: ServerResponse, staticDir: string, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `${req.method} is not allowed here`);
  if (!uiBuilt(staticDir)) {
    res.writeHead(pathname === '/' ? 503 : 404, { ...SECURITY_HEADERS, 'Content-Type': 'text/html; charset=utf-8' });
    res.end(NOT_BUILT);
    return;
  }
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    throw new HttpError(400, 'bad URL encoding');
  }
  if (rel.includes('\0')) throw new HttpError(400, 'bad path');
  let file = path.join(staticDir, path.normalize(rel));
  if (rel.endsWith('/')) file = path.join(file, 'index.html');
  if (!isWithin(staticDir, file)) throw new HttpError(403, 'outside the UI folder');
  const exists = fs.existsSync(file) && fs.statSync(file).isFile();
  if (!exists) {
    if (path.extname(rel)) throw new HttpError(404, `not found: ${rel}`);
    return sendFile(req, res, path.join(staticDir, 'index.html'));
  }
  // The lexical check above cannot see symlinks inside dist/app pointing elsewhere.
  const real = await insideRoots(file, [staticDir]);
  if (!real) throw new HttpError(403, 'outside the UI folder');
  // Vite fingerprints files under assets/, so they can be cached; index.html must not be.
  const immutable = rel.startsWith('/assets/');
  return sendFile(req, res, real, immutable ? { cache: 'public, max-age=31536000, immutable' } : {});
}

/**
 * Build the UI in-process with vite's `build()` when dist/app is missing (vite is a
 * devDependency, so this works in a source checkout). Returns false with a reason when it cannot.
 */
export async function buildUi(log: (s: string) => void): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (!fs.existsSync(path.join(REPO_ROOT, 'src', 'app', 'index.html'))) return { ok: false, reason: 'src/app/index.html is missing' };
  try {
    const vite = await import('vite');
    log('building the studio UI (vite build)…\n');
    await vite.build({
      configFile: path.join(REPO_ROOT, 'vite.config.ts'),
      root: path.join(REPO_ROOT, 'src', 'app'),
      build: { outDir: DEFAULT_STATIC_DIR, emptyOutDir: true },
      logLevel: 'warn',
    });
    return uiBuilt(DEFAULT_STATIC_DIR) ? { ok: true } : { ok: false, reason: 'vite build produced no index.html' };
  } catch (e) {
    return { ok: false, reason: (e as Error).message.split('\n')[0] ?? String(e) };
  }
}
