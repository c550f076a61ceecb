/** The engine's public surface: graph format, node SDK, catalog, evaluator, cache. */
export * from './types.js';
export * from './errors.js';
export * from './graph.js';
export * from './node.js';
export * from './catalog.js';
export * from './validate.js';
export * from './evaluator.js';
export * from './cache/key.js';
export * from './cache/store.js';
export * from './cache/disk.js';
export type * from './services/index.js';
export type * from './services/media.js';
export type * from './services/audio.js';
export type * from './services/inference.js';
export type * from './services/video-backend.js';
export * from './files.js';
export * from './file-source.js';
export type * from './studio-api.js';
