// PLACEHOLDER until the media layer lands.
import type { MediaService } from '../engine/index.js';
export function createMediaService(): MediaService {
  return new Proxy({} as MediaService, { get: (_t, p) => () => { throw new Error(`media.${String(p)} not implemented yet`); } });
}
