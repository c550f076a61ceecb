/**
 * Which code computed a result: the fingerprint of a part of the code (code-fingerprint.mjs says
 * what a part covers) for the cache keys of nodes whose results come from it — Audio Features
 * asks for `analysis`, so an upgraded beat tracker or new beat-net weights never get the old
 * beats from the cache, while an unrelated change (the studio, the CLI's printing) keeps them.
 * In the CLI bundle the fingerprints were written in when it was built (bin/load-cli.js): asking
 * costs nothing. From the sources (S2V_NO_BUNDLE=1, tests) they are computed the same way on
 * first use and remembered beside the bundle while their inputs keep their size and mtime.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_PARTS, sourceFingerprint, type CodePartName } from './code-fingerprint.mjs';

export type { CodePartName };

/** bin/load-cli.js replaces this string in the bundle with the JSON of every part's fingerprint. */
const BUILT: string = '__S2V_CODE_FINGERPRINTS__';

/** The repository: three folders above this file's. */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const known = new Map<CodePartName, Promise<string>>();

/** The fingerprints the bundle carries, or undefined when running from the sources. */
function built(): Record<string, string> | undefined {
  if (!BUILT.startsWith('{')) return undefined;
  return JSON.parse(BUILT) as Record<string, string>;
}

/**
 * The fingerprint of the code part `name` this process runs. When it cannot be known (the
 * sources without esbuild), a value of this process alone: its results are then never served
 * to another process, rather than served when they may be stale.
 */
export function codeFingerprint(name: CodePartName): Promise<string> {
  let p = known.get(name);
  if (!p) {
    const fromBundle = built()?.[name];
    p = fromBundle !== undefined
      ? Promise.resolve(fromBundle)
      : sourceFingerprint(ROOT, name, path.join(ROOT, 'node_modules', '.cache', 's2v'), CODE_PARTS).catch(() => `unknown-${randomBytes(12).toString('hex')}`);
    known.set(name, p);
  }
  return p;
}
