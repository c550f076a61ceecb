/** The CLI's fast-start bundle must behave exactly like running the sources through tsx. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JS module without types
import { sourceStamp } from '../../bin/load-cli.js';

const root = path.resolve(import.meta.dirname, '../..');
const s2v = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [path.join(root, 'bin/s2v.js'), ...args], { encoding: 'utf8', env: { ...process.env, ...env } });

describe('s2v loader', () => {
  it('bundled and tsx runs print the same catalog and models', () => {
    for (const cmd of [['nodes', '--json'], ['models', '--json']]) {
      const bundled = s2v(cmd);
      const viaTsx = s2v(cmd, { S2V_NO_BUNDLE: '1' });
      expect(bundled.status).toBe(0);
      expect(viaTsx.status).toBe(0);
      expect(bundled.stdout).toBe(viaTsx.stdout);
      expect(JSON.parse(bundled.stdout).length).toBeGreaterThan(3);
    }
  });

  it('the bundle is keyed by the sources: touching one changes the stamp', () => {
    const file = path.join(root, 'nodes/prompt/prompt.node.ts');
    const before = sourceStamp();
    const st = fs.statSync(file);
    try {
      fs.utimesSync(file, st.atime, new Date(st.mtimeMs + 5000));
      expect(sourceStamp()).not.toBe(before);
    } finally {
      fs.utimesSync(file, st.atime, st.mtime);
    }
  });
});
