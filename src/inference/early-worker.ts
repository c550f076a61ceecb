/**
 * The VAD thread bin/early-vad.js starts for `s2v analyze <file>` before the CLI's bundle loads
 * (see there), handed to the first session worker that would start exactly it: the same script
 * and the same workerData. Anything else starts its own thread, as before.
 */
import type { Worker } from 'node:worker_threads';

/** What the early thread said before it was adopted: events in order, to be replayed. */
export type EarlySaid = Array<[event: string, args: unknown[]]>;

/** The record bin/early-vad.js leaves on globalThis. */
interface EarlyWorker {
  file: string;
  workerData: Record<string, unknown>;
  adopt(): { worker: Worker; said: EarlySaid };
}

const EARLY_WORKER = Symbol.for('s2v.earlyWorker');

/** The same data, whatever the order of its keys. */
function same(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && JSON.stringify(a[k]) === JSON.stringify(b[k]));
}

/** The early thread when it runs `file` with exactly `workerData`; taken (a second call gets nothing). */
export function takeEarlyWorker(file: string, workerData: Record<string, unknown>): { worker: Worker; said: EarlySaid } | undefined {
  const holder = globalThis as { [EARLY_WORKER]?: EarlyWorker };
  const early = holder[EARLY_WORKER];
  if (!early || early.file !== file || !same(early.workerData, workerData)) return undefined;
  delete holder[EARLY_WORKER];
  return early.adopt();
}
