/** replaceFile: the destination holds the old bytes or the new ones, and a failure leaves no temp file. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test/support/temp-dir.js';
import { replaceFile } from './temp-file.js';

const tmp = useTempDir('s2v-temp-file-');

describe('replaceFile', () => {
  it('replaces the destination whole and leaves nothing beside it', async () => {
    const dest = path.join(tmp(), 'record.json');
    await replaceFile(dest, 'old');
    await replaceFile(dest, 'new');
    expect(await fs.readFile(dest, 'utf8')).toBe('new');
    expect(await fs.readdir(tmp())).toEqual(['record.json']);
  });

  it('a rename that fails (the destination is a folder) rethrows and removes the temp file', async () => {
    const dest = path.join(tmp(), 'record.json');
    await fs.mkdir(path.join(dest, 'in-the-way'), { recursive: true });
    await expect(replaceFile(dest, 'x')).rejects.toMatchObject({ code: expect.stringMatching(/^E[A-Z]+$/) });
    expect(await fs.readdir(tmp())).toEqual(['record.json']);
  });

  it('a folder it cannot write in rethrows and leaves nothing', async () => {
    await expect(replaceFile(path.join(tmp(), 'missing', 'record.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await fs.readdir(tmp())).toEqual([]);
  });
});
