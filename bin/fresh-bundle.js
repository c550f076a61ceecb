// Whether the CLI bundle load-cli.js built is still current (see there): apart from it so that a
// run answered from its memo (run-memo.js) need not load the bundler's code. Kept cheap on
// purpose — every start runs it over ~200 files: node:fs only, and paths joined as strings
// (path.join in not-yet-compiled code cost a cached re-run ~10 M instructions here).
// Not import: see bin/run-memo.js (an ES module's view of node:fs loads node:stream).
const fs = process.getBuiltinModule('node:fs');

const sep = process.platform === 'win32' ? '\\' : '/';
/** The repository (the folder above bin/). */
export const root = import.meta.dirname.slice(0, import.meta.dirname.lastIndexOf(sep)) || sep;
export const CACHE_DIR = [root, 'node_modules', '.cache', 's2v'].join(sep);
export const MANIFEST = 'cli.json';
// Bumped when the bundle's shape changes, so an older manifest is never trusted.
export const FORMAT = 4;

/**
 * The bundle the manifest in `cacheDir` names, when every file it was built from still has
 * the size and mtime recorded at build time; undefined when anything changed (or none was built).
 * `variant`: a command with a bundle of its own (`analyze`: load-cli.js ENTRIES) gets that one,
 * fresh when the files it was built from are; any other gets the whole CLI's.
 */
export function freshBundle(cacheDir = CACHE_DIR, variant = undefined) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(cacheDir + sep + MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
  // Any other shape (null, an input that is not [path, size, mtime], a bundle name with a folder
  // in it) is no fresh bundle: load-cli.js builds a new one.
  if (!manifest || typeof manifest !== 'object' || manifest.format !== FORMAT || manifest.root !== root) return undefined;
  const bundles = manifest.bundles && typeof manifest.bundles === 'object' ? manifest.bundles : {};
  // A command with a bundle of its own checks what that one was built from; any other, the CLI's.
  const { bundle, inputs } = variant !== undefined && Object.hasOwn(bundles, variant) ? (bundles[variant] ?? {}) : manifest;
  if (typeof bundle !== 'string' || !/^[\w.-]+$/.test(bundle) || !Array.isArray(inputs)) return undefined;
  const base = root.endsWith(sep) ? root : root + sep;
  for (const input of inputs) {
    if (!Array.isArray(input) || typeof input[0] !== 'string') return undefined;
    const [rel, size, mtimeMs] = input;
    let st;
    try {
      st = fs.statSync(base + rel, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (!st || st.size !== size || st.mtimeMs !== mtimeMs) return undefined;
  }
  return cacheDir + sep + bundle;
}
