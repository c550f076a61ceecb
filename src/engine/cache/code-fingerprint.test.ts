/**
 * The analysis code fingerprint follows the code and the beat net's weights and nothing else,
 * and the CLI bundle carries the same value the sources compute. Run on a copy of the repository
 * (its own src, bin, nodes and models; node_modules linked), edited as an upgrade would edit it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_PARTS, sourceFingerprint } from './code-fingerprint.mjs';

const repo = path.resolve(import.meta.dirname, '../../..');
let root: string;
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-code-fp-'));
  root = path.join(tmp, 'repo');
  fs.mkdirSync(root);
  for (const dir of ['src', 'bin', 'nodes', 'models', 'graphs']) fs.cpSync(path.join(repo, dir), path.join(root, dir), { recursive: true, filter: (p) => !p.includes(`${path.sep}node_modules`) });
  for (const file of ['package.json', 'tsconfig.json']) fs.copyFileSync(path.join(repo, file), path.join(root, file));
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(root, 'node_modules'), 'dir');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Appends `text` to a file of the copy; returns how to put it back. */
function edit(rel: string, change: (text: string) => string): () => void {
  const file = path.join(root, rel);
  const before = fs.readFileSync(file, 'utf8');
  const st = fs.statSync(file);
  const after = change(before);
  expect(after).not.toBe(before);
  fs.writeFileSync(file, after);
  // An mtime the memo cannot have seen, even on a file system with coarse timestamps.
  fs.utimesSync(file, st.atime, new Date(st.mtimeMs + 7000));
  return () => {
    fs.writeFileSync(file, before);
    fs.utimesSync(file, st.atime, st.mtime);
  };
}

describe('analysis code fingerprint', () => {
  it('changes with the beat tracker and the beat net, not with the studio or the CLI', async () => {
    const memo = path.join(tmp, 'memo');
    const fp = () => sourceFingerprint(root, 'analysis', memo);
    const base = await fp();
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    // Remembered: the same value again, from the memo.
    expect(await fp()).toBe(base);
    expect(fs.existsSync(path.join(memo, 'code-analysis.json'))).toBe(true);

    // Beat code (a file the analysis reaches through metrical-level.ts), read through the memo.
    let undo = edit('src/audio/beat-phase.ts', (t) => t.replace('const FLOOR = 0.1;', 'const FLOOR = 0.12;'));
    const beatCode = await fp();
    expect(beatCode).not.toBe(base);
    undo();
    expect(await fp()).toBe(base);

    // The beat net's weights: one weight moved.
    undo = edit('models/beatnet/beat-net.json', (t) => t.replace(/"b2":\s*(-?[0-9.]+)/, (_m, v: string) => `"b2":${Number(v) + 0.001}`));
    const weights = await fp();
    expect(weights).not.toBe(base);
    expect(weights).not.toBe(beatCode);
    undo();

    // The decode that feeds the analysis counts too.
    undo = edit('src/media/audio.ts', (t) => `${t}\n// upgraded\n`);
    expect(await fp()).not.toBe(base);
    undo();

    // The VAD runs in the inference service's worker script, which no module imports.
    undo = edit('src/inference/session-worker.cjs', (t) => `${t}\n// upgraded\n`);
    expect(await fp()).not.toBe(base);
    undo();

    // Unrelated: the studio UI and the CLI's printing. Also computed afresh (no memo) to be sure.
    const undoUi = edit('src/app/App.tsx', (t) => `${t}\n// a new button\n`);
    const undoCli = edit('src/cli/analyze.ts', (t) => `${t}\n// printed differently\n`);
    expect(await fp()).toBe(base);
    expect(await sourceFingerprint(root, 'analysis', path.join(tmp, 'memo-fresh'))).toBe(base);
    undoUi();
    undoCli();
  }, 60_000);

  it('each part follows its own code: the Screenwriter\'s, the generator\'s and the renderer\'s changes leave the others alone', async () => {
    const memo = path.join(tmp, 'memo-parts');
    const all = async () => Object.fromEntries(await Promise.all(Object.keys(CODE_PARTS).map(async (n) => [n, await sourceFingerprint(root, n, memo)] as const)));
    const base = await all();
    expect(Object.keys(base).sort()).toEqual(['analysis', 'audio-generate', 'screenwriter', 'video-model']);
    expect(new Set(Object.values(base)).size).toBe(4);
    let undo = edit('nodes/screenwriter/vocab.json', (t) => t.replace(/"([a-z][^"]{3,})"/, '"$1 (new)"'));
    expect(await all()).toEqual({ ...base, screenwriter: expect.not.stringMatching(base.screenwriter!) });
    undo();
    undo = edit('nodes/audio-generate/music/drums.ts', (t) => `${t}\n// a fatter kick\n`);
    expect(await all()).toEqual({ ...base, 'audio-generate': expect.not.stringMatching(base['audio-generate']!) });
    undo();
    undo = edit('nodes/video-model/controls.ts', (t) => `${t}\n// punchier zooms\n`);
    expect(await all()).toEqual({ ...base, 'video-model': expect.not.stringMatching(base['video-model']!) });
    undo();
    expect(await all()).toEqual(base);
  }, 60_000);

  it('the CLI bundle carries the value the sources compute, and new weights make a new bundle', async () => {
    const cacheDir = path.join(tmp, 'bundle');
    // The copy's own loader: it bundles the copy.
    const loader = (await import(path.join(root, 'bin/load-cli.js'))) as { bundleCli(dir: string): Promise<{ cli: string; analyze: string }>; freshBundle(dir: string): string | undefined };
    const carried = (bundle: string, name = 'analysis') => {
      const m = /BUILT = ("(?:[^"\\]|\\.)*")/.exec(fs.readFileSync(bundle, 'utf8'));
      expect(m).toBeTruthy();
      return (JSON.parse(JSON.parse(m![1]!) as string) as Record<string, string>)[name];
    };
    const bundle = (await loader.bundleCli(cacheDir)).cli;
    const fromSources = await sourceFingerprint(root, 'analysis', path.join(tmp, 'memo-2'));
    expect(carried(bundle)).toBe(fromSources);
    for (const name of Object.keys(CODE_PARTS)) expect(carried(bundle, name), name).toBe(await sourceFingerprint(root, name, path.join(tmp, 'memo-2')));

    // Weights the bundle does not import: still one of its inputs, so the run memo (keyed by the
    // bundle's name) cannot answer a run from before, and the new bundle names the new weights.
    const undo = edit('models/beatnet/beat-net.json', (t) => t.replace(/"b2":\s*(-?[0-9.]+)/, (_m, v: string) => `"b2":${Number(v) - 0.001}`));
    try {
      expect(loader.freshBundle(cacheDir)).toBeUndefined();
      const rebuilt = (await loader.bundleCli(cacheDir)).cli;
      expect(path.basename(rebuilt)).not.toBe(path.basename(bundle));
      expect(carried(rebuilt)).not.toBe(fromSources);
      expect(carried(rebuilt)).toBe(await sourceFingerprint(root, 'analysis', path.join(tmp, 'memo-2')));
    } finally {
      undo();
    }
  }, 120_000);
});
