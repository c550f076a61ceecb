/**
 * Retry with exponential backoff for the calls we own (estimates, balance, downloads). The
 * SDK reconnects its socket by itself; this covers the REST side, where one failed request
 * would otherwise fail a job that costs money.
 */
import { cancelledError } from '../../engine/errors.js';

export interface RetryOptions {
  attempts: number;
  baseMs: number;
  maxMs?: number;
  signal?: AbortSignal;
  isRetryable(e: unknown): boolean;
  onRetry?(attempt: number, delayMs: number, e: unknown): void;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (opts.signal?.aborted) throw cancelledError('sogni');
    try {
      return await fn(attempt);
    } catch (e) {
      if (attempt >= opts.attempts || !opts.isRetryable(e) || opts.signal?.aborted) throw e;
      const delay = Math.min(opts.maxMs ?? 30_000, opts.baseMs * 2 ** (attempt - 1));
      opts.onRetry?.(attempt, delay, e);
      await sleep(delay, opts.signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError('sogni'));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(cancelledError('sogni'));
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
