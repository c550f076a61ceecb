/**
 * Side-by-side comparison of 2–4 videos: same height per cell, a burned-in label each,
 * one audio track, written atomically (mp4 + optional WebM preview from the same pass).
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { S2VError } from '../engine/errors.js';
import type { MediaProbe } from '../engine/index.js';
import { compareArgs, even, type CompareCell } from './args.js';
import { assertReadable, assertWritableDir, commit, discard, tempPathFor } from './atomic.js';
import { probeMedia, type GetBinaries } from './probe.js';
import { runFfmpeg } from './run-ffmpeg.js';

export const LABEL_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
/** Cells are at most this tall so a 4-up grid of 1080p inputs stays a sane size. */
const MAX_CELL_HEIGHT = 720;

export interface CompareOptions {
  inputs: Array<{ path: string; label: string }>;
  output: string;
  layout: 'row' | 'grid';
  audioPath?: string;
  previewPath?: string;
  signal?: AbortSignal;
  /** Font for labels; defaults to DejaVu Sans when installed. */
  fontFile?: string;
  /** Container tags for the mp4 (provenance). */
  metadata?: Record<string, string>;
}

export interface CompareResult {
  warnings: string[];
}

/** Cell geometry from the probed inputs (pure; exported for tests). */
export function planCells(sizes: Array<{ width: number; height: number }>, layout: 'row' | 'grid'): {
  cells: Array<Omit<CompareCell, 'path' | 'labelFile'>>;
  totalWidth: number;
  totalHeight: number;
} {
  const h = even(Math.min(MAX_CELL_HEIGHT, ...sizes.map((s) => s.height)));
  const scaled = sizes.map((s) => ({ scaleWidth: even((s.width * h) / s.height), scaleHeight: h }));
  if (layout === 'row' || sizes.length === 2) {
    const cellW = layout === 'grid' ? Math.max(...scaled.map((s) => s.scaleWidth)) : 0;
    const cells = scaled.map((s) => ({ ...s, cellWidth: cellW || s.scaleWidth, cellHeight: h }));
    return { cells, totalWidth: cells.reduce((a, c) => a + c.cellWidth, 0), totalHeight: h };
  }
  // 2×2: every cell the size of the widest picture, narrower ones centred on black.
  const cellW = Math.max(...scaled.map((s) => s.scaleWidth));
  const cells = scaled.map((s) => ({ ...s, cellWidth: cellW, cellHeight: h }));
  return { cells, totalWidth: 2 * cellW, totalHeight: 2 * h };
}

export async function compareVideos(bins: GetBinaries, o: CompareOptions): Promise<CompareResult> {
  const n = o.inputs.length;
  if (n < 2 || n > 4) throw new S2VError('E106', `compare needs 2–4 videos (got ${n})`, { where: o.output });
  if (o.layout !== 'row' && o.layout !== 'grid') throw new S2VError('E106', `unknown layout '${String(o.layout)}'`, { where: o.output });
  const probes: MediaProbe[] = [];
  for (const input of o.inputs) {
    const p = await probeMedia(bins, input.path, { signal: o.signal });
    if (!p.video || !(p.video.width > 0)) throw new S2VError('E110', 'has no video stream', { where: input.path });
    probes.push(p);
  }
  if (o.audioPath) await assertReadable(o.audioPath);
  await assertWritableDir(o.output);
  if (o.previewPath) await assertWritableDir(o.previewPath);

  const warnings: string[] = [];
  const font = o.fontFile ?? LABEL_FONT;
  const haveFont = existsSync(font);
  if (!haveFont) warnings.push(`labels skipped: font ${font} not found (install fonts-dejavu-core)`);

  const plan = planCells(probes.map((p) => p.video!), o.layout);
  const fps = probes[0]!.video!.fps || 30;
  const durationSec = Math.min(...probes.map((p) => p.video!.durationSec || p.durationSec));
  if (!(durationSec > 0)) throw new S2VError('E110', 'video has zero duration', { where: o.inputs[0]!.path });

  const labelDir = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-compare-'));
  const temp = tempPathFor(o.output);
  const previewTemp = o.previewPath ? tempPathFor(o.previewPath) : undefined;
  try {
    const cells: CompareCell[] = [];
    for (let i = 0; i < n; i++) {
      const labelFile = path.join(labelDir, `label-${i}.txt`);
      await fs.writeFile(labelFile, o.inputs[i]!.label.replace(/\s+/g, ' ').trim());
      cells.push({ ...plan.cells[i]!, path: o.inputs[i]!.path, labelFile: o.inputs[i]!.label.trim() ? labelFile : undefined });
    }
    const args = compareArgs({
      cells,
      layout: o.layout,
      fps,
      durationSec,
      fontFile: haveFont ? font : undefined,
      audioPath: o.audioPath,
      audioFromFirst: !o.audioPath && !!probes[0]!.audio,
      output: temp,
      previewOutput: previewTemp,
      metadata: o.metadata,
      totalWidth: plan.totalWidth,
      totalHeight: plan.totalHeight,
    });
    await runFfmpeg({ bin: bins().ffmpeg, args, signal: o.signal, file: o.inputs[0]!.path, stdout: 'ignore' });
    if (previewTemp && o.previewPath) await commit(previewTemp, o.previewPath);
    await commit(temp, o.output);
  } catch (e) {
    await discard(temp, previewTemp);
    throw e;
  } finally {
    await fs.rm(labelDir, { recursive: true, force: true });
  }
  return { warnings };
}
