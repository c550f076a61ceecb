import { describe, expect, it } from 'vitest';
import { BEAT_LEVEL_WASM } from './beat-level-wasm.js';
import { borrow, giveBack, instantiate } from './instantiate.js';

describe('kernel instances', () => {
  it('gives each instantiate() its own memory', () => {
    expect(instantiate(BEAT_LEVEL_WASM).memory).not.toBe(instantiate(BEAT_LEVEL_WASM).memory);
  });

  it('lends the spare instance once at a time, and keeps none whose memory grew large', () => {
    const a = borrow(BEAT_LEVEL_WASM);
    const b = borrow(BEAT_LEVEL_WASM);
    expect(b).not.toBe(a);
    giveBack(BEAT_LEVEL_WASM, a);
    expect(borrow(BEAT_LEVEL_WASM)).toBe(a);
    (b.memory as WebAssembly.Memory).grow(160); // 10 MB more
    giveBack(BEAT_LEVEL_WASM, b);
    expect(borrow(BEAT_LEVEL_WASM)).not.toBe(b);
  });
});
