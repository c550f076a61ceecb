import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, startTestServer, type TestServer } from '../../test/support/studio-server.js';
import { sniffKinds } from './assets.js';
import { parseRange } from './send-file.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s.close();
});

/** A tiny valid WAV header + samples: enough for the magic-byte check. */
function wavBytes(samples = 4000): Buffer {
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) data.writeInt16LE(Math.round(Math.sin(i / 10) * 8000), i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(16000, 24);
  h.writeUInt32LE(32000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

describe('catalog, models, templates', () => {
  it('lists the runtime catalog with port colours', async () => {
    const body = (await (await s.api('/api/catalog')).json()) as { nodes: Array<{ type: string; fileParams: string[] }>; portColors: Record<string, string> };
    expect(body.nodes.map((n) => n.type)).toEqual(['num', 'add', 'wait', 'file-src', 'sink']);
    expect(body.nodes.find((n) => n.type === 'file-src')!.fileParams).toEqual(['path']);
    expect(body.portColors.audio).toMatch(/^#/);
  });

  it('lists the models from the inference service', async () => {
    const models = (await (await s.api('/api/models')).json()) as Array<{ id: string }>;
    expect(models.map((m) => m.id)).toEqual(['stub']);
  });

  it('lists parseable templates and serves one with file params made absolute inside graphs/', async () => {
    const list = (await (await s.api('/api/templates')).json()) as Array<{ id: string; title: string; tags: string[] }>;
    expect(list).toEqual([{ id: 'reader', title: 'Reader', description: 'reads a note', tags: ['test'] }]);
    const doc = (await (await s.api('/api/templates/reader')).json()) as { nodes: Array<{ params: { path: string } }> };
    expect(doc.nodes[0]!.params.path).toBe(path.join(s.graphsDir, 'assets', 'note.txt'));
    expect((await s.api('/api/templates/nope')).status).toBe(404);
    expect((await s.api('/api/templates/..%2Freader')).status).toBe(400);
  });
});

describe('assets and files', () => {
  it('stores an upload under the assets dir, names its kind and streams it back with Range', async () => {
    const wav = wavBytes();
    const up = await s.api('/api/assets', { method: 'POST', body: new Uint8Array(wav), headers: { 'X-Filename': '../../My Song!.wav' } });
    expect(up.status).toBe(200);
    const asset = (await up.json()) as { id: string; name: string; path: string; kind: string; url: string };
    expect(asset.kind).toBe('audio');
    expect(asset.name).toBe('My Song_.wav');
    expect(path.dirname(asset.path)).toBe(path.join(s.dataDir, 'assets'));
    expect(await fs.readFile(asset.path)).toEqual(wav);

    const full = await fetch(`http://127.0.0.1:${s.port}${asset.url}`);
    expect(full.status).toBe(200);
    expect(full.headers.get('accept-ranges')).toBe('bytes');
    expect(full.headers.get('content-type')).toBe('audio/wav');
    expect(Buffer.from(await full.arrayBuffer())).toEqual(wav);

    const part = await s.api(`/api/files?path=${encodeURIComponent(asset.path)}`, { headers: { Range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${wav.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(wav.subarray(100, 200));

    const tail = await s.api(`/api/files?path=${encodeURIComponent(asset.path)}`, { headers: { Range: 'bytes=-10' } });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(wav.subarray(wav.length - 10));
    const beyond = await s.api(`/api/files?path=${encodeURIComponent(asset.path)}`, { headers: { Range: `bytes=${wav.length}-` } });
    expect(beyond.status).toBe(416);

    // Same bytes again: same id, same file.
    const again = (await (await s.api('/api/assets', { method: 'POST', body: new Uint8Array(wav), headers: { 'X-Filename': 'My Song!.wav' } })).json()) as { path: string };
    expect(again.path).toBe(asset.path);
  });

  it('rejects uploads whose bytes do not match their extension, empty or too large ones, leaving no temp files', async () => {
    const fake = await s.api('/api/assets', { method: 'POST', body: new TextEncoder().encode('MZ this is not a picture'), headers: { 'X-Filename': 'photo.png' } });
    expect(fake.status).toBe(415);
    expect(((await fake.json()) as { error: string }).error).toMatch(/photo\.png/);
    const unknown = await s.api('/api/assets', { method: 'POST', body: new Uint8Array(wavBytes()), headers: { 'X-Filename': 'song.exe' } });
    expect(unknown.status).toBe(415);
    const noName = await s.api('/api/assets', { method: 'POST', body: new Uint8Array(wavBytes()) });
    expect(noName.status).toBe(400);
    const big = await s.api('/api/assets', { method: 'POST', body: new Uint8Array(2 * 1024 * 1024), headers: { 'X-Filename': 'big.wav' } });
    expect(big.status).toBe(413);
    const left = (await fs.readdir(path.join(s.dataDir, 'assets'))).filter((f) => f.includes('.upload-') || f.includes('photo') || f.includes('big'));
    expect(left).toEqual([]);
  });

  it('removes the temp file of an upload the client abandons mid-way, and keeps no asset', async () => {
    const assets = path.join(s.dataDir, 'assets');
    const before = new Set(await fs.readdir(assets));
    const fresh = async () => (await fs.readdir(assets)).filter((f) => !before.has(f));
    const sock = net.connect(s.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write(`POST /api/assets HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nX-S2V-Token: ${s.token}\r\nX-Filename: cut.wav\r\nContent-Length: 500000\r\n\r\n`);
    sock.write(wavBytes(20000));
    // The server is mid-upload once its temp file exists.
    while (!(await fresh()).some((f) => f.startsWith('.upload-'))) await new Promise((r) => setTimeout(r, 10));
    sock.destroy();
    for (let i = 0; i < 300 && (await fresh()).length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await fresh()).toEqual([]);
  });

  it('serves only files inside the allowed folders (no traversal, no symlink escape)', async () => {
    const outside = path.join(s.root, 'private.txt');
    await fs.writeFile(outside, 'PRIVATE');
    const link = path.join(s.dataDir, 'assets', 'link.txt');
    await fs.symlink(outside, link);
    const dirLink = path.join(s.dataDir, 'assets', 'dirlink');
    await fs.symlink(s.root, dirLink);
    const tries = [
      outside,
      '/etc/passwd',
      link,
      path.join(dirLink, 'private.txt'),
      `${path.join(s.dataDir, 'assets')}/../../private.txt`,
      'relative/file.txt',
    ];
    for (const p of tries) {
      const r = await s.api(`/api/files?path=${encodeURIComponent(p)}`);
      expect([400, 403], p).toContain(r.status);
      expect(await r.text()).not.toContain('PRIVATE');
    }
    const inGraphs = await s.api(`/api/files?path=${encodeURIComponent(path.join(s.graphsDir, 'assets', 'note.txt'))}`);
    expect(await inGraphs.text()).toBe('hello from graphs');
  });

  it('knows image/audio/video magic bytes', () => {
    expect(sniffKinds(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toEqual(['image']);
    expect(sniffKinds(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual(['image']);
    expect(sniffKinds(Buffer.from('\0\0\0\x18ftypisom', 'latin1'))).toContain('video');
    expect(sniffKinds(Buffer.from('\0\0\0\x18ftypM4A ', 'latin1'))).toEqual(['audio']);
    expect(sniffKinds(Buffer.from([0x1a, 0x45, 0xdf, 0xa3]))).toContain('video');
    expect(sniffKinds(Buffer.from('ID3\x04', 'latin1'))).toEqual(['audio']);
    expect(sniffKinds(Buffer.from('#!/bin/sh'))).toEqual([]);
    expect(parseRange('bytes=0-0', 10)).toEqual({ start: 0, end: 0 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=0-1,4-5', 10)).toBeNull();
  });
});

describe('documents', () => {
  const graph = {
    schemaVersion: 1,
    metadata: { title: 'Mine', description: '', tags: [] },
    nodes: [
      { id: 'a', type: 'num', params: { value: 2 }, position: { x: 10, y: 20 } },
      { id: 's', type: 'add', params: {}, position: { x: 200, y: 20 } },
    ],
    edges: [{ from: { node: 'a', port: 'value' }, to: { node: 's', port: 'a' } }],
  };

  it('saves (even half-connected graphs) and loads a document round trip, and lists it', async () => {
    const put = await s.api('/api/documents/My%20Graph', { method: 'PUT', body: JSON.stringify(graph) });
    expect(await put.json()).toEqual({ ok: true, name: 'My Graph' });
    const back = (await (await s.api('/api/documents/My%20Graph')).json()) as typeof graph;
    expect(back.nodes).toEqual(graph.nodes.map((n) => ({ ...n, version: 1 })));
    expect(back.edges).toEqual(graph.edges);
    const list = (await (await s.api('/api/documents')).json()) as Array<{ name: string; modified: string }>;
    expect(list.map((d) => d.name)).toEqual(['My Graph']);
    expect(Number.isNaN(Date.parse(list[0]!.modified))).toBe(false);
    const files = await fs.readdir(path.join(s.dataDir, 'graphs'));
    expect(files).toEqual(['My Graph.json']);
  });

  it('rejects invalid documents with a one-line error and keeps the old file', async () => {
    const bad = await s.api('/api/documents/My%20Graph', { method: 'PUT', body: JSON.stringify({ schemaVersion: 1, nodes: [{ id: 'bad id!', type: 'num' }] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^E102 document "My Graph": node "bad id!"/);
    const notJson = await s.api('/api/documents/x', { method: 'PUT', body: '{' });
    expect(notJson.status).toBe(400);
    const back = (await (await s.api('/api/documents/My%20Graph')).json()) as typeof graph;
    expect(back.nodes).toHaveLength(2);
  });

  it('refuses names that would leave the documents folder', async () => {
    for (const name of ['..%2F..%2Fevil', '%2E%2E', '.hidden', 'a%5Cb', 'sub%2Fname', '%00x']) {
      const r = await s.api(`/api/documents/${name}`, { method: 'PUT', body: JSON.stringify(graph) });
      expect([400, 403, 404], name).toContain(r.status);
      const g = await s.api(`/api/documents/${name}`);
      expect([400, 403, 404], name).toContain(g.status);
    }
    const raw = await rawRequest(s.port, { path: '/api/documents/../../../etc/passwd', headers: { Host: `127.0.0.1:${s.port}`, 'X-S2V-Token': s.token } });
    expect([400, 403, 404]).toContain(raw.status);
    expect(String(raw.body)).not.toContain('root:');
    expect(await fs.readdir(s.root)).not.toContain('evil.json');
    expect(await fs.readdir(path.join(s.dataDir, 'graphs'))).toEqual(['My Graph.json']);
  });

  it('answers unknown endpoints and methods with JSON errors', async () => {
    expect((await s.api('/api/nope')).status).toBe(404);
    const del = await s.api('/api/documents/My%20Graph', { method: 'DELETE' });
    expect(del.status).toBe(405);
    expect(((await del.json()) as { error: string }).error).toMatch(/DELETE/);
  });
});
