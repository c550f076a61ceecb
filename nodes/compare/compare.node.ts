/**
 * Compare: 2–4 videos side by side (row) or 2×2 (grid), each with a label, one audio
 * track (from `a`). For A/B-ing models or prompts on the same audio.
 */
import path from 'node:path';
import { z } from 'zod';
import { S2VError, defineNode, type VideoValue } from '../../src/engine/index.js';
import { provenanceTags } from '../../src/engine/index.js';

const params = z.object({
  /** Comma-separated labels for a, b, c, d; blanks fall back to each video's own label. */
  labels: z.string().default(''),
  layout: z.enum(['row', 'grid']).default('row'),
});

export const compareNode = defineNode({
  type: 'compare',
  version: 1,
  title: 'Compare',
  category: 'output',
  description: 'Lays 2–4 videos side by side (or in a grid) with labels and the audio of the first, to compare models or prompts.',
  inputs: {
    a: { type: 'video', label: 'A' },
    b: { type: 'video', label: 'B' },
    c: { type: 'video', optional: true, label: 'C' },
    d: { type: 'video', optional: true, label: 'D' },
  },
  outputs: {
    video: { type: 'video', label: 'Video' },
  },
  params,
  widgets: {
    labels: { kind: 'text', placeholder: 'pulse, drift', label: 'Labels (comma-separated)' },
    layout: { kind: 'select', options: [{ value: 'row', label: 'Row' }, { value: 'grid', label: 'Grid (2×2)' }] },
  },
  cache: 'pure',
  async evaluate({ inputs, params: p, ctx }) {
    const given = p.labels.split(',').map((s) => s.trim());
    const names = ['A', 'B', 'C', 'D'];
    // Labels follow the ports, so with c unconnected the fourth label still names d.
    const slots = [inputs.a, inputs.b, inputs.c, inputs.d].map((v, i) => (v ? { v, label: given[i] || v.label || names[i]! } : undefined));
    const used = slots.filter((s): s is { v: VideoValue; label: string } => s !== undefined);
    const cells = used.map(({ v, label }) => ({ path: v.path, label }));
    const lengths = used.map(({ v }) => v.durationSec);
    const shortest = Math.min(...lengths);
    if (Math.max(...lengths) - shortest > 0.5 / used[0]!.v.fps) {
      ctx.warn(`videos differ in length (${lengths.map((d) => `${d.toFixed(2)} s`).join(', ')}): the comparison stops at the shortest`);
    }
    const dir = await ctx.artifactDir();
    const output = path.join(dir, 'compare.mp4');
    const previewPath = path.join(dir, 'compare.webm');
    ctx.progress(0, `comparing ${cells.length} videos`);
    const result = await ctx.services.media.compareVideos({ inputs: cells, output, layout: p.layout, audioPath: inputs.a.path, previewPath, signal: ctx.signal, metadata: await provenanceTags(ctx) });
    for (const w of result?.warnings ?? []) ctx.warn(w);
    const probe = await ctx.services.media.probe(output, ctx.signal);
    if (!probe.video) throw new S2VError('E110', 'comparison has no video stream', { where: output, exitCode: 1 });
    ctx.progress(1);
    const { width, height, fps } = probe.video;
    const durationSec = probe.video.durationSec || probe.durationSec;
    return {
      video: {
        kind: 'video', path: output, previewPath, width, height, fps,
        frames: probe.video.frames ?? Math.round(durationSec * fps), durationSec,
        label: cells.map((c) => c.label).join(' | '),
      },
    };
  },
});
