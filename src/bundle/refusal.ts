/** Bundle refusals: one line naming the bundle, the entry and the reason (E150). */
import { S2VError, type ErrorCode } from '../engine/index.js';

export function refuse(bundle: string, entry: string | undefined, reason: string, code: ErrorCode = 'E150'): never {
  throw new S2VError(code, entry === undefined ? reason : `entry "${entry}": ${reason}`, {
    where: bundle,
    hint: code === 'E150' ? 'the bundle was not unpacked; nothing was written' : undefined,
  });
}
