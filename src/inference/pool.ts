/**
 * Session pool: each session lives in a worker thread (see session-worker.cjs) so inference
 * overlaps with encoding. A model may get several workers; `run` goes to the least busy
 * one, so a caller that keeps k chunks in flight uses k cores with one thread each.
 * Idle workers are unref'd and never keep the process alive, and a pool idle for
 * `idleMs` stops its workers (a long-lived studio server should not hold every model's
 * memory forever); the next `run` starts them again.
 *
 * A worker that dies after loading (native crash, killed thread, out of memory) leaves the
 * pool at once and is replaced on the next `run`; the calls it was holding are run again on
 * a live worker (inference is a pure function of its feeds), so a render never hangs on a
 * dead thread. A call whose worker dies twice in a row fails with E120 naming the model.
 *
 * Pinned inputs (see ModelSession.pin) are posted to a worker once, the first time a call
 * that uses them lands there, and referenced by id afterwards; a replacement worker gets
 * them the same way, so pins survive crashes and idle restarts.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { takeEarlyWorker } from './early-worker.js';
import { S2VError, cancelledError } from '../engine/errors.js';
import type { ModelSession, StepsRequest, TensorLike } from '../engine/index.js';

interface Pending {
  resolve: (v: Record<string, TensorLike>) => void;
  reject: (e: unknown) => void;
}

/** onnxruntime's graph optimisation when a session opens (see graphOptimizationFor in index.ts). */
export type GraphOptimization = 'all' | 'disabled';

/** Rejection for calls held by a worker that died; `run` retries these elsewhere. */
class WorkerDied extends S2VError {}

/** How many times one call may lose its worker before it fails (a model that kills every thread). */
const MAX_WORKER_DEATHS_PER_CALL = 2;

/**
 * onnxruntime-node (1.30 on Linux) records usage telemetry unless ORT_DISABLE_TELEMETRY=1: every
 * process that loads it writes a SQLite database under ~/.cache/Microsoft/DeveloperTools, an
 * empty mat-debug-<pid>.log in the temp folder, queues HTTPS uploads, and at exit flushes the
 * queue on the main thread. s2v sends nothing anywhere unasked, so it is off unless the user set
 * the variable themselves. Set in this thread's environment (setenv) before any worker loads
 * onnxruntime, which reads it natively. Measured on `s2v analyze` of a 30 s clip (strace, one
 * run each): the last output to the process' end 123 → 88 ms.
 */
export function quietOnnxruntime(): void {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
}

class SessionWorker {
  private readonly worker: Worker;
  /** False once the thread has exited or crashed: it must never be handed work again. */
  alive = true;
  /** Called once when the thread dies (not when it is terminated on purpose). */
  onDied: () => void = () => undefined;
  private stopping = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  readonly ready: Promise<{ inputNames: string[]; outputNames: string[] }>;
  /** With `hashModel`: the sha256 of the bytes the thread loads, hex (undefined if it could not read them or died first). */
  readonly hashed: Promise<string | undefined>;

