/** makeDirs: `mkdir -p` that always settles with one E109 naming the folder (Node's recursive mkdir spun forever on /proc/x). */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDirs } from './files.js';

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-dirs-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('makeDirs', () => {
  it('makes every missing folder down to the last, and is a no-op when they exist', async () => {
    const deep = path.join(tmp, 'a', 'b', 'c');
    await makeDirs(deep);
    expect((await fs.stat(deep)).isDirectory()).toBe(true);
    await makeDirs(deep);
    expect(await fs.readdir(path.join(tmp, 'a'))).toEqual(['b']);
  });

  it('many callers making the same folders at once all succeed (EEXIST from a racing caller is fine)', async () => {
    const deep = path.join(tmp, 'x', 'y', 'z');
    await Promise.all(Array.from({ length: 8 }, () => makeDirs(deep)));
    expect((await fs.stat(deep)).isDirectory()).toBe(true);
  });

  it('a path through a file is E109 naming that file', async () => {
    const f = path.join(tmp, 'plain.txt');
    await fs.writeFile(f, 'x');
    await expect(makeDirs(path.join(f, 'sub', 'dir'))).rejects.toMatchObject({ code: 'E109', message: 'folder path runs through a file', where: f });
  });

  it.runIf(process.platform === 'linux')('a folder the system will not make is E109 naming it, at once (no spin)', async () => {
    await expect(makeDirs('/proc/s2v-nope/out')).rejects.toMatchObject({ code: 'E109', message: 'cannot create folder (ENOENT)', where: '/proc/s2v-nope' });
  });
});
