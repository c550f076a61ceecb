/**
 * headaudio's viseme classifier (viseme-classifier.mjs) on a worker thread, so it runs beside
 * the main thread's share of the viseme pass (the bilabial detector's features) instead of
 * after it. The thread starts on `start()` (the audio service's prepare) or on first use, is
 * unref'd while idle (it never keeps a process alive), and gives the same weights as a call on
 * this thread: the same code on the same samples. If the thread cannot run (it failed to start
 * or died), calls run here instead.
 */
import { Worker } from 'node:worker_threads';
import { classifyVisemes } from './viseme-classifier.mjs';

interface Pending {
  resolve: (w: Float32Array) => void;
  reject: (e: Error) => void;
}

export class VisemeThread {
  private worker?: Worker;
  private broken = false;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  /** Boot the thread now (its module load overlaps with whatever the caller does next). */
  start(): void {
    if (this.worker || this.broken) return;
    try {
      const w = new Worker(new URL('./viseme-worker.mjs', import.meta.url));
      w.unref();
      w.on('message', (m: { id: number; weights?: Float32Array; error?: string }) => {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (this.pending.size === 0) w.unref();
        if (m.weights) p.resolve(m.weights);
        else p.reject(new Error(m.error));
      });
      const gone = () => {
        this.broken = true;
        this.worker = undefined;
        for (const p of this.pending.values()) p.reject(new Error('viseme thread stopped'));
        this.pending.clear();
      };
      w.on('error', gone);
      w.on('exit', gone);
      this.worker = w;
    } catch {
      this.broken = true;
    }
  }

  /** Raw per-frame viseme weights of `pcm16k`, worked out on the thread (or here when it cannot). */
  async classify(pcm16k: Float32Array, fps: number, frames: number): Promise<Float32Array> {
    this.start();
    const w = this.worker;
    if (!w) return classifyVisemes(pcm16k, fps, frames);
    const id = this.nextId++;
    w.ref();
    try {
      return await new Promise<Float32Array>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        // A copy of just these samples, moved: cloning a view would copy its whole buffer.
        const own = pcm16k.slice();
        w.postMessage({ id, pcm: own, fps, frames }, [own.buffer]);
      });
    } catch {
      return classifyVisemes(pcm16k, fps, frames);
    }
  }

  /** Stop the thread (tests; a process may also just exit: the thread is unref'd). */
  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
