/**
 * Output: exports the finished video to a file the user chose (atomically), tagged with the
 * graph that made it (provenance.ts) so `s2v graph-from` can restore it.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { defineNode, makeDirs, S2VError, type VideoValue } from '../../src/engine/index.js';
import { provenanceTags } from '../../src/engine/index.js';

async function sizeOf(p: string): Promise<number | undefined> {
  return (await fs.stat(p).catch(() => undefined))?.size;
}

const syncReportOf = (dest: string) => dest.replace(/\.[^.]+$/, '.sync.json');

/** Every file an Output wrote: the video, its WebM preview and its sync report (when it wrote them). */
export function exportedFiles(video: VideoValue): string[] {
  return [video.path, ...(video.previewPath ? [video.previewPath] : []), ...(video.sync ? [syncReportOf(video.path)] : [])];
}

export const outputNode = defineNode({
  type: 'output',
  // v2: the written file carries provenance (older cache entries are written again).
  version: 2,
  title: 'Output',
  category: 'output',
  description: 'Writes the video to an .mp4 file (and a WebM preview beside it when the model made one).',
  inputs: { video: { type: 'video' } },
  outputs: { video: { type: 'video' } },
  params: z.object({
    path: z.string().default('out/render.mp4').describe('Where to write the .mp4'),
  }),
  widgets: { path: { kind: 'text', label: 'Output file' } },
  cache: 'pure',
  async stillValid(outputs) {
    // The export lives outside the cache: if the user deleted or replaced it, or deleted the
    // preview or sync report written beside it, write them again.
    const v = outputs.video as VideoValue & { bytes?: number };
    if ((await sizeOf(v.path)) !== v.bytes) return false;
    for (const side of exportedFiles(v).slice(1)) if ((await sizeOf(side)) === undefined) return false;
    return true;
  },
  async evaluate({ inputs, params, ctx }) {
    const dest = path.resolve(params.path);
    if (!/\.(mp4|m4v|mov)$/i.test(dest)) {
      throw new S2VError('E109', 'output file must end in .mp4', { where: dest });
    }
    await makeDirs(path.dirname(dest));
    try {
      await fs.access(path.dirname(dest), fs.constants.W_OK);
    } catch {
      throw new S2VError('E109', 'cannot write to this folder', { where: path.dirname(dest), hint: 'choose another output path' });
    }
    const video = inputs.video;
    const { media } = ctx.services;
    const tags = await provenanceTags(ctx);
    let tagged = false;
    if (media.copyWithMetadata && Object.keys(tags).length) {
      try {
        await media.copyWithMetadata(video.path, dest, tags, ctx.signal);
        tagged = true;
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        // The export matters more than its label: a video ffmpeg cannot stream-copy still gets written.
        ctx.warn(`exported without provenance: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    if (!tagged) await media.copyAtomic(video.path, dest);
    let previewPath: string | undefined;
    if (video.previewPath) {
      previewPath = dest.replace(/\.[^.]+$/, '.preview.webm');
      await ctx.services.media.copyAtomic(video.previewPath, previewPath);
    }
    const bytes = await sizeOf(dest);
    if (video.sync) {
      await writeJsonAtomic(syncReportOf(dest), { output: dest, sync: video.sync, frames: video.frames, fps: video.fps });
    }
    return { video: { ...video, path: dest, previewPath, bytes } as VideoValue };
  },
});

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(value, null, 2));
  await fs.rename(tmp, file);
}
