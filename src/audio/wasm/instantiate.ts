/**
 * A kernel's WebAssembly module is compiled once per process, on first use, from the bytes its
 * generated module holds (synchronously: a few kB, compiled by V8's baseline compiler in about a
 * millisecond); each call gives a new instance with its own memory, so instances share no state.
 */
const compiled = new Map<string, WebAssembly.Module>();

export function instantiate(base64: string): WebAssembly.Exports {
  let module = compiled.get(base64);
  if (!module) {
    module = new WebAssembly.Module(Buffer.from(base64, 'base64'));
    compiled.set(base64, module);
  }
  return new WebAssembly.Instance(module, {}).exports;
}

/** A spare instance per module, for calls that leave nothing in it for later. */
const spares = new Map<string, WebAssembly.Exports>();
/** Memory a spare may keep (bytes): the envelopes of a clip of a few minutes, not an hour's. */
const SPARE_MEMORY = 8 << 20;

/**
 * An instance for one call that lays out its memory afresh and leaves nothing in it for later: the
 * module's spare if it has one (a kernel called a dozen times per analysis then creates and grows
 * one memory, not a dozen), else a new one. `giveBack` makes it the spare again.
 */
export function borrow(base64: string): WebAssembly.Exports {
  const spare = spares.get(base64);
  if (!spare) return instantiate(base64);
  spares.delete(base64);
  return spare;
}

/** Keeps `exports` (from `borrow`) as the module's spare, unless its memory grew past SPARE_MEMORY. */
export function giveBack(base64: string, exports: WebAssembly.Exports): void {
  if ((exports.memory as WebAssembly.Memory).buffer.byteLength <= SPARE_MEMORY) spares.set(base64, exports);
}
