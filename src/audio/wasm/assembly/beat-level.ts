// AssemblyScript, not TypeScript: compiled by `npm run build:wasm` (see ../build.ts).
// The beat-level choice's kernels in one module (one compile per process): the beat tracker
// (beats.ts), the accent envelopes (beat-accent.ts) and the learned beat cue (beat-activation.ts).
export * from './beats';
export * from './beat-accent';
export * from './beat-activation';
