/**
 * Execution-provider choice. Pure logic with injected platform/availability so it is
 * unit-tested everywhere; `detectAvailability` asks the installed onnxruntime-node.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

export type Provider = 'cpu' | 'cuda' | 'coreml';
export const PROVIDERS: readonly Provider[] = ['cpu', 'cuda', 'coreml'];

export interface ProviderChoice {
  provider: Provider;
  /** Set when a requested or preferred provider could not be used. */
  warning?: string;
}

/**
 * Pick the provider: an explicit request wins when available; otherwise CoreML on macOS,
 * CUDA when present, else CPU. Anything unavailable or unknown falls back to CPU with a warning.
 */
export function chooseProvider(opts: { platform: string; requested?: string; available: (p: Provider) => boolean }): ProviderChoice {
  const req = opts.requested?.trim().toLowerCase();
  if (req && req !== 'auto') {
    if (!(PROVIDERS as readonly string[]).includes(req)) {
      return { provider: 'cpu', warning: `unknown execution provider "${opts.requested}" (use cpu, cuda or coreml); using cpu` };
    }
    const p = req as Provider;
    if (p === 'cpu' || opts.available(p)) return { provider: p };
    return { provider: 'cpu', warning: `execution provider "${p}" is not available on this machine; using cpu` };
  }
  if (opts.platform === 'darwin' && opts.available('coreml')) return { provider: 'coreml' };
  if (opts.available('cuda')) return { provider: 'cuda' };
  return { provider: 'cpu' };
}

/** Session options for a provider: accelerators always keep CPU as the fallback for unsupported ops. */
export function executionProviders(p: Provider): string[] {
  return p === 'cpu' ? ['cpu'] : [p, 'cpu'];
}

export { acceleratorPossible } from './accelerator.mjs';

/**
 * What this onnxruntime-node build can use. CUDA ships as a separate shared library, so
 * "listed" is not enough: the provider library must be next to the binding. The native
 * binding is loaded only when the answer needs it (an accelerator whose files are there):
 * on a CPU-only machine the main thread never loads onnxruntime, which then starts only in
 * the inference worker threads, beside the work that needs them.
 */
export function detectAvailability(): (p: Provider) => boolean {
  const require = createRequire(import.meta.url);
  let bindingDir: string;
  try {
    const pkgDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
    bindingDir = path.join(pkgDir, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return (p) => p === 'cpu';
  }
  let backends: string[] | undefined;
  const listed = (): string[] => {
    if (backends) return backends;
    try {
      const ort = require('onnxruntime-node') as { listSupportedBackends?: () => Array<{ name: string }> };
      backends = (ort.listSupportedBackends?.() ?? []).map((b) => b.name);
    } catch {
      backends = [];
    }
    return backends;
  };
  return (p) => {
    if (p === 'cpu') return true;
    if (p === 'cuda' && !existsSync(path.join(bindingDir, 'libonnxruntime_providers_cuda.so'))) return false;
    return listed().includes(p);
  };
}
