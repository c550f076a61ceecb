/**
 * Runs segments of audio through Silero VAD side by side: one session call advances every
 * segment by one 32 ms frame, and each row's LSTM state comes back from the call and goes in
 * with the next one (the model is recurrent: frame k's answer depends on every frame before
 * it in its segment). A row whose segment has ended leaves the batch with its state rows, so
 * a short tail segment does not keep the others waiting.
 */
import { S2VError } from '../engine/errors.js';
import type { ModelSession, TensorLike } from '../engine/index.js';

/** Units of Silero's recurrent state: [2, rows, STATE]. */
const STATE = 128;

export interface SileroLayout {
  /** Model-rate samples per frame (256 at 8 kHz, 512 at 16 kHz). */
  frame: number;
  /** Samples of the previous frame the v5 model sees in front of each frame. */
  context: number;
  /** Frames run before each segment's first output (their outputs are discarded). */
  warmFrames: number;
  /** The model rate, 8000 or 16000. */
  rate: number;
}

export interface SileroRow {
  /** Warm-up + context + frames, at the model rate. */
  data: Float32Array;
  /** Output frames wanted from this row. */
  frames: number;
}

/** One speech probability per frame of each row, in the rows' order. */
export async function runSileroBatch(session: ModelSession, rows: readonly SileroRow[], at: SileroLayout, signal?: AbortSignal): Promise<Float32Array[]> {
  const outs = rows.map((r) => new Float32Array(r.frames));
  if (rows.length === 0) return outs;
  // Longest first, so rows that have run all their frames drop off the end of the batch.
  const order = rows.map((_, i) => i).sort((a, b) => rows[b]!.frames - rows[a]!.frames);
  const width = at.frame + at.context;
  const sr: TensorLike = { type: 'int64', dims: [], data: BigInt64Array.from([BigInt(at.rate)]) };
  const steps = at.warmFrames + rows[order[0]!]!.frames;
  // Rows still running at step k: a row leaves once its warm-up and frames are done.
  const liveAt = (k: number, b: number) => {
    while (b > 0 && at.warmFrames + rows[order[b - 1]!]!.frames <= k) b--;
    return b;
  };
  if (session.runSteps) {
    // The whole sequence on the worker in one message (the analysis' thread goes on meanwhile):
    // every step's rows laid end to end, the same tensors the loop below sends one by one.
    const counts: number[] = [];
    for (let k = 0, b = order.length; k < steps; k++) counts.push((b = liveAt(k, b)));
    // The rows as they are (longest first): the worker lays out each step's rows itself. Laid out
    // here, the sequence was 2.5 MB of fresh memory for a 30 s clip on this thread (≈ 15 ms on
    // this machine) and, cloned into the message, as much again; rows in shared memory
    // (BatchedVad's) reach the worker without a copy, and are still here should the pool have to
    // send them again to another worker. Nothing writes to them once sent.
    const sources = { rows: order.map((i) => rows[i]!.data), hop: at.frame };
    const initial: TensorLike = { type: 'float32', dims: [2, order.length, STATE], data: new Float32Array(2 * order.length * STATE) };
    const p = await session.runSteps({ input: { name: 'input', sources, rowSize: width, rows: counts }, fixed: { sr }, carry: { name: 'state', from: 'stateN', initial }, collect: 'output' }, signal);
    let q = 0;
    counts.forEach((b, k) => {
      for (let i = 0; i < b; i++, q++) if (k >= at.warmFrames) outs[order[i]!]![k - at.warmFrames] = p[q]!;
    });
    return outs;
  }
  let b = order.length;
  // The pool copies inputs on each call, so one input buffer serves every step.
  let input = new Float32Array(b * width);
  let state: TensorLike = { type: 'float32', dims: [2, b, STATE], data: new Float32Array(2 * b * STATE) };
  for (let k = 0; k < steps; k++) {
    const live = liveAt(k, b);
    if (live < b) {
      state = firstRows(state, b, live);
      b = live;
      input = new Float32Array(b * width);
    }
    for (let i = 0; i < b; i++) input.set(rows[order[i]!]!.data.subarray(k * at.frame, k * at.frame + width), i * width);
    const out = await session.run({ input: { type: 'float32', dims: [b, width], data: input }, state, sr }, signal);
    if (!out.output || !out.stateN) {
      throw new S2VError('E111', `Silero VAD model gave ${Object.keys(out).join(', ')}, expected output and stateN`, { where: 'silero-vad', exitCode: 1 });
    }
    state = out.stateN;
    if (k >= at.warmFrames) {
      const p = out.output.data as Float32Array;
      for (let i = 0; i < b; i++) outs[order[i]!]![k - at.warmFrames] = p[i]!;
    }
  }
  return outs;
}

/** The state of the first `rows` of a batch of `b` rows (layout [2, b, STATE]). */
function firstRows(state: TensorLike, b: number, rows: number): TensorLike {
  const src = state.data as Float32Array;
  const dst = new Float32Array(2 * rows * STATE);
  for (let l = 0; l < 2; l++) dst.set(src.subarray(l * b * STATE, (l * b + rows) * STATE), l * rows * STATE);
  return { type: 'float32', dims: [2, rows, STATE], data: dst };
}
