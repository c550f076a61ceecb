// `s2v analyze <file>`: the VAD's worker thread (Silero in onnxruntime, src/inference/
// session-worker.cjs) starts here, before the CLI's bundle loads. Booting the thread, loading
// onnxruntime and opening the model take ≈ 0.3 s, and the VAD's last rows wait for them; started
// from the bundle (src/cli/analyze-early.ts) the thread began ≈ 0.1 s later, after the bundle had
// been compiled and run. The bundle adopts the thread (src/inference/early-worker.ts) when it would
// start exactly this one: the same worker script and the same workerData (model file, providers,
// threads, graph optimisation), as preloadEarly in src/inference/index.ts computes them; a test
// pins the two together. Anything else (another provider, another models folder, S2V_NO_EARLY=1,
// a decode that did not start early) leaves this undone and the bundle starts its own thread.
// What the thread says before it is adopted is kept and replayed to its adopter. Not adopted (the
// analysis failed first), it is let go once it has loaded: the process then exits past it (a
// thread ended while onnxruntime is still loading can abort the process, so not before).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { acceleratorPossible } from '../src/inference/accelerator.mjs';

/** Where the bundle finds the early thread (src/inference/early-worker.ts). */
export const EARLY_WORKER = Symbol.for('s2v.earlyWorker');
export const VAD_MODEL = 'silero-vad';
export const MODELS_DIR = fileURLToPath(new URL('../models', import.meta.url));
/** MODEL_COPIES_DIR of src/inference/index.ts. */
export const MODEL_COPIES_DIR = fileURLToPath(new URL('../node_modules/.cache/s2v/models', import.meta.url));
export const SESSION_WORKER = fileURLToPath(new URL('../src/inference/session-worker.cjs', import.meta.url));

/** The model file of `id` as ModelRegistry.unverifiedPath finds it (first file; in its npm package if it names one). */
function modelFile(id, modelsDir = MODELS_DIR) {
  try {
    const manifestPath = path.join(modelsDir, id, 'manifest.json');
    const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
    const entry = m?.files?.[0];
    if (m?.id !== id || m.kind !== 'vad' || typeof entry?.name !== 'string') return undefined;
    if (!entry.package) return path.join(modelsDir, id, entry.name);
    const dirs = createRequire(manifestPath).resolve.paths(entry.package) ?? [];
    return dirs.map((d) => path.join(d, entry.package, entry.name)).find((f) => existsSync(f));
  } catch {
    return undefined;
  }
}

/**
 * The workerData preloadEarly(VAD_MODEL) gives its thread in this environment, or undefined where
 * it would start none (an accelerator may be there, or a provider other than the CPU is asked for).
 */
export function earlyVadWorkerData(env = process.env) {
  const request = env.S2V_PROVIDER?.trim().toLowerCase() || 'auto';
  if (request !== 'cpu' && (request !== 'auto' || acceleratorPossible())) return undefined;
  const modelPath = modelFile(VAD_MODEL);
  if (!modelPath) return undefined;
  const threads = Math.max(1, Math.floor(Number(env.S2V_THREADS) || 1));
  return { modelPath, providers: ['cpu'], threads, graphOptimizationLevel: 'disabled', hashModel: true, ortCache: MODEL_COPIES_DIR };
}

/** Starts the VAD's thread for `s2v analyze`; records it under EARLY_WORKER. Returns the record (tests), or undefined. */
export function startEarlyVad(env = process.env) {
  if (env.S2V_NO_EARLY === '1') return undefined;
  const workerData = earlyVadWorkerData(env);
  if (!workerData) return undefined;
  // quietOnnxruntime() of src/inference/pool.ts: set before onnxruntime loads, as there.
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  let worker;
  try {
    worker = new Worker(SESSION_WORKER, { workerData });
  } catch {
    return undefined;
  }
  const said = [];
  const keep = (event) => (...args) => said.push([event, args]);
  const listeners = ['message', 'error', 'exit'].map((event) => [event, keep(event)]);
  for (const [event, f] of listeners) worker.on(event, f);
  // Let go once loaded (or failed, or gone) unless adopted by then: see the header.
  const settle = (m) => {
    if (m?.type === 'ready' || m?.type === 'failed') worker.unref();
  };
  worker.on('message', settle);
  const record = {
    file: SESSION_WORKER,
    workerData,
    /** Hands the thread over: stops keeping what it says, and returns what it said so far, in order. */
    adopt() {
      for (const [event, f] of listeners) worker.off(event, f);
      worker.off('message', settle);
      return { worker, said: said.splice(0) };
    },
  };
  globalThis[EARLY_WORKER] = record;
  return record;
}
