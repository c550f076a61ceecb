/** Atomic outputs: a destination gets the whole file or nothing, and no temp file outlives a failure. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { thrown } from '../../test/support/s2v-error.js';
import { useTempDir } from '../../test/support/temp-dir.js';
import { copyAtomic, writeFileAtomic } from './atomic.js';

const tmp = useTempDir('s2v-atomic-');

describe('atomic output files', () => {
  it('writes and copies whole, leaving only the destination', async () => {
    const dest = path.join(tmp(), 'out.json');
    await writeFileAtomic(dest, Buffer.from('{"a":1}'));
    await copyAtomic(dest, path.join(tmp(), 'copy.json'));
    expect(await fs.readFile(path.join(tmp(), 'copy.json'), 'utf8')).toBe('{"a":1}');
    expect((await fs.readdir(tmp())).sort()).toEqual(['copy.json', 'out.json']);
  });

  it('a destination it cannot rename onto (a folder) is E109 in one line naming it, and no temp file is left', async () => {
    const dest = path.join(tmp(), 'out.json');
    await fs.mkdir(path.join(dest, 'in-the-way'), { recursive: true });
    // Each started only when it is awaited: both started at once, the copy could fail while the
    // write was still awaited, a rejection nobody held yet (vitest: "unhandled error", CI red).
    for (const attempt of [() => writeFileAtomic(dest, Buffer.from('x')), () => copyAtomic(path.join(import.meta.dirname, 'atomic.ts'), dest)]) {
      const e = await thrown(attempt());
      expect(e).toMatchObject({ code: 'E109', where: dest });
      expect(e.message).toMatch(/^cannot move the finished file into place \(E[A-Z]+\)$/);
    }
    expect(await fs.readdir(tmp())).toEqual(['out.json']);
  });
});
