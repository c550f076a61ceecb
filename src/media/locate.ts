/**
 * Finds the ffmpeg and ffprobe binaries. Order (first hit wins):
 *   ffmpeg:  FFMPEG_PATH → ffmpeg-static → a system `ffmpeg` ≥ 5 on PATH → @ffmpeg-installer/ffmpeg → any `ffmpeg` on PATH
 *   ffprobe: FFPROBE_PATH → next to the ffmpeg found → ffprobe-static → @ffprobe-installer/ffprobe → PATH
 *
 * Why a newer system ffmpeg beats the bundled one (measured; see README "ffmpeg"): the npm
 * @ffmpeg-installer binary is ffmpeg 4.1 (2018). It encodes our H.264 at the same CPU cost as
 * 5.1, but 5.1 decodes more of what users drop in (SVG via librsvg, JPEG XL, AV1/AVIF via
 * dav1d) and spreads the encode over more threads. The bundled binary is what makes a fresh
 * machine work; the whole suite passes with either.
 *
 * The npm packages ship their binaries inside the package; their install scripts (which
 * only `chmod +x`) are off, so a binary that arrives without its execute bit is made
 * executable here, or copied to a private executable copy, or named in an E122 with the fix.
 */
import { createRequire } from 'node:module';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { S2VError } from '../engine/errors.js';
import { probeOutput } from './run-process.js';

export interface LocateDeps {
  env: Record<string, string | undefined>;
  /** Resolve an npm package's exported value (the binary path); undefined if not installed. */
  loadPackage(name: string): unknown;
  /** True if `p` is an executable regular file. */
  isExecutable(p: string): boolean;
  /** True if `p` is a regular file (executable or not). */
  isFile(p: string): boolean;
  /**
   * Make the file at `p` runnable: chmod it, else an executable private copy. Returns the
   * path to run, or undefined when neither worked.
   */
  makeExecutable(p: string): string | undefined;
  /** Major version of the ffmpeg at `p` (`ffmpeg -version`), undefined if it does not answer. */
  majorVersion(p: string): number | undefined;
  platform: NodeJS.Platform;
}

export interface FfmpegBinaries {
  ffmpeg: string;
  ffprobe: string;
}

/** A system ffmpeg at least this new wins over the bundled 4.1 (see the header comment). */
export const PREFERRED_SYSTEM_MAJOR = 5;

const require = createRequire(import.meta.url);

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const realLocateDeps: LocateDeps = {
  env: process.env,
  loadPackage(name) {
    try {
      return require(name) as unknown;
    } catch {
      return undefined;
    }
  },
  isExecutable: isExecutableFile,
  isFile(p) {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  },
  makeExecutable(p) {
    try {
      chmodSync(p, statSync(p).mode | 0o755);
      if (isExecutableFile(p)) return p;
    } catch {
      // not our file (read-only install, another user's node_modules): try a private copy
    }
    try {
      const st = statSync(p);
      const dir = path.join(os.tmpdir(), `s2v-bin-${process.getuid?.() ?? 'user'}`, `${path.basename(path.dirname(p))}-${st.size}-${Math.round(st.mtimeMs)}`);
      const copy = path.join(dir, path.basename(p));
      if (isExecutableFile(copy) && statSync(copy).size === st.size) return copy;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const temp = `${copy}.${process.pid}.tmp`;
      copyFileSync(p, temp);
      chmodSync(temp, 0o755);
      renameSync(temp, copy);
      return isExecutableFile(copy) ? copy : undefined;
    } catch {
      return undefined;
    }
  },
  majorVersion(p) {
    const r = probeOutput(p, ['-hide_banner', '-version'], 5000);
    return r && parseMajorVersion(r.stdout);
  },
  platform: process.platform,
};

/** "ffmpeg version 5.1.8-0+deb12u1 …" → 5; "n6.0" → 6; git builds ("N-47683-g…") → undefined. */
export function parseMajorVersion(versionOutput: string): number | undefined {
  const m = /^\w+ version n?(\d+)\.\d+/m.exec(versionOutput);
  return m ? Number(m[1]) : undefined;
}

/** ffmpeg-static exports the path string; the *-installer packages export `{ path }`. */
function packagePath(deps: LocateDeps, name: string): string | undefined {
  const mod = deps.loadPackage(name);
  const p = typeof mod === 'string' ? mod : (mod as { path?: unknown; default?: unknown } | undefined)?.path ?? (mod as { default?: unknown } | undefined)?.default;
  return typeof p === 'string' ? p : undefined;
}

function packageBinary(deps: LocateDeps, name: string): string | undefined {
  const p = packagePath(deps, name);
  if (!p) return undefined;
  if (deps.isExecutable(p)) return p;
  // Shipped inside the package but without its execute bit (install scripts are off).
  if (!deps.isFile(p)) return undefined;
  const runnable = deps.makeExecutable(p);
  if (runnable) return runnable;
  throw new S2VError('E122', `${path.basename(p)} from ${name} is not executable and cannot be made so`, {
    where: p,
    hint: `run: chmod +x ${p}`,
    exitCode: 1,
  });
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
    hint: `run npm install (it brings ${what}), or install it (apt-get install ffmpeg / brew install ffmpeg), or set ${envKey}`,
    exitCode: 1,
  });
}

/** A system ffmpeg on PATH that is new enough to be preferred over the bundled one. */
function newerSystemFfmpeg(deps: LocateDeps): string | undefined {
  const p = onPath(deps, 'ffmpeg');
  if (!p) return undefined;
  const major = deps.majorVersion(p);
  return major !== undefined && major >= PREFERRED_SYSTEM_MAJOR ? p : undefined;
}

/** Locate ffmpeg and ffprobe; throws E122 naming the missing one. */
export function locateFfmpeg(deps: LocateDeps = realLocateDeps): FfmpegBinaries {
  const ffmpeg =
    fromEnv(deps, 'FFMPEG_PATH') ??
    packageBinary(deps, 'ffmpeg-static') ??
    newerSystemFfmpeg(deps) ??
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

/** Where each binary came from, for `s2v doctor`. */
export function describeSource(p: string, env: Record<string, string | undefined> = process.env): string {
  if (env.FFMPEG_PATH === p || env.FFPROBE_PATH === p) return p === env.FFMPEG_PATH ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  if (p.includes(`${path.sep}ffmpeg-static${path.sep}`) || p.includes(`${path.sep}ffprobe-static${path.sep}`)) return 'npm (ffmpeg-static)';
  if (/[\\/]@ff(mpeg|probe)-installer[\\/]/.test(p)) return 'npm (bundled)';
  if (p.includes(`${path.sep}s2v-bin-`)) return 'npm (bundled, private executable copy)';
  return existsSync(p) ? 'system PATH' : 'unknown';
}
