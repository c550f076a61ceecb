/**
 * The SDK starts promises nobody awaits (a preview URL fetched inside an event handler, a
 * reconnect kicked off with `void`). On Node an unhandled rejection ends the process, which
 * would take a whole studio session down because a preview thumbnail failed. Once a Sogni
 * client has been created we catch those — only those — and log them; anything else keeps
 * Node's default behaviour (crash) unless someone else listens. The listener stays for the
 * rest of the process: a disposed client can still reject late (its `account.me()` after a
 * 401 lands after our error has been thrown).
 */
import type { LogSink } from './log.js';

const SDK_PATH = /[\\/]@sogni-ai[\\/]sogni-client[\\/]/;

/** True for a rejection that comes from the SDK (its error classes, its files, its ErrorData). */
export function isSdkRejection(reason: unknown): boolean {
  if (reason instanceof Error) {
    if (SDK_PATH.test(reason.stack ?? '')) return true;
    return reason.name === 'ApiError' || reason.constructor?.name === 'ApiError' || reason.name === 'MessageDeliveryUncertainError';
  }
  // Projects reject with plain `ErrorData` objects: { code: number, message: string }.
  return typeof reason === 'object' && reason !== null && typeof (reason as { code?: unknown }).code === 'number' && typeof (reason as { message?: unknown }).message === 'string';
}

let installed = false;
let sinks: LogSink[] = [];
let swallowed = 0;

function onUnhandled(reason: unknown): void {
  if (isSdkRejection(reason)) {
    swallowed++;
    const text = reason instanceof Error ? `${reason.name}: ${reason.message}` : JSON.stringify(reason);
    for (const sink of sinks) sink('warn', `sogni-sdk: ignored an unhandled rejection inside the SDK (${text.split('\n')[0]})`);
    return;
  }
  // Not ours. With no other listener Node would have crashed: keep that behaviour.
  if (process.listenerCount('unhandledRejection') === 1) {
    process.nextTick(() => {
      throw reason;
    });
  }
}

/** Install the guard (once per process) and log to `sink` until the returned function is called. */
export function guardSdkRejections(sink: LogSink): () => void {
  if (!installed) {
    installed = true;
    process.on('unhandledRejection', onUnhandled);
  }
  sinks.push(sink);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // Late rejections of this client still get logged for a moment after it closed.
    setTimeout(() => {
      sinks = sinks.filter((s) => s !== sink);
    }, 2_000).unref();
  };
}

/** How many SDK rejections were swallowed in this process (for tests and diagnostics). */
export function swallowedSdkRejections(): number {
  return swallowed;
}
