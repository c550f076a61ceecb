/**
 * Long-audio planning for remote models: which requests cover an audio of any length on the
 * model's frame grid. Pure (no I/O), so the plan can be shown before anything is spent.
 *
 * - Frames are counted at the model's fps. The plan keeps exactly ceil(duration·fps) frames:
 *   the video covers the audio and is at most one frame longer; the node trims it to the
 *   exact duration when it normalises.
 * - A segment is one request. Segments after the first continue from the last kept frame of
 *   the one before (it is their first frame, dropped when joining), so the join has no jump.
 * - Cuts fall on phrase boundaries (pauses in the vocals, section changes), else downbeats,
 *   else beats, as late as the model's limit allows; a hard cut only when there is none.
 * - 'extend' models (Wan 2.2 S2V on ComfyUI) cover a segment with one base clip and Extend
 *   steps of equal chunk length inside one request; 'chain' models send one request each.
 */
import type { FeaturesValue, FrameGrid } from '../../src/engine/index.js';

/** Extend steps per ComfyUI request: beyond this a request holds too much in GPU memory and one failure loses too much. */
export const MAX_EXTEND_STEPS = 3;

export interface PlanSegment {
  index: number;
  /** Where this segment's kept frames start and end in the audio, seconds. */
  startSec: number;
  endSec: number;
  /** Frames kept from this segment's video (model fps). */
  frames: number;
  /** Frames requested from the model: on its grid, ≥ frames + dropFirst. */
  genFrames: number;
  /** 1 when the first generated frame repeats the previous segment's last frame. */
  dropFirst: 0 | 1;
  /** The audio sent with this request (it starts with the repeated frame when dropFirst). */
  audioStartSec: number;
  audioDurationSec: number;
  /** 'extend' models: chunk length and Extend steps after the base clip (genFrames = chunk·(steps+1)). */
  chunkFrames?: number;
  extendSteps?: number;
  /** Why the segment ends here: end of audio, or the boundary the cut was placed on. */
  cut: 'end' | 'phrase' | 'downbeat' | 'beat' | 'limit';
}

export interface GenerationPlan {
  fps: number;
  durationSec: number;
  /** Kept frames in total: ceil(duration·fps). */
  frames: number;
  segments: PlanSegment[];
}

export interface PlanInput {
  durationSec: number;
  grid: FrameGrid;
  longAudio: 'extend' | 'chain';
  features?: Pick<FeaturesValue, 'beats' | 'downbeats' | 'sections' | 'speech'>;
  /** Cap on one request's kept frames below the model's own limit (tests, cost control). */
  maxSegmentFrames?: number;
}

/** The smallest frame count on the grid that is ≥ n. */
export function onGrid(n: number, grid: Pick<FrameGrid, 'base' | 'step'>): number {
  if (n <= grid.base) return grid.base;
  return grid.base + Math.ceil((n - grid.base) / grid.step) * grid.step;
}

/** Largest grid value ≤ maxFrames. */
function gridMax(grid: FrameGrid): number {
  if (grid.maxFrames < grid.base) throw new Error(`frame grid max ${grid.maxFrames} is below its base ${grid.base}`);
  return grid.base + Math.floor((grid.maxFrames - grid.base) / grid.step) * grid.step;
}

/** How an extend request covers `need` frames: equal chunks, as few as fit. */
export function extendLayout(need: number, grid: FrameGrid): { chunkFrames: number; extendSteps: number; genFrames: number } {
  const max = gridMax(grid);
  const chunks = Math.max(1, Math.ceil(need / max));
  const chunkFrames = Math.min(max, onGrid(Math.ceil(need / chunks), grid));
  return { chunkFrames, extendSteps: chunks - 1, genFrames: chunkFrames * chunks };
}

type CutKind = Exclude<PlanSegment['cut'], 'end' | 'limit'>;

