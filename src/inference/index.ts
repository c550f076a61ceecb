// PLACEHOLDER until the inference layer lands.
import type { InferenceService } from '../engine/index.js';
export function createInferenceService(_opts: { provider?: string; modelsDir?: string } = {}): InferenceService {
  return new Proxy({} as InferenceService, { get: (_t, p) => () => { throw new Error(`inference.${String(p)} not implemented yet`); } });
}
