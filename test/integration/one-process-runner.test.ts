/**
 * Every program S2V Studio starts (ffmpeg/ffprobe, the speech engine, version probes, the
 * browser) goes through src/media/run-process.ts, so cancel, stderr tails and error lines
 * behave the same everywhere. Tests start programs too (fixtures, checking real output), but
 * only through test/support/processes.ts, so no test under src/ or nodes/ imports child_process.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const RUNNER = 'src/media/run-process.ts';

/** Every script file under dir, tests included. */
function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|mts|cts|mjs|cjs|js)$/.test(e.name)) out.push(p);
  }
  return out;
}

describe('one process runner', () => {
  it('no file in src/ or nodes/, tests included, but the runner imports child_process', () => {
    const users = ['src', 'nodes']
      .flatMap((d) => sources(path.join(root, d)))
      .filter((f) => /child_process/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f));
    expect(users).toEqual([RUNNER]);
  });
});
