/**
 * Atomic file output: write to a hidden temp file in the destination folder (same
 * filesystem, so rename is atomic), then rename over the destination. A crash or cancel
 * leaves at most a `.partial` file, which `discard` removes on the error paths.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { discard, tempPathFor } from '../engine/temp-file.js';
import { S2VError } from '../engine/errors.js';
import { statRegularFile } from '../engine/files.js';

export { discard, tempPathFor };

/** Fail early (E109) when the destination folder is missing or not writable. */
export async function assertWritableDir(dest: string): Promise<void> {
  const dir = path.dirname(path.resolve(dest));
  try {
    const st = await fs.stat(dir);
    if (!st.isDirectory()) throw new Error('not a directory');
    await fs.access(dir, fs.constants.W_OK);
  } catch {
    throw new S2VError('E109', 'output folder is missing or not writable', { where: dest, hint: 'create the folder or pick another output path' });
  }
}

export async function commit(temp: string, dest: string): Promise<void> {
  try {
    await fs.rename(temp, dest);
  } catch (e) {
    await discard(temp);
    throw new S2VError('E109', `cannot move the finished file into place (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { where: dest, exitCode: 1 });
  }
}

/** Fill a temp file beside `dest`, then rename it into place; E109 naming `dest` when filling fails. */
async function viaTemp(dest: string, what: 'write' | 'copy', fill: (temp: string) => Promise<void>): Promise<void> {
  await assertWritableDir(dest);
  const temp = tempPathFor(dest);
  try {
    await fill(temp);
  } catch (e) {
    await discard(temp);
    throw new S2VError('E109', `cannot ${what} file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { where: dest, exitCode: 1 });
  }
  await commit(temp, dest);
}

/** Write bytes to `dest` atomically. */
export async function writeFileAtomic(dest: string, data: Uint8Array): Promise<void> {
  await viaTemp(dest, 'write', (temp) => fs.writeFile(temp, data));
}

/** Copy `src` to `dest` atomically (E108 when the source is missing). */
export async function copyAtomic(src: string, dest: string): Promise<void> {
  await assertReadable(src);
  await viaTemp(dest, 'copy', (temp) => fs.copyFile(src, temp));
}

/** E108 naming the file unless it is a readable regular file. */
export async function assertReadable(file: string): Promise<void> {
  await statRegularFile(file);
  try {
    await fs.access(file, fs.constants.R_OK);
  } catch {
    throw new S2VError('E108', 'file is not readable (permission denied)', { where: file });
  }
}
