/**
 * Output on the real evaluator, disk cache and media service: the export lives outside
 * the cache, so a cached Output whose file was deleted or replaced must write it again.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DiskCache, createCatalog, defineNode, parseGraph, runGraph, type VideoValue } from '../../src/engine/index.js';
import { createMediaService } from '../../src/media/index.js';
import { outputNode } from './output.node.js';
import { fakeServices } from '../../test/support/fake-services.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-output-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

/** Stands in for Video Model: a pure node that writes a "video" into its cache entry. */
const fakeVideo = defineNode({
  type: 'test-video',
  version: 1,
  title: 'Video',
  category: 'model',
  description: 'test',
  inputs: {},
  outputs: { video: { type: 'video' } },
  params: z.object({ bytes: z.number().default(4096) }),
  cache: 'pure',
  async evaluate({ params, ctx }) {
    const file = path.join(await ctx.artifactDir(), 'video.mp4');
    await fs.writeFile(file, Buffer.alloc(params.bytes, 0x42));
    const video: VideoValue = { kind: 'video', path: file, width: 16, height: 16, fps: 24, frames: 24, durationSec: 1 };
    return { video };
  },
});

const catalog = createCatalog([fakeVideo, outputNode]);
const services = fakeServices({ media: createMediaService() });

function graph(dest: string) {
  return parseGraph({
    schemaVersion: 1,
    nodes: [
      { id: 'model', type: 'test-video', params: {} },
      { id: 'out', type: 'output', params: { path: dest } },
    ],
    edges: [{ from: { node: 'model', port: 'video' }, to: { node: 'out', port: 'video' } }],
  });
}

const run = (dest: string) => runGraph(graph(dest), { catalog, services, cache: new DiskCache(path.join(dir, 'cache')) });

describe('Output', () => {
  it('a cached Output whose exported file was deleted writes it again (stillValid is false)', async () => {
    const dest = path.join(dir, 'renders', 'clip.mp4');
    const first = await run(dest);
    expect(first.ok).toBe(true);
    expect((await fs.stat(dest)).size).toBe(4096);
    const again = await run(dest);
    expect(again.cached.sort(), 'nothing changed: both served from the cache').toEqual(['model', 'out']);

    await fs.rm(dest);
    const exported = again.nodes.get('out')!.outputs as { video: VideoValue };
    expect(await outputNode.stillValid!(exported as never, outputNode.params.parse({ path: dest })), 'the export is gone').toBe(false);
    const rerun = await run(dest);
    expect(rerun.ran, 'Output must export again').toEqual(['out']);
    expect(rerun.cached).toEqual(['model']);
    expect((await fs.stat(dest)).size).toBe(4096);
  });

  it('a cached Output whose exported file was replaced by another one writes it again', async () => {
    const dest = path.join(dir, 'clip.mp4');
    await run(dest);
    await fs.writeFile(dest, 'someone else’s file');
    const rerun = await run(dest);
    expect(rerun.ran).toEqual(['out']);
    expect(await fs.readFile(dest)).toEqual(Buffer.alloc(4096, 0x42));
  });

  it('refuses an output path that is not .mp4 with E109 naming the path, and writes nothing', async () => {
    const dest = path.join(dir, 'clip.gif');
    const r = await run(dest);
    expect(r.failed).toEqual(['out']);
    expect(r.nodes.get('out')!.error).toMatch(/^E109 .*clip\.gif: output file must end in \.mp4/);
    await expect(fs.stat(dest)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
