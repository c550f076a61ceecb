/** Types of viseme-classifier.mjs (plain JavaScript so that a worker thread can run it). */
export declare const VISEMES: readonly ['sil', 'PP', 'FF', 'TH', 'DD', 'kk', 'CH', 'SS', 'nn', 'RR', 'aa', 'E', 'I', 'O', 'U'];
/** Raw per-frame viseme weights [frames × 15] from headaudio's classifier (rows sum to 1; frames it never scored are sil). */
export declare function classifyVisemes(pcm16k: Float32Array, fps: number, frames: number): Float32Array;
