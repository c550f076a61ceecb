/**
 * The name checks every file-touching endpoint goes through: names from the browser stay
 * plain file stems, uploaded names stay basenames (the root checks: src/engine/confine.test.ts).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { REPO_ROOT, defaultDataDir, safeFileName, safeName } from './paths.js';
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
