/**
 * Finds the ffmpeg and ffprobe binaries. Order (first hit wins):
 *   ffmpeg:  FFMPEG_PATH → ffmpeg-static → @ffmpeg-installer/ffmpeg → `ffmpeg` on PATH
 *   ffprobe: FFPROBE_PATH → next to the ffmpeg found → ffprobe-static → @ffprobe-installer/ffprobe → PATH
 * None of the npm packages is a dependency; they are used only if someone installed them,
 * so a missing package is skipped silently.
 */
import { createRequire } from 'node:module';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { S2VError } from '../engine/index.js';

export interface LocateDeps {
  env: Record<string, string | undefined>;
  /** Resolve an npm package's exported value (the binary path); undefined if not installed. */
  loadPackage(name: string): unknown;
  /** True if `p` is an executable regular file. */
  isExecutable(p: string): boolean;
  platform: NodeJS.Platform;
}

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

const require = createRequire(import.meta.url);

export const realLocateDeps: LocateDeps = {
  env: process.env,
  loadPackage(name) {
    try {
      return require(name) as unknown;
    } catch {
      return undefined;
    }
  },
  isExecutable(p) {
    try {
      if (!statSync(p).isFile()) return false;
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  platform: process.platform,
};

/** ffmpeg-static exports the path string; the *-installer packages export `{ path }`. */
function packageBinary(deps: LocateDeps, name: string): string | undefined {
  const mod = deps.loadPackage(name);
  const p = typeof mod === 'string' ? mod : (mod as { path?: unknown; default?: unknown } | undefined)?.path ?? (mod as { default?: unknown } | undefined)?.default;
  return typeof p === 'string' && deps.isExecutable(p) ? p : undefined;
}

function onPath(deps: LocateDeps, exe: string): string | undefined {
  const sep = deps.platform === 'win32' ? ';' : ':';
  const file = deps.platform === 'win32' ? `${exe}.exe` : exe;
  for (const dir of (deps.env.PATH ?? '').split(sep)) {
    if (!dir) continue;
    const p = path.join(dir, file);
    if (deps.isExecutable(p)) return p;
  }
  return undefined;
}

function fromEnv(deps: LocateDeps, key: string): string | undefined {
  const p = deps.env[key];
  if (!p) return undefined;
  if (!deps.isExecutable(p)) {
    throw new S2VError('E122', `${key} does not point to an executable`, { where: p, hint: `fix or unset ${key}`, exitCode: 1 });
  }
  return p;
}

function notFound(what: 'ffmpeg' | 'ffprobe'): S2VError {
  const envKey = what === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  return new S2VError('E122', `${what} not found`, {
    hint: `install it (apt-get install ffmpeg / brew install ffmpeg) or set ${envKey}`,
    exitCode: 1,
  });
}

/** Locate ffmpeg and ffprobe; throws E122 naming the missing one. */
export function locateFfmpeg(deps: LocateDeps = realLocateDeps): FfmpegBinaries {
  const ffmpeg =
    fromEnv(deps, 'FFMPEG_PATH') ??
    packageBinary(deps, 'ffmpeg-static') ??
    packageBinary(deps, '@ffmpeg-installer/ffmpeg') ??
    onPath(deps, 'ffmpeg');
  if (!ffmpeg) throw notFound('ffmpeg');

  const ext = deps.platform === 'win32' ? '.exe' : '';
  const sibling = path.join(path.dirname(ffmpeg), `ffprobe${ext}`);
  const ffprobe =
    fromEnv(deps, 'FFPROBE_PATH') ??
    (deps.isExecutable(sibling) ? sibling : undefined) ??
    packageBinary(deps, 'ffprobe-static') ??
    packageBinary(deps, '@ffprobe-installer/ffprobe') ??
    onPath(deps, 'ffprobe');
  if (!ffprobe) throw notFound('ffprobe');
  return { ffmpeg, ffprobe };
}
