/**
 * The generated-soundtrack template: valid against the catalog, and it renders end to end
 * through the real `s2v` CLI (music generated from the prompt input, trimmed, analysed,
 * pulsed) at a tiny size with the exact frame count.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGraphText, validateGraph } from '../src/engine/index.js';
import { catalog } from '../nodes/index.js';
import { FFPROBE } from '../test/support/ffmpeg.js';

const root = path.resolve(import.meta.dirname, '..');
const file = path.join(root, 'graphs', 'generated-soundtrack.json');
let tmp: string;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-gen-template-'));
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('generated-soundtrack template', () => {
  it('is a valid graph with the music_prompt, image and prompt inputs', () => {
    const doc = parseGraphText(readFileSync(file, 'utf8'), 'generated-soundtrack.json');
    expect(() => validateGraph(doc, catalog)).not.toThrow();
    expect(doc.inputs.map((i) => i.name)).toEqual(['music_prompt', 'image', 'prompt']);
  });

  it('renders 2 s from a music prompt with the exact frame count', () => {
    const out = path.join(tmp, 'gen.mp4');
    const r = spawnSync(
      process.execPath,
      [path.join(root, 'bin/s2v.js'), 'run', file, '--input', 'music_prompt=house 124 bpm', '-o', out, '--no-cache',
        '--set', 'music.duration=3', '--set', 'trim.duration=2', '--set', 'trim.fadeOut=0.2',
        '--set', 'model.width=64', '--set', 'model.height=64', '--set', 'model.fps=12'],
      { cwd: tmp, encoding: 'utf8', timeout: 120_000 },
    );
    expect(r.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
    expect(r.status).toBe(0);
    const probe = spawnSync(FFPROBE, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', out], { encoding: 'utf8' });
    expect(Number(probe.stdout.trim())).toBe(24);
    const audio = spawnSync(FFPROBE, ['-v', 'error', '-select_streams', 'a:0', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', out], { encoding: 'utf8' });
    expect(audio.stdout.trim()).toBe('audio');
  }, 120_000);
});
