/** A fresh temporary folder per test (or per file), removed afterwards: `const tmp = useTempDir('s2v-x-')` then `tmp()`. */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';

export function useTempDir(prefix: string, scope: 'each' | 'all' = 'each'): () => string {
  let dir = '';
  (scope === 'each' ? beforeEach : beforeAll)(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  (scope === 'each' ? afterEach : afterAll)(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}
