/**
 * The path checks every file-touching endpoint goes through: names from the browser stay
 * plain file stems, uploaded names stay basenames, and a path is only used when its real
 * location (symlinks resolved) is inside an allowed root.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { REPO_ROOT, defaultDataDir, insideRoots, isWithin, realOrResolved, safeFileName, safeName } from './paths.js';
import { platformSandbox } from '../../test/support/platform.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 's2v-paths-')));
});
afterAll(() => fs.rm(dir, { recursive: true, force: true }));

const statusOf = (fn: () => unknown): number | string => {
  try {
    return String(fn());
  } catch (e) {
    return (e as { status?: number }).status ?? -1;
  }
};

describe('safeName (document and template names from URLs)', () => {
  it.each([
    ['My%20song', 'My song'],
    ['take-2.JSON', 'take-2'],
    ['  v1.2 (final)_a  ', 'v1.2 (final)_a'],
    // Only a trailing .json goes.
    ['a.json.json', 'a.json'],
    ['v.json.bak.json', 'v.json.bak'],
    ['my.jsonl', 'my.jsonl'],
  ])('reads %j as %j: decoded, a trailing .json (any case) and surrounding space dropped', (raw, name) => {
    expect(safeName(raw)).toBe(name);
  });
  it.each(['..', '../x', '..%2Fx', 'a/b', 'a\\b', '.hidden', '', ' ', 'a..b', '-dash-first', `${'x'.repeat(101)}`, 'tab\there', '%E0%A4%A'])('refuses %j with 400', (raw) => {
    expect(statusOf(() => safeName(raw))).toBe(400);
  });
  it('accepts exactly 100 characters', () => {
    expect(safeName('x'.repeat(100))).toBe('x'.repeat(100));
  });
  it('says what was refused and why, naming the kind of name', () => {
    expect(() => safeName('a/b', 'document name')).toThrow('document name "a/b" may only use letters, digits, space, _ . ( ) - (max 100)');
    expect(() => safeName('%E0%A4%A', 'template')).toThrow('template is not valid URL encoding');
    expect(() => safeName('a/b')).toThrow(/^name "a\/b" may only use/);
  });
});

describe('safeFileName (uploaded file names)', () => {
  it('keeps a readable basename with its extension', () => {
    expect(safeFileName('song (live).mp3')).toBe('song (live).mp3');
    expect(safeFileName('C:\\Users\\me\\voice.wav')).toBe('voice.wav');
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
  });
  it('replaces each run of unsafe characters with one underscore and strips leading dots/space', () => {
    expect(safeFileName('a$$b##c.png')).toBe('a_b_c.png');
    expect(safeFileName('...hidden.png')).toBe('hidden.png');
    expect(safeFileName(' . .x.wav')).toBe('x.wav');
  });
  it('keeps the last 120 characters (the extension survives) and never returns an empty name', () => {
    const long = `${'a'.repeat(200)}.flac`;
    expect(safeFileName(long)).toHaveLength(120);
    expect(safeFileName(long).endsWith('.flac')).toBe(true);
    expect(safeFileName('...')).toBe('file');
    expect(safeFileName('/')).toBe('file');
  });
});

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

describe('REPO_ROOT', () => {
  it('is the repository root (where graphs/ and package.json live)', () => {
    expect(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name).toBe('s2v-studio');
  });
});

describe('defaultDataDir', () => {
  const setPlatform = platformSandbox();

  it('S2V_DATA_DIR wins, made absolute', () => {
    process.env.S2V_DATA_DIR = 'rel/data';
    expect(defaultDataDir()).toBe(path.resolve('rel/data'));
  });
  it('follows each platform’s convention', () => {
    delete process.env.S2V_DATA_DIR;
    delete process.env.XDG_DATA_HOME;
    delete process.env.APPDATA;
    setPlatform('linux');
    expect(defaultDataDir()).toBe(path.join(os.homedir(), '.local', 'share', 's2v-studio'));
    process.env.XDG_DATA_HOME = '/xdg';
    expect(defaultDataDir()).toBe(path.join('/xdg', 's2v-studio'));
    setPlatform('darwin');
    expect(defaultDataDir()).toBe(path.join(os.homedir(), 'Library', 'Application Support', 'S2V Studio'));
    setPlatform('win32');
    expect(defaultDataDir()).toBe(path.join(os.homedir(), 'AppData', 'Roaming', 'S2V Studio'));
    process.env.APPDATA = '/appdata';
    expect(defaultDataDir()).toBe(path.join('/appdata', 'S2V Studio'));
  });
});
