/**
 * The inference service: model registry (models/<id>/manifest.json, sha256-verified),
 * a worker-thread session pool on onnxruntime-node, execution-provider choice
 * (CoreML on macOS, CUDA when present, else CPU; `provider` / S2V_PROVIDER override,
 * CPU fallback with a warning) and face detection for lip-sync.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import type { InferenceService, ModelManifest, ModelSession, RgbImage } from '../engine/index.js';
import { ModelRegistry } from './registry.js';
import { PooledSession, type GraphOptimization } from './pool.js';
import { acceleratorPossible, chooseProvider, detectAvailability, executionProviders, type Provider } from './provider.js';
import { findFaces } from './face/find.js';
import { FACE_MODEL } from './face/cnn.js';

export { chooseProvider, type Provider } from './provider.js';

export interface InferenceOptions {
  /** 'cpu' | 'cuda' | 'coreml' | 'auto' (default: S2V_PROVIDER, else auto). */
  provider?: string;
  /** Folder holding models/<id>/manifest.json (default: the repo's models/). */
  modelsDir?: string;
  /** Intra-op threads per session (default: S2V_THREADS, else 1). */
  threads?: number;
  /** Where provider warnings go (default: stderr, once). */
  onWarning?: (message: string) => void;
}

export const DEFAULT_MODELS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../models');
/** Where an early VAD thread keeps its ORT-format copy of the model (session-worker.cjs), beside the CLI's bundle cache. */
export const MODEL_COPIES_DIR = path.resolve(DEFAULT_MODELS_DIR, '../node_modules/.cache/s2v/models');

/**
 * onnxruntime's graph optimisation for a model of this kind. The VAD (Silero, a small recurrent
 * graph a fresh `s2v analyze` opens once) gives bit-identical outputs at every level, and opening
 * it optimised cost more than the optimisation saves on a song: without it, `s2v analyze` of a
 * 30 s clip took 95 ms less CPU (median of 12 interleaved runs, load ≈ 6; the session opens
 * ≈ 40–80 ms sooner, each step runs ≈ 12 % slower: +6–9 ms over the clip's 72 steps of 16 rows).
 * Every other model (the video models, run per frame) is optimised fully.
 */
export function graphOptimizationFor(kind: ModelManifest['kind']): GraphOptimization {
  return kind === 'vad' ? 'disabled' : 'all';
}

const threadsFrom = (requested?: number) => Math.max(1, Math.floor(requested ?? (Number(process.env.S2V_THREADS) || 1)));
/** Pools started before any inference service existed (preloadEarly), by model file, provider request and threads. */
const earlyPools = new Map<string, PooledSession>();
const earlyKey = (file: string, provider: string | undefined, threads: number, level: GraphOptimization) => `${file}\n${provider ?? ''}\n${threads}\n${level}`;

/**
 * The thread preloadEarly would start for `modelId` in this environment (bin/early-vad.js starts
 * the same one before the bundle loads; a test pins the two together), or undefined where it starts
 * none: another models folder is not known yet, and an accelerator is not asked about so early.
 */
export function earlyPlan(modelId: string): { file: string; level: GraphOptimization; providers: string[]; threads: number; ortCache: string } | undefined {
  const request = process.env.S2V_PROVIDER?.trim().toLowerCase() || 'auto';
  if (request !== 'cpu' && (request !== 'auto' || acceleratorPossible())) return undefined;
  const found = new ModelRegistry(DEFAULT_MODELS_DIR).unverifiedPath(modelId);
  if (!found) return undefined;
  return { file: found.file, level: graphOptimizationFor(found.kind), providers: executionProviders('cpu'), threads: threadsFrom(), ortCache: MODEL_COPIES_DIR };
}

/**
 * Start a model's worker now, before the inference service that will use it exists (the CLI's
 * `analyze` does, while the rest of the CLI loads: the thread boots and onnxruntime loads on the
 * second core, which is otherwise idle then). The first service with the same provider request
 * and threads whose session(modelId) verifies to that same file adopts it; nothing else uses it.
 * Only with the default models folder, and where the provider is CPU without loading
 * onnxruntime to find out (no accelerator files on this machine, or S2V_PROVIDER=cpu).
 */
export function preloadEarly(modelId: string): ModelSession | undefined {
  const provider = process.env.S2V_PROVIDER;
  const plan = earlyPlan(modelId);
  if (!plan) return undefined;
  const { file, level } = plan;
  // Its thread hashes the bytes it loads: the service's check of the file then need not read and
  // hash it on the main thread (2.3 MB for Silero: 12–15 ms there, while the analysis waits).
  const pool = new PooledSession(file, plan.providers, plan.threads, undefined, level, true, plan.ortCache);
  // A model that cannot load is reported by the session call that adopts it.
  pool.ensureWorkers(1).catch(() => undefined);
  earlyPools.set(earlyKey(file, provider, threadsFrom(), pool.graphOptimization), pool);
  return pool;
}

