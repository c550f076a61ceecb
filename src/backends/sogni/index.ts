/**
 * Sogni Supernet backend (official SDK @sogni-ai/sogni-client). The runtime creates it with
 * settings from SOGNI_API_KEY or SOGNI_USERNAME + SOGNI_PASSWORD (or the user config file);
 * nodes reach it only through ctx.services.backends.
 */
import { createSogniBackendImpl, type SogniBackend, type SogniSettings } from './backend.js';

export type { SogniBackend, SogniSettings, SogniLimits } from './backend.js';
export { DEFAULT_LIMITS } from './backend.js';
export { checkCost, formatCost, sumEstimates } from './cost.js';
export { buildVideoRequest, checkJob, familyOf, onGrid } from './request.js';
export { makeRedactor } from './errors.js';

/**
 * A VideoBackend for the Sogni Supernet. Credentials stay inside the returned object: they are
 * never logged (every log line goes through a redactor) and never put into errors. Call
 * `close()` at shutdown to end the SDK's socket and timers.
 */
export function createSogniBackend(settings: SogniSettings): SogniBackend {
  return createSogniBackendImpl(settings);
}
