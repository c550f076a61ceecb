/**
 * Wires the real services into one runtime that the CLI, the server and the desktop
 * shell share: catalog, media (ffmpeg), audio analysis, inference and the cache.
 */
import { DiskCache, LayeredCache, ScratchCache, createFileService, type CacheStore, type Services } from '../engine/index.js';
import { createMediaService } from '../media/index.js';
import { createAudioService } from '../audio/index.js';
import { createInferenceService } from '../inference/index.js';
import { catalog } from '../../nodes/index.js';

export interface RuntimeOptions {
  cacheDir?: string;
  noCache?: boolean;
  /** Execution provider override: 'cpu' | 'cuda' | 'coreml'. */
  provider?: string;
}

export interface Runtime {
  catalog: typeof catalog;
  services: Services;
  cache: CacheStore;
  dispose(): Promise<void>;
}

export function createServices(opts: RuntimeOptions = {}): Services {
  const media = createMediaService();
  const inference = createInferenceService({ provider: opts.provider ?? process.env.S2V_PROVIDER });
  const audio = createAudioService({ media, inference });
  return { files: createFileService(), media, audio, inference };
}

export function createRuntime(opts: RuntimeOptions = {}): Runtime {
  const services = createServices(opts);
  const scratch = opts.noCache ? new ScratchCache() : undefined;
  const cache: CacheStore = scratch ?? new LayeredCache(new DiskCache(opts.cacheDir));
  return {
    catalog,
    services,
    cache,
    async dispose() {
      // Stop inference worker threads gracefully before the process ends (see pool.ts).
      await (services.inference as { dispose?: () => Promise<void> }).dispose?.();
      await scratch?.dispose();
    },
  };
}
