/**
 * headaudio's viseme classifier (viseme-classifier.mjs) on a worker thread, so it runs beside
 * the main thread's share of the viseme pass (the bilabial detector's features) instead of
 * after it. The thread starts on `start()` or on first use, is unref'd while idle (it never
 * keeps a process alive) and stops after `idleMs` without work (a studio server does not hold
 * it between renders); the next call starts it again. It gives the same weights as a call on
 * this thread: the same code on the same samples. If the thread cannot run (it failed to start
 * or died), calls run here instead.
 */
import { Worker } from 'node:worker_threads';
import { classifyVisemes } from './viseme-classifier.mjs';

interface Pending {
  resolve: (w: Float32Array) => void;
  reject: (e: Error) => void;
}

/** A live thread and the calls it has not answered yet. */
type Running = { worker: Worker; pending: Map<number, Pending> };

export class VisemeThread {
  private running?: Running;
  /** The thread failed on its own: every call runs on the calling thread from then on. */
  private broken = false;
  private nextId = 0;
  private idleTimer?: NodeJS.Timeout;

  constructor(private readonly idleMs = 30_000) {}

  /** Boot the thread now (its module load overlaps with whatever the caller does next). */
  start(): void {
    if (this.running || this.broken) return;
    let worker: Worker;
    try {
      worker = new Worker(new URL('./viseme-worker.mjs', import.meta.url));
    } catch {
      this.broken = true;
      return;
    }
    worker.unref();
    const run: Running = { worker, pending: new Map() };
    worker.on('message', (m: { id: number; weights?: Float32Array; error?: string }) => {
      const p = run.pending.get(m.id);
      if (!p) return;
      run.pending.delete(m.id);
      if (run.pending.size === 0) this.idle(run);
      if (m.weights) p.resolve(m.weights);
      else p.reject(new Error(m.error));
    });
    const died = () => {
      if (this.running !== run) return; // stopped on purpose
      this.running = undefined;
      this.broken = true;
      for (const p of run.pending.values()) p.reject(new Error('viseme thread died'));
      run.pending.clear();
    };
    worker.on('error', died);
    worker.on('exit', died);
    this.running = run;
    // A thread booted for work that never comes (the analysis failed) stops like an idle one.
    this.idle(run);
  }

  /** Raw per-frame viseme weights of `pcm16k`, worked out on the thread (or here when it cannot). */
  async classify(pcm16k: Float32Array, fps: number, frames: number): Promise<Float32Array> {
    this.start();
    const run = this.running;
    if (!run) return classifyVisemes(pcm16k, fps, frames);
    clearTimeout(this.idleTimer);
    const id = this.nextId++;
    run.worker.ref();
    try {
      return await new Promise<Float32Array>((resolve, reject) => {
        run.pending.set(id, { resolve, reject });
        // A copy of just these samples, moved: cloning a view would copy its whole buffer.
        const own = pcm16k.slice();
        run.worker.postMessage({ id, pcm: own, fps, frames }, [own.buffer]);
      });
    } catch {
      return classifyVisemes(pcm16k, fps, frames);
    }
  }

  /** Whether a thread is running now (tests watch the idle stop). */
  get alive(): boolean {
    return this.running !== undefined;
  }

  /** Stop the thread; the next call starts a new one. */
  async stop(): Promise<void> {
    clearTimeout(this.idleTimer);
    const run = this.running;
    this.running = undefined;
    if (!run) return;
    // Calls in flight are answered on the calling thread (classify falls back on a rejection).
    for (const p of run.pending.values()) p.reject(new Error('viseme thread stopped'));
    run.pending.clear();
    await run.worker.terminate();
  }

  private idle(run: Running): void {
    run.worker.unref();
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.running === run && run.pending.size === 0) void this.stop();
    }, this.idleMs);
    this.idleTimer.unref();
  }
}
