/**
 * Bounded memory for long generated music: a 10-minute track (the longest allowed) peaks
 * under 500 MB for the whole job — render, mastering and writing the WAV — measured in a
 * child process. (Every part on its own full-length bus peaked near 1.7 GB.)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runSync } from '../../../test/support/processes.js';
import { MAX_MUSIC_SEC } from './render.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function probe(seconds: number): { maxRssBytes: number; wavBytes: number; frames: number; loudness: number } {
  const stdout = runSync(process.execPath, [path.join(ROOT, 'bin/tsx-run.js'), path.join(ROOT, 'test/support/music-memory-probe.ts'), String(seconds)], { timeoutMs: 600_000 });
  return JSON.parse(stdout.toString().trim().split('\n').at(-1)!);
}

describe('music generation memory', () => {
  it(`a ${MAX_MUSIC_SEC} s track peaks ≤ 500 MB (render + master + WAV), and is complete and mastered`, () => {
    const r = probe(MAX_MUSIC_SEC);
    expect(r.frames).toBe(MAX_MUSIC_SEC * 44100);
    expect(r.wavBytes).toBe(44 + MAX_MUSIC_SEC * 44100 * 4);
    expect(Math.abs(r.loudness + 14)).toBeLessThan(0.5);
    expect(r.maxRssBytes).toBeLessThanOrEqual(500 * 1024 * 1024);
  }, 600_000);
});
