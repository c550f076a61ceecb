// Whether onnxruntime might find an accelerator here, answered without loading it. Plain JavaScript:
// bin/early-vad.js asks before any TypeScript runs (src/inference/provider.ts re-exports it).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Whether this machine might have an accelerator for onnxruntime (macOS: CoreML; elsewhere: the
 * CUDA provider library next to the binding), found without loading onnxruntime: when not, `auto`
 * is CPU.
 */
export function acceleratorPossible(platform = process.platform) {
  if (platform === 'darwin') return true;
  try {
    const pkgDir = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
    return existsSync(path.join(pkgDir, 'bin', 'napi-v6', platform, process.arch, 'libonnxruntime_providers_cuda.so'));
  } catch {
    return false;
  }
}
