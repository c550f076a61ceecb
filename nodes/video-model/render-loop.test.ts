/**
 * The render loop's bookkeeping with a scripted session (render.test.ts covers order and the
 * size check): chunk sizes, how many chunks are in flight, progress counts, cancel between
 * frames, and the error for each kind of malformed model output.
 */
import { describe, expect, it } from 'vitest';
import type { ModelSession, TensorLike, VideoEncoder } from '../../src/engine/index.js';
import { renderFrames, type RenderJob } from './render.js';

const W = 4;
const H = 2;
const BYTES = W * H * 3;

interface Script {
  /** Replace the model's answer for a chunk. */
  answer?: (n: number, call: number) => Record<string, TensorLike>;
  /** Resolve run() only when the test says so (to count chunks in flight). */
  manual?: boolean;
}

function scripted(s: Script = {}) {
  const calls: Array<{ type: string; rows: number[]; dims: number[]; fixed: string[] }> = [];
  const pending: Array<() => void> = [];
  let running = 0;
  let maxRunning = 0;
  const session: ModelSession = {
    inputNames: ['controls'], outputNames: ['frames'],
    async run(feeds) {
      const c = feeds.controls!;
      const n = c.dims[0]!;
      const call = calls.length;
      calls.push({ type: c.type, rows: Array.from(c.data as Float32Array), dims: [...c.dims], fixed: Object.keys(feeds).filter((k) => k !== 'controls').sort() });
      running++;
      maxRunning = Math.max(maxRunning, running);
      if (s.manual) await new Promise<void>((r) => pending.push(r));
      else await new Promise((r) => setTimeout(r, 1));
      running--;
      if (s.answer) return s.answer(n, call);
      const data = new Uint8Array(n * BYTES);
      for (let i = 0; i < n; i++) data.fill((c.data as Float32Array)[i]!, i * BYTES, (i + 1) * BYTES);
      return { frames: { type: 'uint8', dims: [n, H, W, 3], data } };
    },
  };
  return { session, calls, pending, maxRunning: () => maxRunning };
}

function job(session: ModelSession, over: Partial<RenderJob> = {}, frames = 7) {
  const written: number[] = [];
  const progress: number[] = [];
  const encoder: VideoEncoder = { write: async (f) => void written.push(f[0]!), finish: async () => undefined, abort: async () => undefined };
  const j: RenderJob = {
    session, fixed: { style: { type: 'float32', dims: [1, 1], data: new Float32Array(1) } }, encoder, width: W, height: H, chunk: 3, inFlight: 1,
    signal: new AbortController().signal, where: 'node "m"',
    controls: { frames, names: ['v'], data: Float32Array.from({ length: frames }, (_, i) => 10 + i) },
    onProgress: (d) => progress.push(d),
    ...over,
  };
  return { j, written, progress };
}

describe('renderFrames bookkeeping', () => {
  it('cuts the controls into chunks of `chunk` rows, sends the fixed inputs with each, reports progress per chunk', async () => {
    const s = scripted();
    const { j, written, progress } = job(s.session);
    await renderFrames(j);
    expect(s.calls.map((c) => c.rows)).toEqual([[10, 11, 12], [13, 14, 15], [16]]);
    expect(s.calls.map((c) => c.dims)).toEqual([[3, 1], [3, 1], [1, 1]]);
    expect(s.calls.every((c) => c.type === 'float32')).toBe(true);
    expect(s.calls.every((c) => c.fixed.join() === 'style')).toBe(true);
    expect(written).toEqual([10, 11, 12, 13, 14, 15, 16]);
    expect(progress).toEqual([3, 6, 7]);
  });

  it('keeps `inFlight` chunks running at once, never more', async () => {
    const s = scripted({ manual: true });
    const { j, written } = job(s.session, { inFlight: 2, chunk: 2 }, 9);
    const done = renderFrames(j);
    for (let k = 0; k < 5; k++) {
      await new Promise((r) => setTimeout(r, 5));
      expect(s.pending.length, `step ${k}`).toBeLessThanOrEqual(2);
      s.pending.shift()?.();
    }
    await done;
    expect(s.maxRunning()).toBe(2);
    expect(s.calls.map((c) => c.dims[0])).toEqual([2, 2, 2, 2, 1]);
    expect(written).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18]);
  });

  it('cancel between frames stops with E121 before the next frame is written', async () => {
    const ac = new AbortController();
    const s = scripted();
    const { j, written } = job(s.session, { signal: ac.signal });
    j.encoder = { ...j.encoder, write: async (f) => { written.push(f[0]!); if (written.length === 2) ac.abort(); } };
    await expect(renderFrames(j)).rejects.toMatchObject({ code: 'E121' });
    expect(written).toEqual([10, 11]);
  });

  it('a cancel while the model runs is E121 before anything of that chunk is written', async () => {
    const ac = new AbortController();
    const s = scripted({ answer: (n) => (ac.abort(), { frames: { type: 'uint8', dims: [n, H, W, 3], data: new Uint8Array(n * BYTES) } }) });
    const { j, written } = job(s.session, { signal: ac.signal });
    await expect(renderFrames(j)).rejects.toMatchObject({ code: 'E121' });
    expect(written).toEqual([]);
  });

  it.each([
    ['no frames output', () => ({}), /model returned no "frames" output, expected uint8 \[n, 2, 4, 3\]/],
    ['float frames', (n: number) => ({ frames: { type: 'float32', dims: [n, H, W, 3], data: new Float32Array(n * BYTES) } }), /model returned float32 \[3, 2, 4, 3\]/],
    ['zero frames', () => ({ frames: { type: 'uint8', dims: [0, H, W, 3], data: new Uint8Array(0) } }), /model returned uint8 \[0, 2, 4, 3\]/],
    ['a short buffer', (n: number) => ({ frames: { type: 'uint8', dims: [n, H, W, 3], data: new Uint8Array(n * BYTES - 1) } }), /model returned uint8 \[3, 2, 4, 3\]/],
  ] as const)('%s is an E120 naming the node', async (_what, answer, message) => {
    const { j, written } = job(scripted({ answer: answer as Script['answer'] }).session);
    await expect(renderFrames(j)).rejects.toMatchObject({ code: 'E120', where: 'node "m"', exitCode: 1, message: expect.stringMatching(message) });
    expect(written).toEqual([]);
  });

  it('a model error in a later chunk surfaces once, in order, after the earlier frames are written', async () => {
    const s = scripted({ answer: (n, call) => {
      if (call === 1) throw new Error('worker died');
      return { frames: { type: 'uint8', dims: [n, H, W, 3], data: new Uint8Array(n * BYTES).fill(1) } };
    } });
    const { j, written } = job(s.session, { inFlight: 2 });
    await expect(renderFrames(j)).rejects.toThrow('worker died');
    expect(written).toEqual([1, 1, 1]);
  });
});
