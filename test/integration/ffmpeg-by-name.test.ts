/**
 * A fresh machine has only the npm ffmpeg/ffprobe, and a machine with a system ffmpeg must test the
 * one the app uses: no test or helper may run `ffmpeg`/`ffprobe` by name (use test/support/ffmpeg.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const SKIP = new Set(['node_modules', 'dist', 'out', 'test-artifacts', '.git', '.stryker-tmp']);

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|mjs|js)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('tests run the located ffmpeg', () => {
  it('no source spawns ffmpeg or ffprobe by bare name', () => {
    const byName = /\b(execFileSync|execFile|spawnSync|spawn|run)\(\s*['"](ffmpeg|ffprobe)['"]/;
    const offenders = ['src', 'nodes', 'test', 'models', 'graphs', 'bin']
      .flatMap((d) => sources(path.join(root, d)))
      .filter((f) => byName.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(offenders).toEqual([]);
  });
});