/** The inference service plus `dispose()` to stop worker threads (tests, server shutdown). */
export interface InferenceRuntime extends InferenceService {
  dispose(): Promise<void>;
  registry: ModelRegistry;
}

export function createInferenceService(opts: InferenceOptions = {}): InferenceRuntime {
  const registry = new ModelRegistry(opts.modelsDir ?? DEFAULT_MODELS_DIR);
  const threads = threadsFrom(opts.threads);
  const warn = opts.onWarning ?? ((m: string) => process.stderr.write(`s2v: warning: ${m}\n`));
  // Chosen on first use: asking onnxruntime which providers it has loads its native binding,
  // which a cached re-run or a command that runs no model should not pay for at start-up.
  let chosen: Provider | undefined;
  const providerNow = (): Provider => {
    if (chosen) return chosen;
    const choice = chooseProvider({ platform: process.platform, requested: opts.provider ?? process.env.S2V_PROVIDER, available: detectAvailability() });
    if (choice.warning) warn(choice.warning);
    return (chosen = choice.provider);
  };
  /** Sessions by model file: opening (resolves once loaded), and the pool itself when its threads were spawned early. */
  const sessions = new Map<string, { opening: Promise<PooledSession>; spawned?: PooledSession }>();
  const maxWorkers = Math.max(1, availableParallelism());

  async function open(file: string, workers: number, level: GraphOptimization): Promise<PooledSession> {
    const provider = providerNow();
    const s = new PooledSession(file, executionProviders(provider), threads, undefined, level);
    try {
      await s.ensureWorkers(workers);
      return s;
    } catch (e) {
      if (provider === 'cpu') throw e;
      warn(`execution provider "${provider}" failed to load ${path.basename(file)}; using cpu`);
      chosen = 'cpu';
      const cpu = new PooledSession(file, executionProviders('cpu'), threads, undefined, level);
      await cpu.ensureWorkers(workers);
      return cpu;
    }
  }

  /** The pool of a model file, its workers already spawned (wrapped: an async function would wait for the load). */
  async function start(modelId: string, file: string | undefined, workers: number): Promise<{ opening: Promise<PooledSession>; spawned?: PooledSession }> {
    const level = graphOptimizationFor((await registry.get(modelId)).kind);
    const keyOf = (f: string) => earlyKey(f, opts.provider ?? process.env.S2V_PROVIDER, threads, level);
    // An early pool's thread hashed the file as it read it (preloadEarly).
    const modelPath = await registry.verifiedPath(modelId, file, (f) => earlyPools.get(keyOf(f))?.loadedSha256());
    let p = sessions.get(modelPath);
    if (!p) {
      const key = keyOf(modelPath);
      const early = earlyPools.get(key);
      earlyPools.delete(key);
      // An early pool's threads are spawned already: only their load may still be under way.
      const opening = early ? early.ensureWorkers(workers).then(() => early) : open(modelPath, workers, level);
      const entry = { opening, spawned: early };
      sessions.set(modelPath, entry);
      opening.catch(() => {
        if (sessions.get(modelPath) === entry) sessions.delete(modelPath);
      });
      p = entry;
    }
    return p;
  }

  const svc: InferenceRuntime = {
    registry,
    listModels: () => registry.list(),
    getModel: (id) => registry.get(id),
    modelHash: (id) => registry.modelHash(id),
    async session(modelId, file, sOpts): Promise<ModelSession> {
      const workers = Math.min(maxWorkers, Math.max(1, sOpts?.workers ?? 1));
      const { opening, spawned } = await start(modelId, file, workers);
      if (sOpts?.queue && spawned && workers <= 1) return spawned;
      const s = await opening;
      await s.ensureWorkers(workers);
      return s;
    },
    async preload(modelId, file) {
      (await start(modelId, file, 1)).opening.catch(() => undefined);
    },
    executionProvider: providerNow,
    // CNN first (face-api's nets in onnxruntime), Haar cascades as the fallback; see face/find.ts.
    detectFaces(img: RgbImage) {
      return findFaces(img, (file) => svc.session(FACE_MODEL, file), warn);
    },
    async detectFace(img: RgbImage) {
      return (await svc.detectFaces!(img))[0];
    },
    async dispose() {
      // An early pool nobody adopted (the analysis failed before it asked: a bad flag, a missing
      // file) is stopped too, instead of the process waiting for onnxruntime to finish loading it.
      const early = [...earlyPools.values()];
      earlyPools.clear();
      const all = [...[...sessions.values()].map((s) => s.opening), ...early.map((p) => Promise.resolve(p))];
      sessions.clear();
      await Promise.all(all.map(async (p) => (await p.catch(() => undefined))?.dispose()));
    },
  };
  return svc;
}
