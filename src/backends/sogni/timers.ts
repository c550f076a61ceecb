/**
 * The SDK arms timers while it handles socket frames — the biggest is a 30 s timer after every
 * finished project that only tidies its own list — and never unrefs them, so a CLI run would
 * sit idle for 30 s after the video is done. While the SDK dispatches a socket frame, timers it
 * creates are unref'd: they still fire as long as anything else keeps the process alive (the
 * socket itself during a job, our own watchdogs), but they no longer hold it open at the end.
 */
type Emitter = { emit?: (event: string, data: unknown) => void };

export function unrefTimersDuringDispatch(socket: object): void {
  const target = socket as Emitter;
  const original = target.emit;
  if (typeof original !== 'function') return; // SDK internals changed: keep its behaviour
  target.emit = function (this: unknown, event: string, data: unknown) {
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
      const t = realSetTimeout(fn, ms, ...rest);
      t.unref?.();
      return t;
    }) as typeof setTimeout;
    try {
      return original.call(this, event, data);
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  };
}
