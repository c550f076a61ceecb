/** The CLI loader's own cache files (bundle manifest, compiled code) land whole or leave nothing behind. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module without types
import { bundleCli } from '../../bin/load-cli.js';
import { useTempDir } from '../support/temp-dir.js';

const tmp = useTempDir('s2v-loader-writes-');

describe('s2v loader cache writes', () => {
  it('a manifest that cannot be renamed into place fails in one line naming it, and leaves no temp file', async () => {
    const cacheDir = tmp();
    // A folder where cli.json goes: the temp file is written, the rename over the folder fails.
    fs.mkdirSync(path.join(cacheDir, 'cli.json', 'in-the-way'), { recursive: true });
    const err = await (bundleCli(cacheDir) as Promise<string>).then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/^cannot write \S+cli\.json \(E[A-Z]+\)$/);
    const left = fs.readdirSync(cacheDir);
    expect(left.filter((f) => !/^cli-[0-9a-f]{16}\.cjs$/.test(f))).toEqual(['cli.json']);
  }, 60_000);
});
