/** Catch the S2VError a call must throw, so a test can check its code, place and wording. */
import { S2VError } from '../../src/engine/index.js';

/** Run `fn`, which must throw an S2VError, and return that error (anything else is rethrown). */
export function errOf(fn: () => unknown): S2VError {
  try {
    fn();
  } catch (e) {
    if (e instanceof S2VError) return e;
    throw e;
  }
  throw new Error('expected an S2VError');
}

/** Await a promise that must reject with an S2VError, and return that error. */
export async function thrown(p: Promise<unknown>): Promise<S2VError> {
  const settled = await p.then(
    () => ({ rejected: false as const }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  return errOf(() => {
    if (settled.rejected) throw settled.error;
  });
}
