/**
 * Path confinement: is a path inside a folder, after every symlink is resolved? Front doors
 * build their file policies (see prepare.ts) from these; one copy, so the CLI and the studio
 * cannot disagree about what "inside" means.
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** True when `child` equals `root` or lies below it (both already absolute and normalised). */
export function isWithin(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** realpath that falls back to the lexical path for a root that does not exist yet. */
export async function realOrResolved(p: string): Promise<string> {
  return fs.realpath(p).catch(() => path.resolve(p));
}

/**
 * The real path of `p` when it (after resolving every symlink) lies inside one of
 * `roots`, else undefined. A file that does not exist is judged by its real parent, so
 * a symlinked folder cannot be used to step outside either.
 */
export async function insideRoots(p: string, roots: readonly string[]): Promise<string | undefined> {
  if (!path.isAbsolute(p)) return undefined;
  let real: string;
  try {
    real = await fs.realpath(p);
  } catch {
    const parent = await fs.realpath(path.dirname(p)).catch(() => undefined);
    if (!parent) return undefined;
    real = path.join(parent, path.basename(p));
  }
  for (const r of roots) {
    if (isWithin(await realOrResolved(r), real)) return real;
  }
  return undefined;
}
