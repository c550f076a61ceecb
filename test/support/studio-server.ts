/**
 * Shared fixtures for the server tests: a catalog of stub nodes (no ffmpeg, no models),
 * a server on port 0 in temp folders, and raw HTTP/WebSocket clients that can send the
 * Host/Origin headers browsers would.
 */
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import WebSocket from 'ws';
import { DiskCache, createCatalog, createFileService, defineNode, type ModelManifest } from '../../src/engine/index.js';
import { startServer, type StudioServer, type RunMessage } from '../../src/server/index.js';
import { fakeServices } from './fake-services.js';

const numberNode = defineNode({
  type: 'num',
  version: 1,
  title: 'Number',
  category: 'source',
  description: 'a constant',
  inputs: {},
  outputs: { value: { type: 'number' } },
  params: z.object({ value: z.number().default(1) }),
  cache: 'pure',
  async evaluate({ params }) {
    return { value: params.value };
  },
});

const addNode = defineNode({
  type: 'add',
  version: 1,
  title: 'Add',
  category: 'utility',
  description: 'a + b',
  inputs: { a: { type: 'number' }, b: { type: 'number' } },
  outputs: { sum: { type: 'number' } },
  params: z.object({}),
  cache: 'pure',
  async evaluate({ inputs, ctx }) {
    ctx.progress(0.5, 'adding');
    return { sum: inputs.a + inputs.b };
  },
});

/** Waits until cancelled (reports progress first so a test knows it started). */
const waitNode = defineNode({
  type: 'wait',
  version: 1,
  title: 'Wait',
  category: 'utility',
  description: 'blocks until the run is cancelled',
  inputs: { x: { type: 'number', optional: true } },
  outputs: { x: { type: 'number' } },
  params: z.object({}),
  cache: 'never',
  async evaluate({ ctx }) {
    ctx.progress(0.1, 'waiting');
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) return resolve();
      ctx.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    throw new Error('stopped');
  },
});

const fileNode = defineNode({
  type: 'file-src',
  version: 1,
  title: 'File',
  category: 'source',
  description: 'reads a file param',
  inputs: {},
  outputs: { text: { type: 'text' } },
  params: z.object({ path: z.string().default('') }),
  widgets: { path: { kind: 'file', accept: 'image' } },
  fileParams: ['path'],
  cache: 'fingerprint',
  async fingerprint(params, ctx) {
    return ctx.services.files.hashFile(params.path);
  },
  async evaluate({ params }) {
    return { text: await fs.readFile(params.path, 'utf8') };
  },
});

/** An output node: writes its number to `path` (default relative, like the real Output). */
const sinkNode = defineNode({
  type: 'sink',
  version: 1,
  title: 'Sink',
  category: 'output',
  description: 'writes the number to a file',
  inputs: { value: { type: 'number' } },
  outputs: { video: { type: 'video' } },
  params: z.object({ path: z.string().default('renders/sink.mp4') }),
  cache: 'never',
  async evaluate({ inputs, params }) {
    await fs.mkdir(path.dirname(params.path), { recursive: true });
    await fs.writeFile(params.path, String(inputs.value));
    return { video: { kind: 'video', path: params.path, width: 1, height: 1, fps: 1, frames: 1, durationSec: 1 } };
  },
});

export const stubCatalog = createCatalog([numberNode, addNode, waitNode, fileNode, sinkNode]);

export const stubModel: ModelManifest = {
  id: 'stub',
  title: 'Stub model',
  version: '1',
  kind: 's2v',
  requiresImage: false,
  features: [],
  defaults: { width: 64, height: 64, fps: 8 },
  files: [],
  license: 'MIT',
  description: 'for tests',
};

export interface TestServer extends StudioServer {
  root: string;
  graphsDir: string;
  /** fetch with the token header set (unless the caller passes its own headers). */
  api(pathname: string, init?: RequestInit): Promise<Response>;
}

export async function startTestServer(extra: { reveal?: (p: string) => void } = {}): Promise<TestServer> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-server-test-'));
  const graphsDir = path.join(root, 'graphs');
  await fs.mkdir(path.join(graphsDir, 'assets'), { recursive: true });
  await fs.writeFile(path.join(graphsDir, 'assets', 'note.txt'), 'hello from graphs');
  await fs.writeFile(
    path.join(graphsDir, 'reader.json'),
    JSON.stringify({
      schemaVersion: 1,
      metadata: { title: 'Reader', description: 'reads a note', tags: ['test'] },
      nodes: [{ id: 'f', type: 'file-src', params: { path: 'assets/note.txt' } }],
      edges: [],
    }),
  );
  await fs.writeFile(path.join(graphsDir, 'broken.json'), '{ not json');
  const services = fakeServices({
    files: createFileService(),
    inference: { listModels: async () => [stubModel] },
  });
  const server = await startServer({
    port: 0,
    runtime: { catalog: stubCatalog, services, cache: new DiskCache(path.join(root, 'cache')) },
    dataDir: path.join(root, 'data'),
    graphsDir,
    staticDir: path.join(root, 'ui'),
    maxUploadBytes: 1024 * 1024,
    reveal: extra.reveal,
  });
  return {
    ...server,
    root,
    graphsDir,
    api(pathname, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has('X-S2V-Token')) headers.set('X-S2V-Token', server.token);
      return fetch(`http://127.0.0.1:${server.port}${pathname}`, { ...init, headers });
    },
    async close() {
      await server.close();
      await fs.rm(root, { recursive: true, force: true });
    },
  };
}

/** A raw request, so tests can send any Host/Origin header (fetch forbids setting Host). */
export function rawRequest(
  port: number,
  opts: { path: string; method?: string; headers?: Record<string, string>; body?: Buffer | string },
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: opts.path, method: opts.method ?? 'GET', headers: opts.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Connect to /api/events and collect messages; `until` resolves on the first match. */
export async function openEvents(server: StudioServer, headers: Record<string, string> = {}) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/events?token=${server.token}`, { headers });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const messages: RunMessage[] = [];
  const waiters: Array<{ pred: (m: RunMessage) => boolean; resolve: (m: RunMessage) => void }> = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data)) as RunMessage;
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  return {
    messages,
    until(pred: (m: RunMessage) => boolean): Promise<RunMessage> {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pred, resolve }));
    },
    close: () => ws.close(),
  };
}
