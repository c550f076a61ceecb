/**
 * Voice activity with Silero VAD (v5 weights, shipped in @ricky0123/vad-web) on
 * onnxruntime-node, one intra-op thread. For speed the audio is cut into independent
 * segments, each preceded by a short warm-up taken from the audio before it, and the
 * segments run side by side as one batch: one session call advances every segment by one
 * 32 ms frame. Streaming: push 16 kHz PCM as it is decoded; memory is one batch.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { S2VError } from '../engine/errors.js';

export const VAD_SAMPLE_RATE = 16000;
/** Samples per VAD frame (32 ms at 16 kHz). */
export const VAD_FRAME = 512;
/** Samples of the previous frame the v5 model sees in front of each frame. */
const CONTEXT = 64;

export interface VadOptions {
  /** Output frames per segment. */
  segmentFrames?: number;
  /** Frames of warm-up run before each segment (outputs discarded). */
  warmupFrames?: number;
  /** Segments per session call. */
  batch?: number;
  modelPath?: string;
  signal?: AbortSignal;
}

/** Where the Silero v5 model lives (the npm package ships it). */
export function sileroModelPath(): string {
  const candidates: string[] = [];
  try {
    const req = createRequire(import.meta.url);
    candidates.push(path.join(path.dirname(req.resolve('@ricky0123/vad-web/package.json')), 'dist', 'silero_vad_v5.onnx'));
  } catch {
    // package.json not exported: fall back to the usual layout
  }
  candidates.push(path.resolve('node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx'));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new S2VError('E111', 'Silero VAD model not found', { where: candidates[0], hint: 'run npm install (it ships with @ricky0123/vad-web)', exitCode: 1 });
  }
  return found;
}

const sessions = new Map<string, Promise<ort.InferenceSession>>();

function sessionFor(modelPath: string): Promise<ort.InferenceSession> {
  let s = sessions.get(modelPath);
  if (!s) {
    s = ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
    s.catch(() => sessions.delete(modelPath));
    sessions.set(modelPath, s);
  }
  return s;
}

/** Below this peak a segment is treated as silence without running the model. */
const SILENT_PEAK = 1e-4;

/**
 * Streaming batched VAD. `push()` 16 kHz mono PCM (awaiting it applies backpressure while a
 * batch runs); `finish()` returns one speech probability per 512-sample frame.
 */
export class BatchedVad {
  private readonly segFrames: number;
  private readonly warmFrames: number;
  private readonly batch: number;
  private readonly modelPath: string;
  private readonly signal?: AbortSignal;
  private readonly lead: number;
  private readonly segLen: number;
  /** Samples not yet assigned to a segment, plus `lead` samples of history in front. */
  private pending: Float32Array;
  private pendingLen: number;
  private segments: Array<{ index: number; data: Float32Array }> = [];
  private nextSegment = 0;
  private totalSamples = 0;
  private probs: Float32Array[] = [];
  /** Model calls made (for the bench). */
  calls = 0;

  constructor(opts: VadOptions = {}) {
    this.segFrames = opts.segmentFrames ?? 64;
    this.warmFrames = opts.warmupFrames ?? 8;
    this.batch = opts.batch ?? 64;
    this.modelPath = opts.modelPath ?? sileroModelPath();
    this.signal = opts.signal;
    this.lead = this.warmFrames * VAD_FRAME + CONTEXT;
    this.segLen = this.segFrames * VAD_FRAME;
    // History before t=0 is silence.
    this.pending = new Float32Array(this.lead + this.segLen * 2);
    this.pendingLen = this.lead;
  }

  async push(pcm: Float32Array): Promise<void> {
    this.totalSamples += pcm.length;
    let off = 0;
    while (off < pcm.length) {
      const room = this.lead + this.segLen - this.pendingLen;
      const n = Math.min(room, pcm.length - off);
      this.pending.set(pcm.subarray(off, off + n), this.pendingLen);
      this.pendingLen += n;
      off += n;
      if (this.pendingLen === this.lead + this.segLen) {
        this.cutSegment();
        if (this.segments.length >= this.batch) await this.runBatch();
      }
    }
  }

  /** Speech probability per VAD_FRAME samples, covering every pushed sample. */
  async finish(): Promise<Float32Array> {
    if (this.pendingLen > this.lead) {
      this.pending.fill(0, this.pendingLen, this.lead + this.segLen);
      this.pendingLen = this.lead + this.segLen;
      this.cutSegment();
    }
    while (this.segments.length) await this.runBatch();
    const frames = Math.ceil(this.totalSamples / VAD_FRAME);
    const out = new Float32Array(frames);
    for (let s = 0; s < this.probs.length; s++) {
      const p = this.probs[s];
      if (!p) continue;
      const base = s * this.segFrames;
      for (let i = 0; i < p.length && base + i < frames; i++) out[base + i] = p[i]!;
    }
    return out;
  }

  private cutSegment(): void {
    const data = this.pending.slice(0, this.lead + this.segLen);
    this.segments.push({ index: this.nextSegment++, data });
    // Keep the tail as the next segment's warm-up and context.
    this.pending.copyWithin(0, this.segLen, this.lead + this.segLen);
    this.pendingLen = this.lead;
  }

  private async runBatch(): Promise<void> {
    if (this.signal?.aborted) throw new S2VError('E121', 'cancelled', { where: 'vad', exitCode: 1 });
    const all = this.segments.splice(0, this.batch);
    const live = all.filter((s) => {
      let peak = 0;
      for (let i = CONTEXT; i < s.data.length; i++) peak = Math.max(peak, Math.abs(s.data[i]!));
      if (peak < SILENT_PEAK) this.probs[s.index] = new Float32Array(this.segFrames);
      return peak >= SILENT_PEAK;
    });
    if (live.length === 0) return;
    const session = await sessionFor(this.modelPath);
    const b = live.length;
    const width = VAD_FRAME + CONTEXT;
    const input = new Float32Array(b * width);
    let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(2 * b * 128), [2, b, 128]);
    const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(VAD_SAMPLE_RATE)]), []);
    const outs = live.map(() => new Float32Array(this.segFrames));
    const steps = this.warmFrames + this.segFrames;
    for (let k = 0; k < steps; k++) {
      for (let i = 0; i < b; i++) input.set(live[i]!.data.subarray(k * VAD_FRAME, k * VAD_FRAME + width), i * width);
      const res = await session.run({ input: new ort.Tensor('float32', input, [b, width]), state, sr });
      this.calls++;
      state = res.stateN as ort.Tensor;
      if (k >= this.warmFrames) {
        const p = res.output!.data as Float32Array;
        for (let i = 0; i < b; i++) outs[i]![k - this.warmFrames] = p[i]!;
      }
    }
    live.forEach((s, i) => (this.probs[s.index] = outs[i]!));
  }
}

/** Convenience: VAD over a whole 16 kHz buffer. */
export async function detectVoice(pcm16k: Float32Array, opts: VadOptions = {}): Promise<Float32Array> {
  const vad = new BatchedVad(opts);
  await vad.push(pcm16k);
  return vad.finish();
}
