/**
 * The model templates (lip-sync, ambient, a2v-abstract, compare-models): valid against the
 * catalog, and each renders end to end through the real `s2v` CLI at a tiny size on a
 * short clip with the exact frame count.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGraphText, validateGraph } from '../src/engine/index.js';
import { catalog } from '../nodes/index.js';
import { FFMPEG, FFPROBE } from '../test/support/ffmpeg.js';

const root = path.resolve(import.meta.dirname, '..');
const s2v = path.join(root, 'bin/s2v.js');
let tmp: string;

const templates: Array<[string, string[], number]> = [
  ['lip-sync.json', ['model'], 1],
  ['ambient.json', ['model'], 1],
  ['a2v-abstract.json', ['model'], 1],
  ['compare-models.json', ['pulse', 'drift'], 2],
];

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 's2v-templates-'));
  const r = spawnSync(FFMPEG, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i',
    "aevalsrc='0.3*sin(2*PI*220*t)+if(lt(mod(t,0.5),0.03),0.8*sin(2*PI*1000*t),0)':d=2:s=22050", path.join(tmp, 'clip.wav')]);
  if (r.status !== 0) throw new Error(r.stderr.toString());
}, 30_000);
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe('model templates', () => {
  it.each(templates)('%s is a valid graph for the catalog', (file) => {
    const doc = parseGraphText(readFileSync(path.join(root, 'graphs', file), 'utf8'), file);
    expect(() => validateGraph(doc, catalog)).not.toThrow();
  });

  it.each(templates)('%s renders a 2 s clip with the exact frame count', (file, modelNodes) => {
    const sets = modelNodes.flatMap((n) => ['--set', `${n}.width=64`, '--set', `${n}.height=64`, '--set', `${n}.fps=12`]);
    const out = path.join(tmp, file.replace('.json', '.mp4'));
    const r = spawnSync(process.execPath, [s2v, 'run', path.join(root, 'graphs', file), '--input', `audio=${path.join(tmp, 'clip.wav')}`, '-o', out, '--no-cache', ...sets],
      { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
    expect(r.status).toBe(0);
    const probe = spawnSync(FFPROBE, ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', out], { encoding: 'utf8' });
    expect(Number(probe.stdout.trim())).toBe(24);
  }, 120_000);
});
