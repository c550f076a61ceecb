/**
 * Builds the studio UI once per source state: the output folder is keyed by a hash of
 * src/app and vite.config.ts, so parallel test files reuse one build (written to a temp
 * folder and renamed into place, so a half-written build is never served).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

async function hashTree(dir: string, h: ReturnType<typeof createHash>): Promise<void> {
  const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await hashTree(p, h);
    else {
      h.update(path.relative(REPO, p));
      h.update(await fs.readFile(p));
    }
  }
}

export async function buildUi(): Promise<string> {
  const h = createHash('sha256');
  await hashTree(path.join(REPO, 'src/app'), h);
  h.update(await fs.readFile(path.join(REPO, 'vite.config.ts')));
  const out = path.join(REPO, '.tmp/e2e-ui', h.digest('hex').slice(0, 16));
  if (await fs.stat(path.join(out, 'index.html')).then(() => true, () => false)) return out;
  const tmp = `${out}.${process.pid}.tmp`;
  const { build } = await import('vite');
  await build({
    configFile: path.join(REPO, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: tmp, emptyOutDir: true },
  });
  try {
    await fs.rename(tmp, out);
  } catch {
    // Another test file finished the same build first.
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return out;
}
