/** makeDirs: `mkdir -p` that always settles with one E109 naming the folder (Node's recursive mkdir spun forever on /proc/x). */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { makeDirs, readSmallText } from './files.js';

const tmpDir = useTempDir('s2v-dirs-');

describe('makeDirs', () => {
  it('makes every missing folder down to the last, and is a no-op when they exist', async () => {
    const deep = path.join(tmpDir(), 'a', 'b', 'c');
    await makeDirs(deep);
    expect((await fs.stat(deep)).isDirectory()).toBe(true);
    await makeDirs(deep);
    expect(await fs.readdir(path.join(tmpDir(), 'a'))).toEqual(['b']);
  });

  it('many callers making the same folders at once all succeed (EEXIST from a racing caller is fine)', async () => {
    const deep = path.join(tmpDir(), 'x', 'y', 'z');
    await Promise.all(Array.from({ length: 8 }, () => makeDirs(deep)));
    expect((await fs.stat(deep)).isDirectory()).toBe(true);
  });

  it('a path through a file is E109 naming that file', async () => {
    const f = path.join(tmpDir(), 'plain.txt');
    await fs.writeFile(f, 'x');
    await expect(makeDirs(path.join(f, 'sub', 'dir'))).rejects.toMatchObject({ code: 'E109', message: 'folder path runs through a file', where: f });
  });

  it.runIf(process.platform === 'linux')('a folder the system will not make is E109 naming it, at once (no spin)', async () => {
    await expect(makeDirs('/proc/s2v-nope/out')).rejects.toMatchObject({ code: 'E109', message: 'cannot create folder (ENOENT)', where: '/proc/s2v-nope' });
  });
});

describe('readSmallText', () => {
  it("is a file's text, and undefined for a missing file or a folder (callers decide what that means)", async () => {
    const f = path.join(tmpDir(), 'manifest.json');
    await fs.writeFile(f, '{"id":"x"} — ü');
    expect(readSmallText(f)).toBe('{"id":"x"} — ü');
    expect(readSmallText(path.join(tmpDir(), 'nope.json'))).toBeUndefined();
    expect(readSmallText(tmpDir())).toBeUndefined();
  });
});