  constructor(readonly modelPath: string, providers: string[], threads: number, graphOptimizationLevel: GraphOptimization = 'all', hashModel = false, ortCache?: string) {
    quietOnnxruntime();
    const script = fileURLToPath(new URL('./session-worker.cjs', import.meta.url));
    const workerData = { modelPath, providers, threads, graphOptimizationLevel, hashModel, ...(ortCache ? { ortCache } : {}) };
    // `s2v analyze` may have started this very thread before the CLI loaded (bin/early-vad.js).
    const early = takeEarlyWorker(script, workerData);
    this.worker = early?.worker ?? new Worker(script, { workerData });
    let hashed: (h: string | undefined) => void = () => undefined;
    this.hashed = new Promise((resolve) => (hashed = resolve));
    if (!hashModel) hashed(undefined);
    this.ready = new Promise((resolve, reject) => {
      this.readyReject = reject;
      const onMessage = (m: { type: string; inputNames?: string[]; outputNames?: string[]; message?: string; sha256?: string; openedFrom?: string; hashedFrom?: string; cryptoLoaded?: boolean }) => {
        if (m.type === 'hashed') hashed(m.sha256);
        else if (m.type === 'ready') {
          this.worker.off('message', onMessage);
          this.openedFrom = m.openedFrom;
          this.hashedFrom = m.hashedFrom;
          this.cryptoLoaded = m.cryptoLoaded;
          resolve({ inputNames: m.inputNames!, outputNames: m.outputNames! });
        } else if (m.type === 'failed') {
          this.worker.off('message', onMessage);
          const e = new S2VError('E111', `cannot load model (${m.message})`, { where: modelPath, exitCode: 1 });
          // Calls sent before the load finished (a queued session's) fail with the reason, and
          // are not run again on another thread that would fail the same way.
          this.failAll(e);
          void this.worker.terminate();
          reject(e);
        }
      };
      this.worker.on('message', onMessage);
    });
    this.worker.on('message', (m: { type: string; id?: number; out?: Record<string, TensorLike>; message?: string; steps?: number }) => {
      const p = m.id !== undefined ? this.pending.get(m.id) : undefined;
      if (!p) return;
      this.pending.delete(m.id!);
      if (this.pending.size === 0) this.worker.unref();
      if (m.type === 'result') p.resolve(m.out!);
      else if (m.type === 'cancelled') {
        this.stepsBeforeCancel = m.steps;
        p.reject(cancelledError(this.modelPath));
      } else p.reject(new S2VError('E120', `inference failed: ${m.message}`, { where: this.modelPath, exitCode: 1 }));
    });
    const death = (why: string) => () => {
      if (!this.alive) return;
      this.alive = false;
      this.failAll(new WorkerDied('E120', `inference worker ${why}`, { where: modelPath, exitCode: 1 }));
      if (!this.stopping) this.onDied();
    };
    this.worker.on('error', death('crashed'));
    this.worker.on('exit', death('exited'));
    // A worker that dies before it loads (bad native binding, out of memory) must not leave
    // `ready` pending forever; once ready settled, this rejection is a no-op.
    const died = (why: string) => (e?: unknown) =>
      this.readyReject(new S2VError('E111', `cannot load model (${why}${e instanceof Error ? `: ${e.message.split('\n')[0]}` : ''})`, { where: modelPath, exitCode: 1 }));
    this.worker.once('error', died('inference worker crashed'));
    this.worker.once('exit', died('inference worker exited'));
    // Held while it loads (a caller awaiting the load must not see the process end under it),
    // let go once loaded and idle. It used to be let go before the 'message' listeners above,
    // whose first one holds the worker again (Node 20): a worker nobody ever called (its caller
    // had given up before it spawned) kept the process alive for ever.
    this.ready.then(() => {
      if (this.pending.size === 0) this.worker.unref();
    }, () => undefined);
    // Never left pending: a thread that loaded, failed or died without a hash has none.
    void this.ready.finally(() => hashed(undefined)).catch(() => undefined);
    // What an early thread said before it was adopted, heard now, in order.
    for (const [event, args] of early?.said ?? []) this.worker.emit(event, ...args);
  }

  private readyReject: (e: unknown) => void = () => undefined;
  /** Whether the thread opened the model itself or its ORT-format copy ('model' | 'copy'; tests). */
  openedFrom?: string;
  hashedFrom?: string;
  cryptoLoaded?: boolean;

  get busy(): number {
    return this.pending.size;
  }

  private failAll(e: unknown): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  /** Pin ids this worker already holds. */
  private readonly pinned = new Set<number>();

