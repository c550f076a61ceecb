/**
 * Path confinement for every front door's file policy: a path is only used when its real
 * location (symlinks resolved) is inside an allowed root.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insideRoots, isWithin, realOrResolved } from './confine.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 's2v-confine-')));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

describe('isWithin / insideRoots', () => {
  it('isWithin: the root itself and what lies below it, never a sibling with a common prefix', () => {
    expect(isWithin('/data/s2v', '/data/s2v')).toBe(true);
    expect(isWithin('/data/s2v', '/data/s2v/a/b.wav')).toBe(true);
    expect(isWithin('/data/s2v', '/data/s2v-evil/x')).toBe(false);
    expect(isWithin('/data/s2v', '/data')).toBe(false);
    expect(isWithin('/data/s2v', '/data/s2v/../x')).toBe(false);
  });

  it('returns the real path of a file inside a root, and of a missing file judged by its real parent', async () => {
    const root = path.join(dir, 'root');
    await fs.mkdir(root, { recursive: true });
    await fs.writeFile(path.join(root, 'a.wav'), 'x');
    expect(await insideRoots(path.join(root, 'a.wav'), [root])).toBe(path.join(root, 'a.wav'));
    expect(await insideRoots(path.join(root, 'new.wav'), [root])).toBe(path.join(root, 'new.wav'));
    expect(await insideRoots(path.join(root, 'nope', 'new.wav'), [root])).toBeUndefined();
    expect(await insideRoots('relative/a.wav', [root])).toBeUndefined();
    // A relative path is refused even when it names a real file inside the root (it would
    // depend on the server's working folder).
    expect(await insideRoots('package.json', [process.cwd()])).toBeUndefined();
  });

  it('refuses a symlink (to a file or through a folder) that leads outside every root', async () => {
    const root = path.join(dir, 'root2');
    const outside = path.join(dir, 'outside');
    await fs.mkdir(root, { recursive: true });
    await fs.mkdir(outside, { recursive: true });
    await fs.writeFile(path.join(outside, 'secret.txt'), 'secret');
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'));
    await fs.symlink(outside, path.join(root, 'linkdir'));
    expect(await insideRoots(path.join(root, 'link.txt'), [root])).toBeUndefined();
    expect(await insideRoots(path.join(root, 'linkdir', 'secret.txt'), [root])).toBeUndefined();
    expect(await insideRoots(path.join(root, 'linkdir', 'new.txt'), [root])).toBeUndefined();
    // A second root that holds the target makes it allowed, as its real path.
    expect(await insideRoots(path.join(root, 'link.txt'), [root, outside])).toBe(path.join(outside, 'secret.txt'));
  });

  it('realOrResolved: the real path when it exists, else the lexical absolute path', async () => {
    await fs.symlink(dir, path.join(dir, 'self'));
    expect(await realOrResolved(path.join(dir, 'self'))).toBe(dir);
    expect(await realOrResolved(path.join(dir, 'missing', '..', 'x'))).toBe(path.join(dir, 'x'));
  });
});
