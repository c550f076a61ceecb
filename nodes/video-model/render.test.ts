/**
 * The render loop with a scripted session (the end-to-end test runs the real models):
 * frames reach the encoder in order, the motion meter sees each one, and a model whose
 * output does not match the requested size is an E120 naming the node, not torn frames.
 */
import { describe, expect, it } from 'vitest';
import type { ModelSession, TensorLike, VideoEncoder } from '../../src/engine/index.js';
import { renderFrames } from './render.js';

const W = 8;
const H = 6;

/** Frame i is filled with the value 10·i, so consecutive frames differ by exactly 10. */
function session(size = { w: W, h: H }): ModelSession {
  return {
    inputNames: ['controls'],
    outputNames: ['frames'],
    async run(feeds) {
      const c = feeds.controls!;
      const n = c.dims[0]!;
      const bytes = size.w * size.h * 3;
      const data = new Uint8Array(n * bytes);
      for (let i = 0; i < n; i++) data.fill(10 * (c.data as Float32Array)[i * c.dims[1]!]!, i * bytes, (i + 1) * bytes);
      const frames: TensorLike = { type: 'uint8', dims: [n, size.h, size.w, 3], data };
      return { frames };
    },
  };
}

function job(s: ModelSession, written: number[]) {
  const encoder: VideoEncoder = { write: async (f) => void written.push(f[0]!), finish: async () => undefined, abort: async () => undefined };
  const frames = 7;
  return {
    session: s, fixed: {}, encoder, width: W, height: H, chunk: 3, inFlight: 2, signal: new AbortController().signal, where: 'node "m"',
    controls: { frames, names: ['i'], data: Float32Array.from({ length: frames }, (_, i) => i) },
    onProgress: () => undefined,
  };
}

describe('renderFrames', () => {
  it('writes every frame in order and measures motion between them', async () => {
    const written: number[] = [];
    const energy = await renderFrames(job(session(), written));
    expect(written).toEqual([0, 10, 20, 30, 40, 50, 60]);
    expect([...energy]).toEqual([0, 10, 10, 10, 10, 10, 10]);
  });

  it('pins the fixed inputs once for the whole render, every chunk reads them, and unpins them after it (after a failure too)', async () => {
    for (const size of [{ w: W, h: H }, { w: W - 1, h: H }]) {
      const image: TensorLike = { type: 'float32', dims: [1], data: new Float32Array(1) };
      const log: string[] = [];
      const base = session(size);
      const s: ModelSession = {
        ...base,
        pin: (f) => (log.push(`pin ${Object.keys(f)}`), f),
        unpin: (f) => void log.push(`unpin ${Object.keys(f)}`),
        run: (feeds, signal) => (log.push(`run ${feeds.image === image}`), base.run(feeds, signal)),
      };
      const run = renderFrames({ ...job(s, []), fixed: { image } });
      if (size.w === W) await run;
      else await expect(run).rejects.toMatchObject({ code: 'E120' });
      expect(log[0]).toBe('pin image');
      expect(log.at(-1)).toBe('unpin image');
      expect(log.slice(1, -1).every((l) => l === 'run true')).toBe(true);
    }
  });

  it('a model output of the wrong size is an E120 naming the node', async () => {
    const written: number[] = [];
    await expect(renderFrames(job(session({ w: W - 1, h: H }), written))).rejects.toMatchObject({ code: 'E120', where: 'node "m"', message: expect.stringMatching(/expected uint8 \[n, 6, 8, 3\]/) });
    expect(written).toEqual([]);
  });
});
