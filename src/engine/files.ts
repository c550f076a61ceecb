/** File fingerprints: sha256 of the bytes, memoised by path + size + mtime. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import { S2VError } from './errors.js';
import type { FileService } from './services/index.js';

export function createFileService(): FileService {
  const memo = new Map<string, string>();
  return {
    async hashFile(path: string) {
      let st;
      try {
        st = await fs.stat(path);
      } catch {
        throw new S2VError('E108', 'file not found', { where: path, hint: 'check the path' });
      }
      if (!st.isFile()) throw new S2VError('E108', 'not a regular file', { where: path });
      const memoKey = `${path}\0${st.size}\0${st.mtimeMs}`;
      const known = memo.get(memoKey);
      if (known) return known;
      const hash = createHash('sha256');
      try {
        for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      } catch (e) {
        throw new S2VError('E108', `cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, { where: path });
      }
      const digest = hash.digest('hex');
      memo.set(memoKey, digest);
      return digest;
    },
  };
}