  run(feeds: Record<string, TensorLike>, pins: ReadonlyMap<TensorLike, number>): Promise<Record<string, TensorLike>> {
    if (!this.alive) return Promise.reject(new WorkerDied('E120', 'inference worker is gone', { where: this.modelPath, exitCode: 1 }));
    const id = this.nextId++;
    this.worker.ref();
    const sent: Record<string, TensorLike | { pin: number }> = {};
    for (const [name, t] of Object.entries(feeds)) {
      const pin = pins.get(t);
      if (pin === undefined) {
        sent[name] = t;
        continue;
      }
      // Messages arrive in order, so the worker has the tensor before the run that uses it.
      if (!this.pinned.has(pin)) this.worker.postMessage({ type: 'pin', pin, tensor: t });
      this.pinned.add(pin);
      sent[name] = { pin };
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Inputs are copied (structured clone), never transferred: callers reuse their buffers.
      this.worker.postMessage({ type: 'run', id, feeds: sent });
    });
  }

  /** Steps a cancelled sequence had run when it stopped (tests). */
  stepsBeforeCancel?: number;

  /**
   * A whole recurrent sequence (ModelSession.runSteps) in one message. Aborting `signal` asks the
   * thread to stop it before its next step (it was left to run to its end: up to 168 Silero steps).
   */
  runSteps(req: StepsRequest, signal?: AbortSignal): Promise<Record<string, TensorLike>> {
    if (!this.alive) return Promise.reject(new WorkerDied('E120', 'inference worker is gone', { where: this.modelPath, exitCode: 1 }));
    const id = this.nextId++;
    this.worker.ref();
    const cancel = () => {
      if (this.alive && this.pending.has(id)) this.worker.postMessage({ type: 'cancel', id });
    };
    signal?.addEventListener('abort', cancel, { once: true });
    const done = new Promise<Record<string, TensorLike>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ type: 'steps', id, ...req });
    });
    // Aborted before the listener was added (e.g. while waiting for a worker): cancel now.
    if (signal?.aborted) cancel();
    return done.finally(() => signal?.removeEventListener('abort', cancel));
  }

  unpin(pins: number[]): void {
    const held = pins.filter((p) => this.pinned.delete(p));
    if (held.length && this.alive) this.worker.postMessage({ type: 'unpin', pins: held });
  }

  /**
   * Ask the worker to release its session and end; force it only if it does not. A worker still
   * loading is inside onnxruntime's native code, where terminate() aborts the whole process
   * ("terminate called after throwing an instance of 'Napi::Error'", exit 134): `s2v analyze
   * missing.wav` did, 38 times in 40, six at a time, once the early VAD worker took over 3 s to
   * load. So the grace period starts once it has loaded (or failed), waiting at most `loadMs`.
   */
  async terminate(graceMs = 3000, loadMs = 120_000): Promise<void> {
    this.stopping = true;
    if (!this.alive) return;
    this.worker.ref();
    let loadTimer: NodeJS.Timeout | undefined;
    await Promise.race([this.ready.catch(() => undefined), new Promise<void>((resolve) => (loadTimer = setTimeout(resolve, loadMs)))]);
    clearTimeout(loadTimer);
    if (!this.alive) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    try {
      this.worker.postMessage({ type: 'close' });
    } catch {
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
    const r = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (r === 'timeout') {
      this.forced = true;
      await this.worker.terminate();
    }
  }

  /** Whether terminate() had to force the thread to end (tests). */
  forced = false;

  /**
   * Tests only: make the thread die of an uncaught exception, as a bug in it would. (Not
   * `terminate()`: ending a thread while onnxruntime is inside a run aborts the process.)
   */
  crash(): Promise<void> {
    const gone = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ type: 'crash-for-test' });
    return gone;
  }
}

export class PooledSession implements ModelSession {
  private workers: SessionWorker[] = [];
  private wanted = 1;
  private running = 0;
  private idleTimer?: NodeJS.Timeout;
  private readonly pins = new Map<TensorLike, number>();
  private nextPin = 0;
  inputNames: readonly string[] = [];
  outputNames: readonly string[] = [];

  constructor(
    private readonly modelPath: string,
    private readonly providers: string[],
    private readonly threads: number,
    private readonly idleMs = 30_000,
    /** Graph optimisation of every worker's session. */
    readonly graphOptimization: GraphOptimization = 'all',
    /** The first worker hashes the model bytes it loads (loadedSha256). */
    private readonly hashModel = false,
    /** Where that worker may keep an ORT-format copy of an unoptimised model (see session-worker.cjs). */
    private readonly ortCache?: string,
  ) {}

  /**
   * The sha256 (hex) of the model bytes the pool's first worker loaded, when it was asked to hash
   * them (hashModel) and could; undefined otherwise.
   */
  loadedSha256(): Promise<string | undefined> {
    return this.workers[0]?.hashed ?? Promise.resolve(undefined);
  }

  /** Grow to at least `n` workers; resolves once they have loaded the model. */
  async ensureWorkers(n: number): Promise<void> {
    this.wanted = Math.max(this.wanted, n);
    while (this.workers.length < this.wanted) this.workers.push(this.spawn());
    try {
      const info = await Promise.all(this.workers.map((w) => w.ready));
      this.inputNames = info[0]!.inputNames;
      this.outputNames = info[0]!.outputNames;
    } catch (e) {
      await this.dispose();
      throw e;
    }
  }

