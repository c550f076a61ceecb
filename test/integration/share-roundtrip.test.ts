/**
 * The two acceptance round trips of sharing, with real ffmpeg and onnxruntime:
 * 1. pack a graph with its image and audio "on one machine", unpack it into an empty folder
 *    "elsewhere" (another folder tree, another cache), render: identical decoded frames;
 * 2. `s2v graph-from` on the video the project wrote returns a graph that validates and, with
 *    the same input files, renders identical frames.
 * Also checks what the provenance holds (and that it names no folder of the owner).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { FFMPEG, FFPROBE } from '../support/ffmpeg.js';
import { decodeProvenance } from '../../src/engine/index.js';

const ASSETS = path.resolve(import.meta.dirname, '../../graphs/assets');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTTY: false });
  return { code, out, err };
}

/** md5 of each decoded video frame (ffmpeg's framemd5), in order. */
function frameHashes(file: string): string[] {
  const r = spawnSync(FFMPEG, ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', '-'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`framemd5 failed: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(',').pop()!.trim());
}

function commentTag(file: string): string {
  const r = spawnSync(FFPROBE, ['-v', 'error', '-show_entries', 'format_tags=comment', '-of', 'default=nw=1:nk=1', file], { encoding: 'utf8' });
  return r.stdout.trim();
}

const sha256 = async (f: string) => createHash('sha256').update(await fs.readFile(f)).digest('hex');

describe('share round trips (real render)', () => {
  let root: string;
  let machineA: string;
  let original: string[];
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-share-'));
    machineA = path.join(root, 'alice', 'projects', 'clip');
    await fs.mkdir(machineA, { recursive: true });
    await fs.copyFile(path.join(ASSETS, 'demo-portrait.jpg'), path.join(machineA, 'photo.jpg'));
    const cut = spawnSync(FFMPEG, ['-v', 'error', '-i', path.join(ASSETS, 'demo-beat.wav'), '-t', '2.5', '-y', path.join(machineA, 'beat.wav')]);
    expect(cut.status).toBe(0);
    const graph = {
      schemaVersion: 1,
      metadata: { title: 'Round trip', description: 'pulse on a short beat', tags: [] },
      inputs: [
        { name: 'image', type: 'image', default: 'photo.jpg', bind: { node: 'image', param: 'path' } },
        { name: 'audio', type: 'audio', default: 'beat.wav', bind: { node: 'audio', param: 'path' } },
      ],
      nodes: [
        { id: 'image', type: 'image', params: {} },
        { id: 'audio', type: 'audio-file', params: {} },
        { id: 'features', type: 'audio-features', params: {} },
        { id: 'model', type: 'video-model', params: { model: 'pulse', width: 128, height: 128, fps: 12, seed: 7, motion: 1.3 } },
        { id: 'out', type: 'output', params: { path: 'render.mp4' } },
      ],
      edges: [
        { from: { node: 'image', port: 'image' }, to: { node: 'model', port: 'image' } },
        { from: { node: 'audio', port: 'audio' }, to: { node: 'features', port: 'audio' } },
        { from: { node: 'audio', port: 'audio' }, to: { node: 'model', port: 'audio' } },
        { from: { node: 'features', port: 'features' }, to: { node: 'model', port: 'features' } },
        { from: { node: 'model', port: 'video' }, to: { node: 'out', port: 'video' } },
      ],
    };
    await fs.writeFile(path.join(machineA, 'graph.json'), JSON.stringify(graph, null, 2));
    const r = await cli('run', path.join(machineA, 'graph.json'), '-o', path.join(machineA, 'render.mp4'), '--cache-dir', path.join(root, 'cache-a'));
    expect(r.err).not.toMatch(/error/);
    expect(r.code).toBe(0);
    original = frameHashes(path.join(machineA, 'render.mp4'));
  }, 300_000);
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('the original render has distinct moving frames to compare (30 frames at 12 fps)', () => {
    expect(original).toHaveLength(30);
    expect(new Set(original).size).toBeGreaterThan(20);
  });

  it('pack on one machine, unpack into an empty folder elsewhere, render: identical frames', async () => {
    const bundle = path.join(machineA, 'clip.s2vpack');
    const packed = await cli('pack', path.join(machineA, 'graph.json'), '-o', bundle, '--render', path.join(machineA, 'render.mp4'));
    expect(packed.err).toBe('');
    expect(packed.out).toMatch(/wrote .*clip\.s2vpack .*2 assets, models pulse, thumbnail/);
    // "Elsewhere": another tree, only the bundle copied over, a cold cache.
    const machineB = path.join(root, 'bob', 'downloads');
    await fs.mkdir(machineB, { recursive: true });
    await fs.copyFile(bundle, path.join(machineB, 'clip.s2vpack'));
    const target = path.join(machineB, 'clip');
    const un = await cli('unpack', path.join(machineB, 'clip.s2vpack'), '-d', target);
    expect(un.err).toBe('');
    expect(un.out).toMatch(/ready: s2v run/);
    const graphText = await fs.readFile(path.join(target, 'graph.json'), 'utf8');
    expect(graphText).not.toContain('alice');
    const run = await cli('run', path.join(target, 'graph.json'), '-o', path.join(machineB, 'render.mp4'), '--cache-dir', path.join(root, 'cache-b'));
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/ran 5, cached 0/);
    expect(frameHashes(path.join(machineB, 'render.mp4'))).toEqual(original);
  }, 300_000);

  it('the written video carries the graph, input hashes, model version, seed and app version — no owner folders', async () => {
    const tag = commentTag(path.join(machineA, 'render.mp4'));
    expect(tag).toMatch(/^S2V1z? /);
    expect(tag).not.toContain('alice');
    const p = decodeProvenance(tag, 'render.mp4');
    expect(p.target).toBe('out');
    expect(p.app.version).toBe(JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')).version);
    expect(p.files).toEqual([
      { node: 'image', param: 'path', name: 'photo.jpg', sha256: await sha256(path.join(machineA, 'photo.jpg')) },
      { node: 'audio', param: 'path', name: 'beat.wav', sha256: await sha256(path.join(machineA, 'beat.wav')) },
    ]);
    const manifest = JSON.parse(await fs.readFile(path.resolve(import.meta.dirname, '../../models/pulse/manifest.json'), 'utf8'));
    expect(p.models).toEqual([{ id: 'pulse', version: manifest.version, kind: 's2v' }]);
    expect(p.seeds).toEqual({ model: 7 });
    expect(p.graph.nodes.find((n) => n.id === 'model')!.params).toMatchObject({ width: 128, height: 128, fps: 12, motion: 1.3 });
    expect(Buffer.byteLength(tag)).toBeLessThan(8 * 1024);
  });

  it('graph-from restores a graph that validates and renders identical frames with the same inputs', async () => {
    const dir = path.join(root, 'carol');
    const gf = await cli('graph-from', path.join(machineA, 'render.mp4'), '-o', path.join(dir, 'graph.json'));
    expect(gf.code).toBe(0);
    expect(gf.out).toMatch(/needs photo\.jpg .*needs beat\.wav/s);
    // The CLI wrote to an absolute path: the restored graph writes into out/, as an unpacked bundle does.
    const restored = JSON.parse(await fs.readFile(path.join(dir, 'graph.json'), 'utf8')) as { nodes: Array<{ type: string; params: Record<string, unknown> }> };
    expect(restored.nodes.find((n) => n.type === 'output')!.params.path).toBe('out/render.mp4');
    // Without the inputs, validate says exactly what is missing.
    const missing = await cli('validate', path.join(dir, 'graph.json'));
    expect(missing.code).toBe(2);
    expect(missing.out).toMatch(/input "image" \(node "image"\.path\): file "photo\.jpg" not found — pass one with --input image=FILE/);
    expect(missing.out).toMatch(/input "audio" \(node "audio"\.path\): file "beat\.wav" not found/);
    await fs.copyFile(path.join(machineA, 'photo.jpg'), path.join(dir, 'photo.jpg'));
    await fs.copyFile(path.join(machineA, 'beat.wav'), path.join(dir, 'beat.wav'));
    const ok = await cli('validate', path.join(dir, 'graph.json'));
    expect(ok.out).toMatch(/^ok: Round trip — 5 nodes/);
    const run = await cli('run', path.join(dir, 'graph.json'), '-o', path.join(dir, 'again.mp4'), '--cache-dir', path.join(root, 'cache-c'));
    expect(run.code).toBe(0);
    expect(frameHashes(path.join(dir, 'again.mp4'))).toEqual(original);
  }, 300_000);

  it('the Video Model result itself (in the cache) carries its lineage; graph-from adds an Output so it renders again', async () => {
    const all = await fs.readdir(path.join(root, 'cache-a'), { recursive: true });
    const artifact = all.map(String).find((f) => f.endsWith('video.mp4'));
    expect(artifact).toBeDefined();
    const p = decodeProvenance(commentTag(path.join(root, 'cache-a', artifact!)), 'video.mp4');
    expect(p.target).toBe('model');
    expect(p.graph.nodes.map((n) => n.id).sort()).toEqual(['audio', 'features', 'image', 'model']);
    const gf = await cli('graph-from', path.join(root, 'cache-a', artifact!));
    expect(gf.code).toBe(0);
    const graph = JSON.parse(gf.out) as { nodes: Array<{ id: string; type: string }>; edges: Array<{ from: { node: string }; to: { node: string } }> };
    expect(graph.nodes.find((n) => n.type === 'output')).toMatchObject({ id: 'output' });
    expect(graph.edges).toContainEqual(expect.objectContaining({ from: { node: 'model', port: 'video' }, to: { node: 'output', port: 'video' } }));
  });

  it('graph-from on a video without provenance is one line naming the file (E151, exit 2)', async () => {
    const plain = path.join(root, 'plain.mp4');
    expect(spawnSync(FFMPEG, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=10', '-t', '1', '-pix_fmt', 'yuv420p', '-y', plain]).status).toBe(0);
    const r = await cli('graph-from', plain);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^error: E151 .*plain\.mp4: this video carries no S2V provenance/);
  });
});
