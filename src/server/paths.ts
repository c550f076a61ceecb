/**
 * Where the studio keeps user data, and the path checks every file-touching endpoint
 * goes through. Names from the browser never become paths without `safeName`, and
 * paths from the browser are only used after `insideRoots` resolved symlinks.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpError } from './http.js';

/** Repository root (src/server/ → ../..), for graphs/ and dist/app. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Per-user data folder: documents, uploaded assets, outputs. `S2V_DATA_DIR` overrides. */
export function defaultDataDir(): string {
  if (process.env.S2V_DATA_DIR) return path.resolve(process.env.S2V_DATA_DIR);
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'S2V Studio');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), 'S2V Studio');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 's2v-studio');
}

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9 _.()-]{0,99}$/;

/**
 * A document or template name as given in a URL → a plain file stem. Rejects anything
 * that could leave its folder (slashes, `..`, leading dots, control characters) with 400.
 */
export function safeName(raw: string, what = 'name'): string {
  let name = raw;
  try {
    name = decodeURIComponent(raw);
  } catch {
    throw new HttpError(400, `${what} is not valid URL encoding`);
  }
  name = name.replace(/\.json$/i, '').trim();
  if (!SAFE_NAME.test(name) || name.includes('..')) {
    throw new HttpError(400, `${what} "${name.slice(0, 60)}" may only use letters, digits, space, _ . ( ) - (max 100)`);
  }
  return name;
}

/** An uploaded file's name reduced to a safe, readable basename that keeps its extension. */
export function safeFileName(raw: string): string {
  const base = path.basename(raw.replace(/\\/g, '/'));
  const cleaned = base.replace(/[^A-Za-z0-9 _.()-]+/g, '_').replace(/^[.\s]+/, '').slice(-120);
  return cleaned || 'file';
}

// The confinement checks live in the engine (the CLI's file policy uses them too).
export { insideRoots, isWithin, realOrResolved } from '../engine/index.js';
