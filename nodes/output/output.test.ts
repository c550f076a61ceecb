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
import { exportedFiles, outputNode } from './output.node.js';
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
  params: z.object({ bytes: z.number().default(4096), side: z.boolean().default(false) }),
  cache: 'pure',
  async evaluate({ params, ctx }) {
    const dir = await ctx.artifactDir();
    const file = path.join(dir, 'video.mp4');
    await fs.writeFile(file, Buffer.alloc(params.bytes, 0x42));
    const video: VideoValue = { kind: 'video', path: file, width: 16, height: 16, fps: 24, frames: 24, durationSec: 1 };
    if (params.side) {
      // What a model with a preview and a sync measurement hands the Output.
      video.previewPath = path.join(dir, 'preview.webm');
      await fs.writeFile(video.previewPath, Buffer.alloc(512, 0x43));
      video.sync = { onsetCorrelation: 0.5, beatAlignment: 0.75 };
    }
    return { video };
  },
});

const catalog = createCatalog([fakeVideo, outputNode]);
const services = fakeServices({ media: createMediaService() });

function graph(dest: string, side = false) {
  return parseGraph({
    schemaVersion: 1,
    nodes: [
      { id: 'model', type: 'test-video', params: { side } },
      { id: 'out', type: 'output', params: { path: dest } },
    ],
    edges: [{ from: { node: 'model', port: 'video' }, to: { node: 'out', port: 'video' } }],
  });
}

const run = (dest: string, side = false) => runGraph(graph(dest, side), { catalog, services, cache: new DiskCache(path.join(dir, 'cache')) });

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

  it('a cached Output whose preview or sync report was deleted writes them again', async () => {
    const dest = path.join(dir, 'side', 'clip.mp4');
    const preview = path.join(dir, 'side', 'clip.preview.webm');
    const report = path.join(dir, 'side', 'clip.sync.json');
    const first = await run(dest, true);
    expect(first.ok).toBe(true);
    const again = await run(dest, true);
    expect(again.cached.sort()).toEqual(['model', 'out']);
    expect(exportedFiles((again.nodes.get('out')!.outputs as { video: VideoValue }).video)).toEqual([dest, preview, report]);
    for (const side of [report, preview]) {
      await fs.rm(side);
      const rerun = await run(dest, true);
      expect(rerun.ran, `${path.basename(side)} gone: Output must export again`).toEqual(['out']);
      expect(rerun.cached).toEqual(['model']);
      await fs.stat(side);
    }
    expect(JSON.parse(await fs.readFile(report, 'utf8'))).toMatchObject({ output: dest, sync: { beatAlignment: 0.75 } });
  });

  it('refuses an output path that is not .mp4 with E109 naming the path, and writes nothing', async () => {
    const dest = path.join(dir, 'clip.gif');
    const r = await run(dest);
    expect(r.failed).toEqual(['out']);
    expect(r.nodes.get('out')!.error).toMatch(/^E109 .*clip\.gif: output file must end in \.mp4/);
    await expect(fs.stat(dest)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
