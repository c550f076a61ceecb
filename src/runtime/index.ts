/**
 * Wires the real services into one runtime that the CLI, the server and the desktop
 * shell share: catalog, media (ffmpeg), audio analysis, inference, speech, the LLM client and the cache.
 */
import { DiskCache, LayeredCache, ScratchCache, createFileService, type CacheStore, type FileHashStore, type Services } from '../engine/index.js';
import { createAnalysisServices } from './analysis.js';
import { createBackendService, defaultConfigFile, loadSettingsSync, type BackendRuntime, type BackendSettings } from '../backends/index.js';
import { createLlmService } from '../backends/llm/openai-chat.js';
import { createSpeechService } from '../speech/index.js';
import type { VideoBackend } from '../engine/index.js';
import { catalog } from '../../nodes/index.js';

export interface RuntimeOptions {
  cacheDir?: string;
  noCache?: boolean;
  /** Execution provider override: 'cpu' | 'cuda' | 'coreml'. */
  provider?: string;
  /** Front-door hooks for remote models: show the plan, confirm a cost (CLI prompt / --yes). */
  confirmCost?: BackendRuntime['confirmCost'];
  showPlan?: BackendRuntime['showPlan'];
  /** Whether a client shows WebM previews and live frames (the studio: yes; `s2v run`: only with --preview). */
  previews?: boolean;
  /** Where input files' hashes are kept between runs (createRuntime: in the disk cache). */
  fileHashes?: FileHashStore;
}

/** The Sogni SDK takes most of a second to load: only commands that use Sogni pay for it. */
function lazySogni(settings: BackendSettings['sogni']): VideoBackend & { close(): void } {
  let made: Promise<VideoBackend & { close(): void }> | undefined;
  const real = () => (made ??= import('../backends/sogni/index.js').then((m) => m.createSogniBackend(settings)));
  return {
    id: 'sogni',
    status: async (signal) => (await real()).status(signal),
    preflight: async (model, signal) => (await real()).preflight(model, signal),
    estimate: async (job, signal) => (await real()).estimate?.(job, signal),
    generate: async (job) => (await real()).generate(job),
    close: () => void made?.then((b) => b.close(), () => undefined),
  };
}

/**
 * Remote backends from the environment and the user config file. A bad setting does not stop
 * local work: it is reported when a remote model is used (and by `s2v backends`).
 */
export function createBackends(opts: Pick<RuntimeOptions, 'confirmCost' | 'showPlan'> = {}, env: NodeJS.ProcessEnv = process.env): BackendRuntime {
  let settings: BackendSettings;
  let problem: unknown;
  try {
    settings = loadSettingsSync(env);
  } catch (e) {
    problem = e;
    settings = { comfyui: { urls: [] }, sogni: {}, configFile: defaultConfigFile(env) };
  }
  const service = createBackendService({ settings, createSogni: lazySogni, confirmCost: opts.confirmCost });
  if (opts.showPlan) service.showPlan = opts.showPlan;
  // Nobody to ask: spend only under a node's maxCost.
  service.requireMaxCost = !opts.confirmCost;
  if (problem) {
    service.get = () => {
      throw problem;
    };
  }
  return service;
}

export interface Runtime {
  catalog: typeof catalog;
  services: Services;
  cache: CacheStore;
  dispose(): Promise<void>;
}

export function createServices(opts: RuntimeOptions = {}): Services {
  const { media, inference, audio } = createAnalysisServices(opts);
  return { files: createFileService({ remembered: opts.fileHashes }), media, audio, inference, backends: createBackends(opts), speech: createSpeechService({ media }), llm: createLlmService() };
}

export function createRuntime(opts: RuntimeOptions = {}): Runtime {
  const scratch = opts.noCache ? new ScratchCache() : undefined;
  const disk = scratch ? undefined : new DiskCache(opts.cacheDir);
  // With --no-cache nothing is kept, input hashes included.
  const services = createServices({ fileHashes: disk?.fileHashes, ...opts });
  const cache: CacheStore = scratch ?? new LayeredCache(disk!);
  return {
    catalog,
    services,
    cache,
    async dispose() {
      // Stop inference worker threads gracefully before the process ends (see pool.ts).
      await (services.inference as { dispose?: () => Promise<void> }).dispose?.();
      (services.backends as { close?: () => void } | undefined)?.close?.();
      await scratch?.dispose();
    },
  };
}