  private spawn(): SessionWorker {
    const first = this.workers.length === 0;
    const w = new SessionWorker(this.modelPath, this.providers, this.threads, this.graphOptimization, this.hashModel && first, first ? this.ortCache : undefined);
    // Out of the pool the moment it dies; the next run starts a replacement.
    w.onDied = () => {
      this.workers = this.workers.filter((x) => x !== w);
    };
    return w;
  }

  /** Steps the last cancelled runSteps call had run on its worker when it stopped (tests). */
  get stepsBeforeCancel(): number | undefined {
    return this.workers.find((w) => w.stepsBeforeCancel !== undefined)?.stepsBeforeCancel;
  }

  /** Workers dispose() had to force to end, over this pool's life (tests). */
  forcedStops = 0;

  /** What the first worker opened: 'model', or 'copy' for the ORT-format copy (tests). */
  get openedFrom(): string | undefined {
    return this.workers[0]?.openedFrom;
  }

  /** Where the first worker's model hash came from: 'bytes' (read and hashed) or 'memo' (tests). */
  get hashedFrom(): string | undefined {
    return this.workers[0]?.hashedFrom;
  }

  /** Whether the first worker loaded node:crypto before it was ready (tests). */
  get cryptoLoaded(): boolean | undefined {
    return this.workers[0]?.cryptoLoaded;
  }

  /** Live workers (tests watch this to see a dead one replaced). */
  get workerCount(): number {
    return this.workers.filter((w) => w.alive).length;
  }

  /** Tests only: crash one worker thread and wait until it is gone. */
  async crashWorkerForTest(index = 0): Promise<void> {
    await this.workers[index]?.crash();
  }

  run(feeds: Record<string, TensorLike>, signal?: AbortSignal): Promise<Record<string, TensorLike>> {
    return this.dispatch((w) => w.run(feeds, this.pins), signal);
  }

  async runSteps(req: StepsRequest, signal?: AbortSignal): Promise<Float32Array> {
    const out = await this.dispatch((w) => w.runSteps(req, signal), signal);
    return out[req.collect]!.data as Float32Array;
  }

  /** One call on the least busy live worker, again on another if its worker dies under it. */
  private async dispatch(call: (w: SessionWorker) => Promise<Record<string, TensorLike>>, signal?: AbortSignal): Promise<Record<string, TensorLike>> {
    if (signal?.aborted) throw cancelledError();
    clearTimeout(this.idleTimer);
    this.running++;
    try {
      for (let deaths = 0; ; ) {
        if (this.workers.length < this.wanted) await this.ensureWorkers(this.wanted);
        const w = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
        try {
          const out = await call(w);
          if (signal?.aborted) throw cancelledError();
          return out;
        } catch (e) {
          if (!(e instanceof WorkerDied) || signal?.aborted) throw signal?.aborted ? cancelledError() : e;
          if (++deaths >= MAX_WORKER_DEATHS_PER_CALL) {
            throw new S2VError('E120', `inference worker died ${deaths} times running this model`, { where: this.modelPath, exitCode: 1 });
          }
        }
      }
    } finally {
      if (--this.running === 0) {
        this.idleTimer = setTimeout(() => void this.dispose(), this.idleMs);
        this.idleTimer.unref();
      }
    }
  }

  pin(feeds: Record<string, TensorLike>): Record<string, TensorLike> {
    for (const t of Object.values(feeds)) if (!this.pins.has(t)) this.pins.set(t, this.nextPin++);
    return feeds;
  }

  unpin(feeds: Record<string, TensorLike>): void {
    const ids = Object.values(feeds).flatMap((t) => {
      const id = this.pins.get(t);
      this.pins.delete(t);
      return id === undefined ? [] : [id];
    });
    for (const w of this.workers) w.unpin(ids);
  }

  async release(): Promise<void> {
    if (this.running === 0) await this.dispose();
  }

  /** Tensors pinned now (tests check a render leaves none behind). */
  get pinnedCount(): number {
    return this.pins.size;
  }

  /** Stop every worker; `graceMs`: how long each may take to close once loaded before it is forced. */
  async dispose(graceMs?: number): Promise<void> {
    clearTimeout(this.idleTimer);
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.terminate(graceMs)));
    this.forcedStops += ws.filter((w) => w.forced).length;
  }
}
