/**
 * The render loop: controls in chunks of frames → model session(s) → uint8 RGB frames →
 * the streaming encoder, with the sync meter watching every frame. Several chunks are in
 * flight at once (one per worker) while the main thread feeds ffmpeg, so inference and
 * encoding overlap. Memory is bounded by the chunks in flight, never by the duration.
 */
import { S2VError, cancelledError, type ModelSession, type TensorLike, type VideoEncoder } from '../../src/engine/index.js';
import type { ControlTable } from './controls.js';
import { MotionMeter } from './sync.js';

export interface RenderJob {
  session: ModelSession;
  /** Inputs that stay the same for every chunk (image, style, boxes, size). */
  fixed: Record<string, TensorLike>;
  controls: ControlTable;
  width: number;
  height: number;
  encoder: VideoEncoder;
  chunk: number;
  /** Chunks in flight (≥ 1); match the session's worker count. */
  inFlight: number;
  signal: AbortSignal;
  /** Named in errors (the node and model). */
  where: string;
  onProgress(framesDone: number): void;
}

export async function renderFrames(job: RenderJob): Promise<Float32Array> {
  const { controls, width, height, chunk } = job;
  const K = controls.names.length;
  const total = controls.frames;
  const meter = new MotionMeter(width, height, total);
  const frameBytes = width * height * 3;
  const queue: Array<Promise<Record<string, TensorLike>>> = [];
  // The fixed inputs are megabytes and the same for every chunk: each worker gets them once.
  const fixed = job.session.pin?.(job.fixed) ?? job.fixed;
  let next = 0;
  const launch = () => {
    const start = next;
    const n = Math.min(chunk, total - start);
    next += n;
    const rows = controls.data.slice(start * K, (start + n) * K);
    const p = job.session.run({ ...fixed, controls: { type: 'float32', dims: [n, K], data: rows } }, job.signal);
    p.catch(() => undefined); // awaited in order below; avoid unhandled rejections meanwhile
    queue.push(p);
  };
  let done = 0;
  try {
    while (done < total) {
      while (queue.length < job.inFlight && next < total) launch();
      const out = await queue.shift()!;
      if (job.signal.aborted) throw cancelledError();
      const frames = out.frames;
      const n = frames?.dims[0] ?? 0;
      // A model that ignores the requested size would otherwise feed ffmpeg torn frames.
      if (!frames || !(frames.data instanceof Uint8Array) || n < 1 || frames.data.length !== n * frameBytes) {
        const got = frames ? `${frames.type} [${frames.dims.join(', ')}]` : 'no "frames" output';
        throw new S2VError('E120', `model returned ${got}, expected uint8 [n, ${height}, ${width}, 3]`, { where: job.where, exitCode: 1 });
      }
      const data = frames.data;
      // Keep the next chunk computing while this one is written.
      while (queue.length < job.inFlight && next < total) launch();
      for (let i = 0; i < n; i++) {
        const frame = data.subarray(i * frameBytes, (i + 1) * frameBytes);
        meter.push(frame);
        await job.encoder.write(frame);
        if (job.signal.aborted) throw cancelledError();
      }
      done += n;
      job.onProgress(done);
    }
  } finally {
    // Chunks still in flight after an error keep their own references on the worker side.
    job.session.unpin?.(fixed);
  }
  return meter.energy;
}