/** Candidate cut times with their kind, best kind first. */
function candidates(f: PlanInput['features']): Array<{ t: number; kind: CutKind; rank: number }> {
  if (!f) return [];
  const out: Array<{ t: number; kind: CutKind; rank: number }> = [];
  // A pause between two vocal phrases: cut in its middle, never inside a word.
  for (let i = 1; i < f.speech.length; i++) {
    const gapStart = f.speech[i - 1]![1];
    const gapEnd = f.speech[i]![0];
    if (gapEnd - gapStart >= 0.15) out.push({ t: (gapStart + gapEnd) / 2, kind: 'phrase', rank: 0 });
  }
  for (const t of f.sections) out.push({ t, kind: 'phrase', rank: 0 });
  for (const t of f.downbeats) out.push({ t, kind: 'downbeat', rank: 1 });
  for (const t of f.beats) out.push({ t, kind: 'beat', rank: 2 });
  return out;
}

const inSpeech = (t: number, f: PlanInput['features']) => !!f?.speech.some(([a, b]) => t > a && t < b);

export function planGeneration(input: PlanInput): GenerationPlan {
  const { durationSec, grid } = input;
  if (!(durationSec > 0) || !Number.isFinite(durationSec)) throw new Error(`audio duration must be positive (got ${durationSec})`);
  const fps = grid.fps;
  const total = Math.ceil(durationSec * fps - 1e-9);
  // Kept frames one request may cover (a continuing segment also generates the repeated frame).
  const perRequest = input.longAudio === 'extend' ? gridMax(grid) * (MAX_EXTEND_STEPS + 1) : gridMax(grid);
  const maxKept = Math.max(1, Math.min(perRequest - 1, input.maxSegmentFrames ?? Infinity));
  const cands = candidates(input.features);

  const bounds: Array<{ frame: number; cut: PlanSegment['cut'] }> = [];
  let start = 0;
  while (total - start > maxKept) {
    const hi = start + maxKept;
    // Look for a boundary in the last 40% of what one request can hold, so segments stay long.
    const lo = start + Math.max(1, Math.floor(maxKept * 0.6));
    let best: { frame: number; kind: CutKind; rank: number } | undefined;
    for (const c of cands) {
      const frame = Math.round(c.t * fps);
      if (frame < lo || frame > hi || frame >= total) continue;
      if (c.kind !== 'phrase' && inSpeech(c.t, input.features)) continue;
      if (!best || c.rank < best.rank || (c.rank === best.rank && frame > best.frame)) best = { frame, kind: c.kind, rank: c.rank };
    }
    const frame = best?.frame ?? hi;
    bounds.push({ frame, cut: best?.kind ?? 'limit' });
    start = frame;
  }
  bounds.push({ frame: total, cut: 'end' });

  const segments: PlanSegment[] = [];
  let from = 0;
  for (const [index, b] of bounds.entries()) {
    const frames = b.frame - from;
    const dropFirst: 0 | 1 = index > 0 ? 1 : 0;
    const need = frames + dropFirst;
    const layout = input.longAudio === 'extend' ? extendLayout(need, grid) : undefined;
    const genFrames = layout?.genFrames ?? onGrid(need, grid);
    if (!layout && genFrames > grid.maxFrames) throw new Error(`segment ${index} needs ${genFrames} frames, above the model's ${grid.maxFrames}`);
    const audioStartSec = (from - dropFirst) / fps;
    segments.push({
      index,
      startSec: from / fps,
      endSec: Math.min(durationSec, b.frame / fps),
      frames,
      genFrames,
      dropFirst,
      audioStartSec,
      audioDurationSec: Math.min(genFrames / fps, durationSec - audioStartSec),
      ...(layout ? { chunkFrames: layout.chunkFrames, extendSteps: layout.extendSteps } : {}),
      cut: b.cut,
    });
    from = b.frame;
  }
  return { fps, durationSec, frames: total, segments };
}

/** One line per segment, for the CLI and the node's log before anything runs. */
export function describePlan(plan: GenerationPlan): string[] {
  return plan.segments.map((s) => {
    const ext = s.extendSteps ? ` (${s.chunkFrames} + ${s.extendSteps}×${s.chunkFrames} extend)` : '';
    return `segment ${s.index + 1}/${plan.segments.length}: ${s.startSec.toFixed(2)}–${s.endSec.toFixed(2)} s, ${s.genFrames} frames${ext} @ ${plan.fps} fps, cut at ${s.cut}`;
  });
}
