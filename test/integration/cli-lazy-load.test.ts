/**
 * Start-up: commands that never run a model or serve the studio must not load the native
 * onnxruntime or the WebSocket server library (a cached re-run pays for every module it
 * loads). The preload hook records CommonJS loads per thread; analyze and a first run prove it
 * sees them (onnxruntime-node loads in the inference workers only: on a CPU-only machine the main
 * thread never needs it, so it starts beside the work instead of before it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const hook = path.join(root, 'test/fixtures/cli/record-requires.mjs');

/** Packages (CommonJS) the command loaded on its main thread and in its worker threads. */
function loadedBy(args: string[], env: Record<string, string> = {}): { main: string[]; workers: string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-lazy-'));
  const list = path.join(dir, 'loaded.txt');
  try {
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(hook).href, path.join(root, 'bin/s2v.js'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, S2V_RECORD_REQUIRES: list, ...env },
    });
    expect(r.status, r.stderr).toBe(0);
    const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);
    return { main: read(list), workers: read(`${list}.workers`) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const anywhere = (l: { main: string[]; workers: string[] }) => [...l.main, ...l.workers];

describe('s2v start-up loads only what a command uses', () => {
  it('--version and nodes load neither onnxruntime-node nor ws', () => {
    for (const args of [['--version'], ['nodes', '--json']]) {
      const loaded = anywhere(loadedBy(args));
      expect(loaded).not.toContain('onnxruntime-node');
      expect(loaded).not.toContain('ws');
    }
  });

  it('a fully cached run loads neither onnxruntime-node nor ws (the provider is chosen when a model first runs) and spawns nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 's2v-lazy-run-'));
    try {
      const args = ['run', path.join(root, 'graphs/music-video.json'), '-o', path.join(dir, 'demo.mp4'), '--cache-dir', path.join(dir, 'cache'), '--json'];
      const first = anywhere(loadedBy(args));
      // The first run renders with the model and ffmpeg: the hook sees both.
      expect(first).toContain('onnxruntime-node');
      expect(first).toContain('node:child_process');
      // The engine's own cached path (a memo would answer this re-run without loading it).
      const again = anywhere(loadedBy(args, { S2V_NO_RUN_MEMO: '1' }));
      expect(again).not.toContain('onnxruntime-node');
      expect(again).not.toContain('ws');
      expect(again).not.toContain('node:child_process');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('analyze loads onnxruntime-node in its inference workers only (for the VAD and visemes), never on the main thread, and not ws', () => {
    const loaded = loadedBy(['analyze', path.join(root, 'graphs/assets/demo-beat.wav'), '--json']);
    expect(loaded.workers).toContain('onnxruntime-node');
    expect(loaded.main).not.toContain('onnxruntime-node');
    expect(anywhere(loaded)).not.toContain('ws');
  }, 60_000);
});
